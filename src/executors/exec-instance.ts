/**
 * The one exec path: load the pipeline file, find the stage, resolve it with the given params and
 * run it. Every executor ends here, in its own thread or process.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { format } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { loadPipeline } from '../define/load.js';
import type { Metrics, StageContext, StageLogger } from '../define/stage.js';
import { CancelledError, StageFailure } from '../errors.js';
import { resolveStage, type ResolvedStage } from '../graph/resolve.js';
import { CANCEL_GRACE_MS, type ExecResult, type InstanceAddress, type OutputSink } from './executor.js';

export interface InstanceIo {
  readonly output: OutputSink;
  readonly signal: AbortSignal;
}

export async function execInstance(address: InstanceAddress, io: InstanceIo): Promise<ExecResult> {
  const declaration = await loadPipeline(address.pipelineFile);
  const declared = declaration.stages.find((s) => s.name === address.stage);
  if (!declared) throw new StageFailure(`stage "${address.stage}" is no longer in ${address.pipelineFile}`);
  const stage = resolveStage(declaration, declared, address.params);
  const root = declaration.root;
  if (io.signal.aborted) throw new CancelledError(io.signal.reason);

  prepareOuts(root, stage);
  let returned: unknown;
  if (stage.kind === 'cmd') {
    await runCommand(stage.command!, join(root, stage.wdir), io);
  } else {
    returned = await declared.run!(makeContext(root, stage, io));
    if (io.signal.aborted) throw new CancelledError(io.signal.reason);
  }
  const metrics = collectMetrics(root, stage, returned);
  checkOuts(root, stage);
  return metrics ? { metrics } : {};
}

/** Like DVC: outs are removed before the stage runs, so a stale out is never taken for a new one. */
function prepareOuts(root: string, stage: ResolvedStage): void {
  for (const out of [...stage.outs, ...stage.metrics, ...stage.plots]) {
    const abs = join(root, out.path);
    rmSync(abs, { recursive: true, force: true });
    mkdirSync(dirname(abs), { recursive: true });
  }
}

function checkOuts(root: string, stage: ResolvedStage): void {
  const missing = [...stage.outs, ...stage.metrics, ...stage.plots].filter((o) => !existsSync(join(root, o.path)));
  if (missing.length) {
    throw new StageFailure(`stage "${stage.name}" finished but did not write ${missing.map((m) => `"${m.path}"`).join(', ')}`);
  }
}

function collectMetrics(root: string, stage: ResolvedStage, returned: unknown): Metrics | undefined {
  const isObject = returned !== null && typeof returned === 'object' && !Array.isArray(returned);
  if (isObject && stage.metrics.length === 1) {
    writeFileSync(join(root, stage.metrics[0]!.path), JSON.stringify(returned, null, 2) + '\n');
  }
  let metrics: Metrics | undefined = isObject ? { ...(returned as Metrics) } : undefined;
  for (const file of stage.metrics) {
    const abs = join(root, file.path);
    if (!existsSync(abs)) continue;
    try {
      const data: unknown = parseYaml(readFileSync(abs, 'utf8'));
      if (data !== null && typeof data === 'object') metrics = { ...metrics, ...(data as Metrics) };
    } catch (err) {
      throw new StageFailure(`metrics file "${file.path}" of stage "${stage.name}" is not JSON or YAML: ${(err as Error).message}`);
    }
  }
  return metrics;
}

function makeContext(root: string, stage: ResolvedStage, io: InstanceIo): StageContext<Record<string, unknown>, string, string> {
  const write = (stream: 'stdout' | 'stderr') => (...args: unknown[]) => io.output(stream, format(...args) + '\n');
  const log = Object.assign(write('stdout'), { info: write('stdout'), error: write('stderr') }) as StageLogger;
  const abs = (p: string) => join(root, p);
  return {
    stage: stage.name,
    params: stage.params,
    root,
    deps: stage.deps.map((d) => abs(d.path)),
    inputs: Object.fromEntries(Object.entries(stage.inputs).map(([k, v]) => [k, abs(v.path)])),
    outs: Object.fromEntries(stage.outs.map((o) => [o.name, abs(o.path)])),
    metrics: stage.metrics[0] ? abs(stage.metrics[0].path) : undefined,
    plots: stage.plots.map((p) => abs(p.path)),
    log,
    signal: io.signal,
  };
}

/**
 * Runs a shell command in its own process group, so that cancelling kills everything it started:
 * SIGTERM first, SIGKILL if it is still there after the grace period.
 */
function runCommand(command: string, cwd: string, io: InstanceIo): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!existsSync(cwd)) {
      reject(new StageFailure(`working folder "${cwd}" does not exist`));
      return;
    }
    const child = spawn('/bin/sh', ['-c', command], { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', (text: string) => io.output('stdout', text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => io.output('stderr', text));
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
