/**
 * The no-op fast path as a module of its own, light enough that the CLI's entry can answer a plain
 * `pipewright run` with it before loading the rest of the CLI: a run that changes nothing should
 * cost little more than starting Node.
 */
import { dirname, resolve } from 'node:path';
import { checkUpToDate, keepCertificate, type UpToDateRun } from '../cache/up-to-date.js';
import { findPipelineFile } from '../define/load.js';
import { layout } from '../layout.js';
import { RunRecorder } from '../store/recorder.js';
import type { RunInfo } from '../store/run-store.js';
import type { RunEventListener, RunSummary } from './events.js';

export interface Recording {
  readonly recorder: RunRecorder;
  readonly store?: { close(): void };
}

/**
 * A no-op recorded the cheap way: appended to the store's journal, taken in when it is next opened,
 * its instances left in the certificate that proved it a no-op.
 */
export function journaledRecording(root: string, info: Pick<RunInfo, 'name' | 'argv' | 'version'>, certificate: UpToDateRun['certificate']): Recording {
  return { recorder: new RunRecorder({ journal: layout(root).runsJournal, instancesFrom: keepCertificate(certificate) }, info, root) };
}

/**
 * When the project's last full run proved it up to date and nothing has moved since, reports and
 * records the run as the long way would and returns its summary; otherwise undefined.
 */
export async function answerNoOp(
  dir: string, jobs: number, onEvent: RunEventListener,
  openRecorder: (root: string, certificate: UpToDateRun['certificate']) => Promise<Recording | undefined>,
): Promise<RunSummary | undefined> {
  const file = findPipelineFile(resolve(dir));
  const known = checkUpToDate(dirname(file), file);
  if (!known) return undefined;
  const recording = await openRecorder(dirname(file), known.certificate);
  try {
    return reportUpToDate(known.stages, jobs, recording ? tee(onEvent, recording.recorder.onEvent) : onEvent);
  } finally {
    await recording?.recorder.close();
    recording?.store?.close();
  }
}

/** The events of a run found to be a no-op by the fast path: the same as the long way's. */
function reportUpToDate(stages: UpToDateRun['stages'], jobs: number, onEvent: RunEventListener): RunSummary {
  const started = Date.now();
  onEvent({ type: 'run-started', stages: stages.map((s) => s.name), jobs, failMode: 'keep-going' });
  for (const { name, of, params } of stages) onEvent({ type: 'queued', stage: name, of, params });
  for (const { name, metrics, outs, fingerprint } of stages) onEvent({ type: 'up-to-date', stage: name, metrics, outs, fingerprint });
  const summary: RunSummary = { succeeded: [], upToDate: stages.map((s) => s.name), restored: [], failed: [], blocked: [], skipped: [], cancelled: false };
  onEvent({ type: 'run-finished', summary, durationMs: Date.now() - started });
  return summary;
}

export function tee(...listeners: RunEventListener[]): RunEventListener {
  return (event) => {
    for (const listener of listeners) listener(event);
  };
}
