/**
 * One interface for every place a stage instance can run. An instance is addressed by
 * (pipeline file, stage name, resolved params); every executor hands that address to the same
 * exec path (exec-instance.ts), in whichever thread, process or machine it runs.
 */
import type { Params } from '../define/declaration.js';
import type { ExecutorKind, Metrics } from '../define/stage.js';
import type { InstanceResult } from '../define/sweep.js';
import type { ResolvedStage } from '../graph/resolve.js';
import type { FingerprintParts } from '../cache/fingerprint.js';

export interface InstanceAddress {
  /** Absolute path of the pipeline file. */
  readonly pipelineFile: string;
  /** The declared stage. */
  readonly stage: string;
  readonly params: Params;
  /** A sweep's instance: its name and swept values. */
  readonly instance?: { readonly name: string; readonly values?: Readonly<Record<string, unknown>> };
  /** A collecting stage: what is known of every instance it collects, per input key. */
  readonly collected?: Readonly<Record<string, readonly InstanceResult[]>>;
  /** The params-file overrides (`-S key=value`) the stage was templated with: applied again where it is loaded. */
  readonly fileOverrides?: Readonly<Record<string, unknown>>;
  /**
   * A cmd stage: the command that was planned and will be recorded. The exec path refuses to run
   * another (a checkout that resolves the stage differently), rather than record a wrong result.
   */
  readonly command?: string;
}

/** The address of a resolved instance: its declared stage, params and, for a sweep's point, its name. */
export function addressOf(pipelineFile: string, node: ResolvedStage, collected?: InstanceAddress['collected']): InstanceAddress {
  return {
    pipelineFile,
    stage: node.of,
    params: node.params,
    ...(node.name !== node.of ? { instance: { name: node.name, values: node.values } } : {}),
    ...(collected && Object.keys(node.collects).length ? { collected } : {}),
    ...(node.fileOverrides ? { fileOverrides: node.fileOverrides } : {}),
    ...(node.command !== undefined ? { command: node.command } : {}),
  };
}

export type OutputStream = 'stdout' | 'stderr';

/** Receives what a stage prints, as it prints it. */
export type OutputSink = (stream: OutputStream, text: string) => void;

export interface ExecJob {
  readonly address: InstanceAddress;
  /** A cmd stage is already a child process of its own; a TS stage needs one made for it. */
  readonly kind: 'ts' | 'cmd';
  readonly output: OutputSink;
  /** Aborting it cancels the instance: its AbortSignal fires, then its thread or process is killed. */
  readonly signal: AbortSignal;
  /**
   * Set when nobody streams the output: an executor may then have it written straight to this
   * file rather than passed through `output`.
   */
  readonly logFile?: string;
  /** Told where the output is written while it runs, when that is not `logFile` yet (a pooled shell's scratch file). */
  readonly onOutputFile?: (path: string) => void;
  /** The instance as the scheduler resolved it, for an executor in the scheduler's own thread. */
  readonly resolved?: ResolvedInstance;
  /** Variables the instance's process (or thread) gets on top of the run's own: its GPU devices. */
  readonly env?: Readonly<Record<string, string>>;
  /** Its deps and inputs with the hashes it was planned with (what a remote worker must have). */
  readonly inputs?: Readonly<Record<string, string>>;
  /** The fingerprint it was planned with: a remote worker records its result in the run-cache under it. */
  readonly planned?: { readonly fingerprint: string; readonly parts: FingerprintParts };
  /**
   * No worker need look the instance up in the shared remote: the run's own plan just did, or the
   * run must not take a recorded result for it (`-f`, `always_changed`).
   */
  readonly sharedLookupDone?: boolean;
}

/** An executor that ran the instance elsewhere says where. */
export interface ExecResultFrom extends ExecResult {
  readonly host?: string;
}

/**
 * A resolved instance and its project's root, its outs already prepared by the scheduler: a cmd
 * stage run in the scheduler's thread is run from it, rather than from its address by loading and
 * resolving the pipeline again.
 */
export interface ResolvedInstance {
  readonly stage: ResolvedStage;
  readonly root: string;
}

export interface ExecResult {
  readonly metrics?: Metrics;
}

export interface Executor {
  readonly kind: ExecutorKind;
  execute(job: ExecJob): Promise<ExecResult>;
  /** Frees threads and processes; the executor is not used after. */
  close(): Promise<void>;
}

/** How long a cancelled stage may take to stop on its own before it is killed. */
export const CANCEL_GRACE_MS = 2000;
