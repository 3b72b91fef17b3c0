import type { StageDeclaration } from '../define/declaration.js';
import type { CodeIdentity } from './lockfile.js';
export declare class CodeIdentities {
    private readonly root;
    private readonly closures;
    constructor(root: string);
    of(stage: StageDeclaration, command: string | undefined): Promise<CodeIdentity>;
    /** Every local source file the entries import, transitively, with its hash (root-relative paths). */
    private sourceClosure;
}
/**
 * The source with every `sweep: { … }` literal emptied. A sweep says which instances exist, not
 * what one computes (its params are in its fingerprint already), so growing a sweep from 10
 * samples to 20 must not make the first 10 look like changed code.
 */
export declare function withoutSweeps(source: string): string;
