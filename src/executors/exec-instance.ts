/**
 * The one exec path: load the pipeline file, find the stage, resolve it with the given params and
 * run it. Every executor ends here, in its own thread or process.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync, closeSync, copyFileSync, existsSync, lstatSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { format } from 'node:util';
import jsYaml from 'js-yaml';
import { declaredStage } from '../define/declaration.js';
import { loadPipeline } from '../define/load.js';
import type { CollectedInstance, Metrics, StageContext, StageLogger } from '../define/stage.js';
import type { PipelineDeclaration, StageDeclaration } from '../define/declaration.js';
import { CancelledError, StageFailure } from '../errors.js';
import { layout } from '../layout.js';
import { resolveStage, writtenPaths, type ResolvedStage } from '../graph/resolve.js';
import { CANCEL_GRACE_MS, type ExecResult, type InstanceAddress, type OutputSink, type ResolvedInstance } from './executor.js';
import { ShellPool } from './shell-pool.js';

export interface InstanceIo {
  readonly output: OutputSink;
  readonly signal: AbortSignal;
  /**
   * When set, a cmd stage's output goes straight to this file instead of through `output` line
   * by line: nobody is streaming it, and a file descriptor costs less than two pipes.
   */
  readonly logFile?: string;
  readonly onOutputFile?: (path: string) => void;
  /** Long-lived shells to run a command in, when its output goes to `logFile` (see shell-pool.ts). */
  readonly shells?: ShellPool;
  /** Variables on top of the process's own (a stage's GPU devices). */
  readonly env?: Readonly<Record<string, string>>;
}

