import { type Params, type PipelineDeclaration, type PlotOptions, type StageDeclaration } from '../define/declaration.js';
import type { ExecutorKind } from '../define/stage.js';
import type { Space } from '../define/sweep.js';
import { type SourcePosition } from '../errors.js';
export interface ResolvedPath {
    /** Relative to the project root, posix separators, normalized. */
    readonly path: string;
    readonly where?: SourcePosition;
    readonly cache?: boolean;
    readonly persist?: boolean;
    readonly plot?: PlotOptions;
}
export interface ResolvedOut extends ResolvedPath {
    readonly name: string;
    readonly cache: boolean;
}
export interface ResolvedInput {
    readonly stage: string;
    readonly out: string;
    readonly path: string;
}
export interface ResolvedStage {
    /** The instance's name: the stage's, or `stage@key=value,…` for a point of a sweep. */
    readonly name: string;
    /** The declared stage it is an instance of. */
    readonly of: string;
    /** For a sweep's instance: the swept keys' values. */
    readonly values?: Readonly<Record<string, unknown>>;
    /**
     * A sweep with a custom generator: this node stands for instances made while the run goes;
     * it writes nothing itself.
     */
    readonly generated?: boolean;
    /** For a generated sweep: its space with this run's `-S` overrides fixed as values. */
    readonly space?: Space;
    /** Inputs that collect every instance of a stage (`train.all`): input key → stage. */
    readonly collects: Readonly<Record<string, string>>;
    /** How many of `deps` are the collected instances' outs (added after the declared ones). */
    readonly collectedDeps?: number;
    /** Top-level metrics files (`metrics:` of dvc.yaml) that lie in this stage's outs: read as its metrics. */
    readonly pipelineMetrics?: readonly string[];
    readonly kind: 'ts' | 'cmd';
    readonly desc?: string;
    readonly where?: SourcePosition;
    readonly executor: ExecutorKind;
    readonly alwaysChanged: boolean;
    readonly frozen: boolean;
    readonly params: Params;
    /** cmd stages: the command with params inserted. */
    readonly command?: string;
    /** Working folder, relative to the root ('' is the root). */
    readonly wdir: string;
    readonly deps: readonly ResolvedPath[];
    readonly inputs: Readonly<Record<string, ResolvedInput>>;
    readonly outs: readonly ResolvedOut[];
    readonly metrics: readonly ResolvedPath[];
    readonly plots: readonly ResolvedPath[];
}
export interface InstanceOf {
    readonly name: string;
    readonly values?: Readonly<Record<string, unknown>>;
    readonly generated?: boolean;
    readonly space?: Space;
}
export declare function resolveStage(pipeline: PipelineDeclaration, stage: StageDeclaration, params: Params, instance?: InstanceOf): ResolvedStage;
/** Root-relative posix path. Deps may lie outside the project; that is checked where it matters. */
export declare function normalizePath(raw: string, stage: string, where: SourcePosition | undefined, root: string): string;
/**
 * Every path a stage writes: outs, metrics and plots files. A metrics or plots file inside one of
 * the stage's own out folders (`models/x/metrics.json` beside `models/x`) is part of that out.
 */
export declare function writtenPaths(stage: ResolvedStage): ResolvedOut[];
