import type { PipelineDeclaration } from '../define/declaration.js';
import { type GraphOptions, type PipelineGraph } from '../graph/graph.js';
export interface Project {
    readonly root: string;
    readonly declaration: PipelineDeclaration;
    readonly graph: PipelineGraph;
}
/** `versions` are applied in order, then `overrideSpecs` (`-S`), each over the one before. */
export declare function openProject(dir: string, overrideSpecs?: readonly string[], versions?: readonly string[], graphOptions?: GraphOptions): Promise<Project>;
/** A version's overrides as `-S` specs (values written as JSON, which the YAML reader of `-S` reads back). */
export declare function versionSpecs(declaration: PipelineDeclaration, version: string): string[];
/** The pseudo-version of dev mode: the pipeline's `dev` overrides. */
export declare const DEV_VERSION = "(dev)";