export async function execInstance(address: InstanceAddress, io: InstanceIo, resolved?: ResolvedInstance): Promise<ExecResult> {
  if (resolved?.stage.kind === 'cmd') return execCommand(resolved.root, resolved.stage, io);
  const { declaration, declared, stage } = await resolveAddress(address);
  const root = declaration.root;
  if (io.signal.aborted) throw new CancelledError(io.signal.reason);
  prepareOuts(root, stage);
  if (stage.kind === 'cmd') return execCommand(root, stage, io);
  // A TS stage writes its outs aside; they are moved into place only once it has succeeded, so
  // a killed run never leaves a half-written out where a finished one belongs.
  const aside = join(layout(root).tmp, `${stage.name}-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const returned = await declared.run!(makeContext(root, stage, io, aside, collectedInputs(declaration, stage, address)));
    if (io.signal.aborted) throw new CancelledError(io.signal.reason);
    writeReturnedMetrics(aside, stage, returned);
    moveIntoPlace(aside, root, stage);
    return withMetrics({ ...asMetrics(returned), ...readMetrics(root, stage) });
  } finally {
    rmSync(aside, { recursive: true, force: true });
  }
}

/**
 * The instance an address names, resolved from the pipeline file as it is here, with the
 * params-file overrides it was planned with: the same command and paths as where it was planned.
 */
export async function resolveAddress(address: InstanceAddress): Promise<{ declaration: PipelineDeclaration; declared: StageDeclaration; stage: ResolvedStage }> {
  const loaded = await loadPipeline(address.pipelineFile);
  const declaration = address.fileOverrides && loaded.withGlobalOverrides ? loaded.withGlobalOverrides(address.fileOverrides) : loaded;
  const declared = declaredStage(declaration, address.stage);
  if (!declared) throw new StageFailure(`stage "${address.stage}" is no longer in ${address.pipelineFile}`);
  const stage = resolveStage(declaration, declared, address.params, address.instance ?? { name: declared.name });
  if (address.command !== undefined && stage.command !== address.command) {
    throw new StageFailure(`stage "${stage.name}" resolves here to the command ${JSON.stringify(stage.command)}, not the planned ${JSON.stringify(address.command)}: `
      + 'run it from a checkout at the same revision, with the same params files');
  }
  return { declaration, declared, stage };
}

/** Runs a cmd stage whose outs are prepared (removed, or unprotected if persisted). */
async function execCommand(root: string, stage: ResolvedStage, io: InstanceIo): Promise<ExecResult> {
  if (io.signal.aborted) throw new CancelledError(io.signal.reason);
  await runCommand(stage.command!, join(root, stage.wdir), io);
  checkOuts(root, stage);
  return withMetrics(readMetrics(root, stage));
}

function withMetrics(metrics: Metrics | undefined): ExecResult {
  return metrics && Object.keys(metrics).length ? { metrics } : {};
}

function asMetrics(value: unknown): Metrics | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Metrics) : undefined;
}

function moveIntoPlace(aside: string, root: string, stage: ResolvedStage): void {
  const missing: string[] = [];
  for (const out of writtenPaths(stage)) {
    const from = join(aside, out.path);
    if (!existsSync(from)) {
      missing.push(out.path);
      continue;
    }
    const to = join(root, out.path);
    rmSync(to, { recursive: true, force: true });
    mkdirSync(dirname(to), { recursive: true });
    renameSync(from, to);
  }
  if (missing.length) throw notWritten(stage, missing);
}

/** Like DVC: outs are removed before the stage runs, so a stale out is never taken for a new one. */
export function prepareOuts(root: string, stage: ResolvedStage): void {
  for (const out of writtenPaths(stage)) {
    const abs = join(root, out.path);
    if (out.persist) unprotect(abs);
    else removePath(abs);
    const parent = dirname(abs);
    if (!existsSync(parent)) mkdirSync(parent, { recursive: true });
  }
}

/**
 * A persisted out is changed in place by its stage; if it is a hard link to a cache object,
 * that would change the object too. Each such file becomes a copy of its own first.
 */
function unprotect(abs: string): void {
  const stat = statSync(abs, { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isDirectory()) {
    for (const entry of readdirSync(abs)) unprotect(join(abs, entry));
  } else if (stat.isFile() && stat.nlink > 1) {
    const copy = `${abs}.tmp-${process.pid}`;
    copyFileSync(abs, copy);
    chmodSync(copy, 0o644);
    renameSync(copy, abs);
  }
}

/**
 * Removes a file or folder if it is there; cheap when it is a file or nothing. Looked at first
 * rather than unlinked and caught: a thrown ENOENT costs ten times the lstat on a cold run.
 */
export function removePath(abs: string): void {
  const stat = lstatSync(abs, { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isDirectory()) rmSync(abs, { recursive: true, force: true });
  else unlinkSync(abs);
}

function checkOuts(root: string, stage: ResolvedStage): void {
  const missing = writtenPaths(stage).filter((o) => !existsSync(join(root, o.path))).map((o) => o.path);
  if (missing.length) throw notWritten(stage, missing);
}

function notWritten(stage: ResolvedStage, missing: readonly string[]): StageFailure {
  return new StageFailure(`stage "${stage.name}" finished but did not write ${missing.map((m) => `"${m}"`).join(', ')}`);
}

function writeReturnedMetrics(aside: string, stage: ResolvedStage, returned: unknown): void {
  const metrics = asMetrics(returned);
  if (metrics && stage.metrics.length === 1) {
    const file = join(aside, stage.metrics[0]!.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(metrics, null, 2) + '\n');
  }
}

/** The stage's metrics files, merged; undefined when it has none (or they are not there). */
export function readMetrics(root: string, stage: ResolvedStage): Metrics | undefined {
  let metrics: Metrics | undefined;
  for (const file of [...stage.metrics, ...(stage.pipelineMetrics ?? []).map((path) => ({ path }))]) {
    const abs = join(root, file.path);
    if (!existsSync(abs)) continue;
    try {
      const data: unknown = jsYaml.load(readFileSync(abs, 'utf8'), { schema: jsYaml.CORE_SCHEMA });
      if (data !== null && typeof data === 'object') metrics = { ...metrics, ...(data as Metrics) };
    } catch (err) {
      throw new StageFailure(`metrics file "${file.path}" of stage "${stage.name}" is not JSON or YAML: ${(err as Error).message}`);
    }
  }
  return metrics;
}

/** What a collecting stage receives per collected instance: the address's record, with its outs' paths. */
function collectedInputs(declaration: PipelineDeclaration, stage: ResolvedStage, address: InstanceAddress): Record<string, readonly CollectedInstance[]> {
  const inputs: Record<string, readonly CollectedInstance[]> = {};
  for (const [key, of] of Object.entries(stage.collects)) {
    const producer = declaredStage(declaration, of)!;
    inputs[key] = (address.collected?.[key] ?? []).map((result) => {
      const instance = resolveStage(declaration, producer, result.params, { name: result.name, values: result.values });
      return { ...result, outs: Object.fromEntries(writtenPaths(instance).map((o) => [o.name, join(declaration.root, o.path)])) };
    });
  }
  return inputs;
}

function makeContext(
  root: string, stage: ResolvedStage, io: InstanceIo, aside: string, collected: Record<string, readonly CollectedInstance[]>,
): StageContext<Record<string, unknown>, Record<string, unknown>, string> {
  const write = (stream: 'stdout' | 'stderr') => (...args: unknown[]) => io.output(stream, format(...args) + '\n');
  const log = Object.assign(write('stdout'), { info: write('stdout'), error: write('stderr') }) as StageLogger;
  const abs = (p: string) => join(root, p);
  const out = (p: string) => {
    const path = join(aside, p);
    mkdirSync(dirname(path), { recursive: true });
    return path;
  };
  return {
    stage: stage.name,
    params: stage.params,
    root,
    deps: stage.deps.map((d) => (d.external ? d.path : abs(d.path))),
    inputs: { ...Object.fromEntries(Object.entries(stage.inputs).map(([k, v]) => [k, abs(v.path)])), ...collected },
    outs: Object.fromEntries(stage.outs.map((o) => [o.name, o.external ? o.path : out(o.path)])),
    metrics: stage.metrics[0] ? out(stage.metrics[0].path) : undefined,
    plots: stage.plots.map((p) => out(p.path)),
    log,
    signal: io.signal,
  };
}

/**
 * Runs a shell command in its own process group, so that cancelling kills everything it started:
 * SIGTERM first, SIGKILL if it is still there after the grace period.
 */
function runCommand(command: string, cwd: string, io: InstanceIo): Promise<void> {
  if (!existsSync(cwd)) return Promise.reject(new StageFailure(`working folder "${cwd}" does not exist`));
  // A pooled shell has the run's environment: a command that needs more gets a process of its own.
  if (io.shells && io.logFile !== undefined && !io.env && ShellPool.accepts(command, cwd, io.logFile)) return io.shells.run(command, cwd, io.logFile, io.signal, io.onOutputFile);
  return new Promise((resolve, reject) => {
    const logFd = io.logFile === undefined ? undefined : openSync(io.logFile, 'w');
    let child;
    try {
      child = spawn('/bin/sh', ['-c', command], {
        cwd, detached: true, stdio: logFd === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', logFd, logFd], ...(io.env ? { env: { ...process.env, ...io.env } } : {}),
      });
    } finally {
      if (logFd !== undefined) closeSync(logFd);
    }
    child.stdout?.setEncoding('utf8').on('data', (text: string) => io.output('stdout', text));
    child.stderr?.setEncoding('utf8').on('data', (text: string) => io.output('stderr', text));
    let killTimer: NodeJS.Timeout | undefined;
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // The group is already gone.
      }
    };
    const onAbort = () => {
      kill('SIGTERM');
      killTimer = setTimeout(() => kill('SIGKILL'), CANCEL_GRACE_MS);
    };
    io.signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err) => reject(new StageFailure(`cannot start /bin/sh: ${err.message}`)));
    child.on('close', (code, signal) => {
      io.signal.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      // Whatever the shell left behind in its group goes with it.
      kill('SIGKILL');
      if (io.signal.aborted) reject(new CancelledError(io.signal.reason));
      else if (code === 0) resolve();
      else reject(new StageFailure(signal ? `command killed by ${signal}` : `command exited with code ${code}`, code ?? undefined, signal ?? undefined));
    });
  });
}
