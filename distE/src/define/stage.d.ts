import type { z } from 'zod';
import type { Dimension, InstanceResult, SweepGenerator } from './sweep.js';
export type ExecutorKind = 'inline' | 'threads' | 'processes';
export declare const EXECUTOR_KINDS: readonly ExecutorKind[];
declare const STAGE: unique symbol;
declare const PIPELINE: unique symbol;
declare const OUT_REF: unique symbol;
declare const ALL_REF: unique symbol;
/** A reference to one named out of another stage; using it as an input makes a DAG edge. */
export interface OutRef {
    readonly [OUT_REF]: true;
    readonly stage: string;
    readonly out: string;
    readonly path: string;
}
/** Every instance of a stage (all points of its sweep): an input that collects their results. */
export interface AllRef {
    readonly [ALL_REF]: true;
    readonly stage: string;
}
/** What a collecting stage receives for each instance: its params, metrics and outs (absolute paths). */
export interface CollectedInstance extends InstanceResult {
    readonly outs: Readonly<Record<string, string>>;
}
/** A stage's inputs as its `run` sees them: a path per out, a list per collected sweep. */
export type InputValues<I> = {
    readonly [K in keyof I]: I[K] extends AllRef ? readonly CollectedInstance[] : string;
};
export type Metrics = Record<string, unknown>;
export interface StageLogger {
    (...args: unknown[]): void;
    info(...args: unknown[]): void;
    error(...args: unknown[]): void;
}
/** What a TS stage's `run` receives. All paths are absolute. */
export interface StageContext<P, I, O extends string> {
    readonly stage: string;
    readonly params: P;
    /** The project root (the folder of the pipeline file). */
    readonly root: string;
    readonly deps: readonly string[];
    readonly inputs: I;
    readonly outs: {
        readonly [K in O]: string;
    };
    /** Absolute path of the declared metrics file, if any. */
    readonly metrics: string | undefined;
    readonly plots: readonly string[];
    /** Writes to the stage's log file (and to the terminal with `-v`). */
    readonly log: StageLogger;
    /** Fires when the run is cancelled; long work should stop when it does. */
    readonly signal: AbortSignal;
}
type ParamsSchema = z.ZodType<Record<string, unknown>>;
/** A plot file with how to draw it: which field is x, which are lines. */
export interface PlotFile {
    readonly path: string;
    readonly x?: string;
    readonly y?: string | readonly string[];
    readonly title?: string;
}
type Infer<S> = S extends z.ZodType<infer T> ? T : Record<string, never>;
/** A sweep's space in the TS API: a dimension (`grid`, `uniform`, …) or a fixed value per param. */
export type SpaceOf<P> = {
    readonly [K in keyof P]?: Dimension | P[K];
};
export interface SweepOptions<P> {
    readonly space: SpaceOf<P>;
    /** Random draws per grid point (needed when the space has random dimensions). */
    readonly samples?: number;
    /** Seed of the random draws; default 0. */
    readonly seed?: number;
    /** A custom search instead of grid/random: see `SweepGenerator`. */
    readonly generate?: SweepGenerator;
}
type Inputs = Record<string, OutRef | AllRef>;
export interface StageOptions<S extends ParamsSchema | undefined, I extends Inputs, O extends Record<string, string>> {
    desc?: string;
    /** A zod object schema; give every field a `.default()` so the stage runs without overrides. */
    params?: S;
    /** Files and folders the stage reads (relative to the project root). */
    deps?: readonly string[];
    /** Other stages' outs this stage reads, by name: `{ train: prepare.outs.train }`; `train.all` collects a sweep. */
    inputs?: I;
    /** Run once per point of a parameter space; each instance is cached on its own. */
    sweep?: SweepOptions<Infer<S>>;
    /** Named files/folders the stage writes (relative to the project root). */
    outs?: O;
    /** A JSON metrics file. A `run` that returns an object has it written here. */
    metrics?: string;
    /** Data files for plots: a path, or a path with its axes (`{ path, x: 'recall', y: 'precision' }`). */
    plots?: readonly (string | PlotFile)[];
    /** Run every time, even when nothing changed (DVC's `always_changed`). */
    alwaysChanged?: boolean;
    /** Never run; keep the recorded outs (DVC's `frozen`). */
    frozen?: boolean;
    /** Outs that are tracked (hashed, in the lockfile) but not stored in the cache. */
    uncached?: readonly (keyof O & string)[];
    /** Where a TS stage runs; default `threads`. `cmd` stages always run in a child process. */
    executor?: ExecutorKind;
    /** The stage's work, in TypeScript. Exactly one of `run` and `cmd`. */
    run?: (ctx: StageContext<Infer<S>, InputValues<I>, Extract<keyof O, string>>) => unknown;
    /** A shell command; `${params.x}` is replaced by the shell-quoted value. Or a function of the params. */
    cmd?: string | ((params: Infer<S>) => string);
}
export interface StageDefinition {
    readonly [STAGE]: true;
    readonly name: string;
    /** The user's source files on the call stack where `stage()` was called: where its code lives. */
    readonly definedIn: readonly string[];
    readonly options: StageOptions<ParamsSchema | undefined, Inputs, Record<string, string>>;
}
export interface Stage<O extends Record<string, string> = Record<string, string>> extends StageDefinition {
    readonly outs: {
        readonly [K in keyof O]: OutRef;
    };
    /** Every instance of this stage, as an input of a collecting stage. */
    readonly all: AllRef;
}
export interface PipelineDefinition {
    readonly [PIPELINE]: true;
    readonly name: string;
    readonly stages: readonly StageDefinition[];
    /** Named param overrides, `{ small: { 'train.epochs': 1 } }` (keys as for `-S`): `--version small`. */
    readonly versions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
    /** Overrides for `--dev` (keys as for `-S`): a small data slice, one epoch. */
    readonly dev?: Readonly<Record<string, unknown>>;
}
export declare function stage<S extends ParamsSchema | undefined = undefined, const I extends Inputs = Record<never, OutRef>, const O extends Record<string, string> = Record<never, string>>(name: string, options: StageOptions<S, I, O>): Stage<O>;
export declare function pipeline(name: string, stages: readonly StageDefinition[], extra?: {
    versions?: PipelineDefinition['versions'];
    dev?: PipelineDefinition['dev'];
}): PipelineDefinition;
export declare function isStage(value: unknown): value is StageDefinition;
export declare function isPipeline(value: unknown): value is PipelineDefinition;
export declare function isOutRef(value: unknown): value is OutRef;
export declare function isAllRef(value: unknown): value is AllRef;
export {};
