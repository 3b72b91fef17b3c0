/**
 * Turns a run's events into store records: the run's row at the start, one row per instance as
 * it finishes, the outcome at the end. Rows are written in batches (a sweep of thousands of tiny
 * instances would otherwise pay a transaction each); a batch waits at most FLUSH_MS.
 */
import { execFileSync } from 'node:child_process';
import type { Params } from '../define/declaration.js';
import type { RunEvent, RunEventListener } from '../run/events.js';
import { hostName, type InstanceRecord, type RunInfo, type RunRecord, type RunStore } from './run-store.js';

const FLUSH_MS = 100;
const FLUSH_ROWS = 500;

export class RunRecorder {
  readonly run: RunRecord;
  private pending: InstanceRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Params and stage of each instance, from its `queued` event until it is recorded. */
  private readonly known = new Map<string, { of: string; params: Params; logPath?: string }>();

  constructor(private readonly store: RunStore, info: Omit<RunInfo, 'host' | 'gitCommit' | 'gitDirty'>, root: string) {
    this.run = store.startRun({ ...info, host: hostName(), ...gitState(root) });
  }

  readonly onEvent: RunEventListener = (event: RunEvent) => {
    switch (event.type) {
      case 'queued':
        this.known.set(event.stage, { of: event.of, params: event.params });
        break;
      case 'started':
        this.known.get(event.stage)!.logPath = event.logPath;
        break;
      case 'up-to-date':
        this.add(event.stage, { status: 'skipped', metrics: event.metrics, outs: event.outs, fingerprint: event.fingerprint });
        break;
      case 'restored':
        this.add(event.stage, { status: 'restored', metrics: event.metrics, outs: event.outs, fingerprint: event.fingerprint });
        break;
      case 'succeeded':
        this.add(event.stage, { status: 'ran', durationMs: event.durationMs, metrics: event.metrics, outs: event.outs, fingerprint: event.fingerprint });
        break;
      case 'failed':
        this.add(event.stage, { status: 'failed', durationMs: event.durationMs, error: event.error.message, logPath: event.logPath });
        break;
      case 'skipped':
        if (event.of !== undefined && !this.known.has(event.stage)) this.known.set(event.stage, { of: event.of, params: event.params ?? {} });
        this.add(event.stage, { status: 'not-run', error: event.because ? `${event.reason}: ${event.because}` : event.reason });
        break;
      case 'run-finished': {
        this.flush();
        const { summary } = event;
        const status = summary.cancelled ? 'cancelled' : summary.failed.length ? 'failed' : 'succeeded';
        this.store.finishRun(this.run.id, status, {
          ran: summary.succeeded.length, skipped: summary.upToDate.length, restored: summary.restored.length, failed: summary.failed.length, notRun: summary.skipped.length,
        });
        break;
      }
      default:
        break;
    }
  };

  private add(name: string, record: Omit<InstanceRecord, 'name' | 'stage' | 'params'>): void {
    const known = this.known.get(name);
    this.known.delete(name);
    this.pending.push({ name, stage: known?.of ?? name, params: known?.params ?? {}, logPath: known?.logPath, ...record });
    if (this.pending.length >= FLUSH_ROWS) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS).unref();
  }

  /** Writes what is pending; also called when a run ends abnormally. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    this.store.recordInstances(this.run.id, batch);
  }
}

/** The commit checked out and whether tracked files differ from it; nothing outside a git work tree. */
function gitState(root: string): Pick<RunInfo, 'gitCommit' | 'gitDirty'> {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const gitCommit = git('rev-parse', 'HEAD');
    return { gitCommit, gitDirty: git('status', '--porcelain', '--untracked-files=no').length > 0 };
  } catch {
    return {};
  }
}
