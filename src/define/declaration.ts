/**
 * What a pipeline file declares, in one shape for every front end (TypeScript, pipewright.yaml,
 * later dvc.yaml). The graph is built from these; nothing here has touched the file system
 * beyond reading the pipeline and params files.
 */
import type { SourcePosition } from '../errors.js';
import type { ExecutorKind, StageContext } from './stage.js';
import type { SweepDeclaration } from './sweep.js';
import type { StageControls } from './controls.js';

export type PipelineFormat = 'ts' | 'yaml';

/** A path as written in the pipeline file, relative to the stage's wdir; may hold `${params.x}`. */
export interface PathDeclaration {
  readonly path: string;
  readonly where?: SourcePosition;
  /** For outs, metrics and plots: false means tracked, not stored (default true). */
  readonly cache?: boolean;
  /** For outs: kept in place while the stage runs instead of removed first (DVC's `persist`). */
  readonly persist?: boolean;
  /** For plots: how to draw the file (DVC's plot properties). */
  readonly plot?: PlotOptions;
}

/**
 * A chart defined at the top of dvc.yaml (or pipewright.yaml) under `plots:`: one or more files,
 * each with its x field and y fields, drawn with a template.
 */
export interface PlotDefinition {
  readonly id: string;
  /** DVC's template names: simple, linear, smooth, scatter, bar, bar_horizontal, confusion, … */
  readonly template: string;
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** Root-relative files, each with its fields (none: every numeric field, as for a stage's plots). */
  readonly files: readonly { readonly path: string; readonly x?: string; readonly y: readonly string[] }[];
}

/** Which fields of a plot file are the axes, and the chart's labels (DVC's `x`, `y`, `title`, …). */
export interface PlotOptions {
  readonly x?: string;
  readonly y?: readonly string[];
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
}

export interface OutDeclaration extends PathDeclaration {
  /** The out's name: the key in a TS stage's `outs`, the path itself in YAML. */
  readonly name: string;
  /** False: tracked in the lockfile, not stored in the cache. */
  readonly cache: boolean;
}

export interface InputDeclaration {
  readonly stage: string;
  /** The out read; absent when the input collects every instance of `stage` (`train.all`). */
  readonly out?: string;
}

export type Params = Record<string, unknown>;

/** A param a stage lists that its params file lacks (or a params file that is not there). */
export interface MissingParam {
  readonly file: string;
  readonly key: string;
  readonly where?: SourcePosition;
  /** The params file itself is not there. */
  readonly noFile?: boolean;
}

/** Overrides for one stage: dotted key → value, from `-S stage.key=value`. */
export type StageOverrides = Readonly<Record<string, unknown>>;

export type RunFunction = (ctx: StageContext<Params, Record<string, unknown>, string>) => unknown;

export interface StageDeclaration {
  readonly name: string;
  readonly kind: 'ts' | 'cmd';
  readonly desc?: string;
  readonly where?: SourcePosition;
  /** Working folder of a cmd stage, relative to the root; '' is the root. */
  readonly wdir: string;
  readonly deps: readonly PathDeclaration[];
  readonly inputs: Readonly<Record<string, InputDeclaration>>;
  readonly outs: readonly OutDeclaration[];
  readonly metrics: readonly PathDeclaration[];
  readonly plots: readonly PathDeclaration[];
  readonly executor?: ExecutorKind;
  readonly alwaysChanged: boolean;
  readonly frozen: boolean;
  /** TS stages: the user's files where the stage was defined (their imports are followed too). */
  readonly codeFiles: readonly string[];
  /** A stage whose code is pipewright's own (the built-in collector): its name and version. */
  readonly builtin?: string;
  /** Retries, timeout, resources and secrets, as written for the stage (or in pipewright.config.yaml). */
  readonly controls?: StageControls;
  /** A parameter space: the stage runs once per point of it. */
  readonly sweep?: SweepDeclaration;
  /** The param keys an override may name (top-level keys for TS; dotted keys for YAML). */
  readonly paramKeys: readonly string[];
  /** TS stages: the keys whose schema is a number that is not `.int()` (compiled as reals even when whole). */
  readonly realKeys?: readonly string[];
  /**
   * Applies overrides to the declared defaults and validates them; throws a PipelineError. A
   * param listed but absent from its params file (and given by no override or sweep) throws too,
   * unless `onMissing` is given: it is told instead, and the param is left out (the graph blocks
   * the stage, as DVC reports a missing param only when the stage is checked or run).
   */
  resolveParams(overrides: StageOverrides, onMissing?: (missing: MissingParam) => void): Params;
  /**
   * The params-file overrides (`-S key=value` of params.yaml) this stage's command and paths were
   * templated with. An executor that loads the pipeline file again applies them before resolving
   * the stage, so that it runs the command that was planned and recorded.
   */
  readonly fileOverrides?: Readonly<Record<string, unknown>>;
  /** cmd stages: the command as written, before params are inserted. */
  readonly commandTemplate?: string;
  /** The shell command for cmd stages, with params already inserted (shell-quoted). */
  command?(params: Params): string;
  run?: RunFunction;
}

export interface PipelineDeclaration {
  readonly name: string;
  /**
   * True when no name was declared (a dvc.yaml, a pipewright.yaml without `name:`) and `name` is
   * the folder's: a checkout elsewhere has another, so it does not identify the project.
   */
  readonly namedAfterFolder?: boolean;
  readonly format: PipelineFormat;
  /** Absolute path of the pipeline file. */
  readonly file: string;
  /** Absolute path of the folder that holds it: every path is relative to this. */
  readonly root: string;
  readonly stages: readonly StageDeclaration[];
  /**
   * Applies overrides that name no stage (`-S key=value`, a params.yaml key); returns a new
   * declaration. Undefined where the format has no global params.
   */
  withGlobalOverrides?(overrides: Readonly<Record<string, unknown>>): PipelineDeclaration;
  /**
   * For formats whose commands are templated from params files when the file is read (dvc.yaml):
   * the stage templated again with its own `-S stage.key=value` overrides applied to params.yaml,
   * so that its command uses the values its params record. Undefined elsewhere (a pipewright.yaml
   * or TS stage takes its params when it is resolved).
   */
  withStageOverrides?(stage: string, overrides: StageOverrides): StageDeclaration | undefined;
  /**
   * Every file the declaration was made from (the pipeline file, the params files read so far),
   * absolute. Only for formats whose stages depend on nothing else (YAML, not a TS module).
   */
  readonly sourceFiles?: () => readonly string[];
  /** Named sets of overrides (`-S` keys → values), run with `--version NAME`. */
  readonly versions: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Overrides applied in dev mode (`--dev`): a small data slice, one epoch. */
  readonly dev: Readonly<Record<string, unknown>>;
  /** Charts defined at the top level (`plots:`), beside the stages' own plot files. */
  readonly plots?: readonly PlotDefinition[];
  /** Metrics files named at the top level (`metrics:`), root-relative: read from the stage that writes each. */
  readonly metricsFiles?: readonly string[];
}

const byName = new WeakMap<PipelineDeclaration, ReadonlyMap<string, StageDeclaration>>();

/** The declared stage of that name; indexed once per declaration (pipelines of thousands of stages). */
export function declaredStage(pipeline: PipelineDeclaration, name: string): StageDeclaration | undefined {
  let index = byName.get(pipeline);
  if (!index) {
    index = new Map(pipeline.stages.map((s) => [s.name, s]));
    byName.set(pipeline, index);
  }
  return index.get(name);
}
