/**
 * The TypeScript API: `stage()` and `pipeline()`. A stage is plain data plus a `run` function or
 * a `cmd`; it is told apart by a `Symbol.for` brand rather than `instanceof`, because the user's
 * pipewright.ts may be evaluated in another thread or process with its own copy of this module.
 */
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { PipelineError } from '../errors.js';
import { stackFiles } from './stack-files.js';
import type { Dimension, InstanceResult, SweepGenerator } from './sweep.js';
import type { KubernetesKnobs } from './controls.js';

export type ExecutorKind = 'inline' | 'threads' | 'processes' | 'bullmq';
export const EXECUTOR_KINDS: readonly ExecutorKind[] = ['inline', 'threads', 'processes', 'bullmq'];

const STAGE = Symbol.for('pipewright.stage');
const PIPELINE = Symbol.for('pipewright.pipeline');
const OUT_REF = Symbol.for('pipewright.outRef');
const ALL_REF = Symbol.for('pipewright.allRef');

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
export type InputValues<I> = { readonly [K in keyof I]: I[K] extends AllRef ? readonly CollectedInstance[] : string };

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
  readonly outs: { readonly [K in O]: string };
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
export type SpaceOf<P> = { readonly [K in keyof P]?: Dimension | P[K] };

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
  /** Retry a failed run this many times (a backoff of 2 s, doubling). */
  retries?: number;
  /** Retries with their own backoff: `{ limit: 3, backoff: '10s', factor: 2 }`. */
  retry?: { limit: number; backoff?: string | number; factor?: number };
  /** Stop a run that takes longer: `'30m'`, `'90s'` (a number is seconds). */
  timeout?: string | number;
  /** What one instance holds while it runs: cpus count against `-j`, gpus against `--gpus`. */
  resources?: { cpus?: number; gpus?: number; memory?: string | number };
  /** Environment variable → Kubernetes secret `name/key`; locally read from that variable. */
  secrets?: Readonly<Record<string, string>>;
  /** Only workers with all these labels take the stage (`pipewright worker --labels gpu`). */
  labels?: readonly string[];
  /** Where and as whom its compiled task's pod runs: `{ nodeSelector, tolerations, serviceAccountName, imagePullSecrets }`. */
  kubernetes?: KubernetesKnobs;
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
  readonly outs: { readonly [K in keyof O]: OutRef };
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

export function stage<
  S extends ParamsSchema | undefined = undefined,
  const I extends Inputs = Record<never, OutRef>,
  const O extends Record<string, string> = Record<never, string>,
>(name: string, options: StageOptions<S, I, O>): Stage<O> {
  if (typeof name !== 'string' || !/^[A-Za-z0-9_][A-Za-z0-9_.@=,+-]*$/.test(name)) {
    throw new PipelineError('pipeline-load', `invalid stage name ${JSON.stringify(name)}`, undefined,
      'use letters, digits, "_", "-" and "."; start with a letter, digit or "_"');
  }
  if ((options.run === undefined) === (options.cmd === undefined)) {
    throw new PipelineError('pipeline-load', `stage "${name}" needs exactly one of \`run\` and \`cmd\``);
  }
  const outs = Object.fromEntries(
    Object.entries(options.outs ?? {}).map(([out, path]) => [out, { [OUT_REF]: true, stage: name, out, path } as OutRef]),
  ) as { [K in keyof O]: OutRef };
  const all: AllRef = { [ALL_REF]: true, stage: name };
  return { [STAGE]: true, name, definedIn: userFilesOnStack(), options: options as unknown as StageDefinition['options'], outs, all };
}

/** This package's own files, which are never the user's code. */
const PACKAGE_DIR = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');

/**
 * The files of the user's modules on the current call stack: the module calling `stage()` and,
 * when a helper builds stages, the modules calling it. Their sources (and what they import) are
 * the stage's code for its fingerprint.
 */
function userFilesOnStack(): string[] {
  const files = stackFiles(50).filter((file) => !file.includes('/node_modules/') && !file.startsWith(PACKAGE_DIR + '/dist/'));
  return [...new Set(files)];
}

export function pipeline(
  name: string,
  stages: readonly StageDefinition[],
  extra: { versions?: PipelineDefinition['versions']; dev?: PipelineDefinition['dev'] } = {},
): PipelineDefinition {
  return { [PIPELINE]: true, name, stages, ...extra };
}

export function isStage(value: unknown): value is StageDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[STAGE] === true;
}

export function isPipeline(value: unknown): value is PipelineDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PIPELINE] === true;
}

export function isOutRef(value: unknown): value is OutRef {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[OUT_REF] === true;
}

export function isAllRef(value: unknown): value is AllRef {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[ALL_REF] === true;
}
