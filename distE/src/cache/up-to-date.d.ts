import type { Params } from '../define/declaration.js';
import type { Metrics } from '../define/stage.js';
import type { LockedOut } from './lockfile.js';
import type { PipelineGraph } from '../graph/graph.js';
export interface UpToDateStage {
    readonly name: string;
    readonly of: string;
    readonly params: Params;
    readonly metrics?: Metrics;
    readonly outs?: readonly LockedOut[];
    readonly fingerprint?: string;
}
export interface UpToDateRun {
    readonly stages: readonly UpToDateStage[];
    /** The certificate file that said so, and its inode (see keepCertificate). */
    readonly certificate: {
        readonly file: string;
        readonly ino: number;
    };
}
/** The stages of a run that is certainly a no-op, or undefined when it has to be worked out. */
export declare function checkUpToDate(root: string, pipelineFile: string): UpToDateRun | undefined;
/**
 * A hard link to the certificate a no-op was answered from, so the run store can take that run's
 * instances from it later: a thousand-stage no-op then journals one short line, not 300 KB of
 * rows. Named by inode, which no other file can have while the link exists; undefined when the
 * certificate was replaced meanwhile (the caller journals the rows).
 */
export declare function keepCertificate({ file, ino }: UpToDateRun['certificate']): string | undefined;
/** The stages of a kept certificate, or undefined if it cannot be read. */
export declare function keptStages(kept: string): readonly UpToDateStage[] | undefined;
/**
 * Records that a full run found every stage up to date. Only a run that verified the no-op the
 * long way is recorded: never one that ran something, whose stages could have touched files
 * they do not declare.
 */
export declare function recordUpToDate(graph: PipelineGraph, seen: ReadonlyMap<string, Pick<UpToDateStage, 'metrics' | 'outs' | 'fingerprint'>>): void;
/** Any run that may change things first removes the record, so a killed run cannot leave one. */
export declare function forgetUpToDate(root: string): void;
