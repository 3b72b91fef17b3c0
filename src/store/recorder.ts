/**
 * Turns a run's events into store records: the run's row at the start, one row per instance as
 * it finishes, the outcome at the end. Rows are written in batches (a sweep of thousands of tiny
 * instances would otherwise pay a transaction each); a batch waits at most FLUSH_MS.
 *
 * A no-op run answered by the fast path must stay cheap, and opening SQLite alone costs more than
 * the rest of it: such a run is appended to a small journal instead, which the store takes in the
 * next time it is opened (see RunStore).
 */
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Params } from '../define/declaration.js';
import type { RunEvent, RunEventListener, RunSummary } from '../run/events.js';
import { hostname } from 'node:os';
// Types only: a journaled run must not load SQLite.
import type { DeferredRun, InstanceRecord, RunInfo, RunStatus, RunStore } from './run-store.js';
import { REPAIR_HINT, isDamagedDatabase } from '../sqlite-damage.js';
import { runFilesDir } from '../layout.js';
import { RunFiles } from './run-files.js';

const FLUSH_MS = 100;
const FLUSH_ROWS = 500;

/**
 * Where a run is recorded: straight into the store, or appended to the store's journal; a no-op's
 * instances may be left in a kept certificate (`instancesFrom`) rather than journaled row by row.
 */
export type RecordTarget = { readonly store: RunStore } | { readonly journal: string; readonly instancesFrom?: string };

export class RunRecorder {
  /** The run's id in the store; undefined for a journaled run, which gets one when taken in. */
  readonly runId: number | undefined;
  readonly runName: string | undefined;
  private readonly startedAt = Date.now();
  private readonly info: RunInfo;
  private pending: InstanceRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private summary: RunSummary | undefined;
  /** Asked at the start, read at the end: `git status` on a big repository takes a while. */
  private readonly git: Promise<Pick<RunInfo, 'gitCommit' | 'gitDirty'>>;
  /** Params and stage of each instance, from its `queued` event until it is recorded. */
  private readonly known = new Map<string, { of: string; params: Params; logPath?: string }>();

  /** A no-op's kept certificate, which holds its instances. */
  private readonly instancesFrom: string | undefined;

  /** The run's events and kept logs, for a run written to the store. */
  private readonly files: RunFiles | undefined;

  /** Set when the store turned out to be damaged: the run goes on, unrecorded. */
  private damaged = false;

  constructor(private readonly target: RecordTarget, info: Omit<RunInfo, 'host' | 'gitCommit' | 'gitDirty'>, root: string,
    private readonly onDamaged: (message: string) => void = () => {}) {
    this.instancesFrom = 'instancesFrom' in target ? target.instancesFrom : undefined;
    this.info = { ...info, host: hostname() };
    this.git = gitState(root);
    const run = 'store' in target ? target.store.startRun(this.info, this.startedAt) : undefined;
    this.runId = run?.id;
    this.runName = run?.name;
    if ('store' in target && run) this.files = new RunFiles(runFilesDir(dirname(target.store.file), run.id), onDamaged);
  }

  readonly onEvent: RunEventListener = (event: RunEvent) => {
    // A no-op whose instances stay in its certificate needs only its outcome.
    if (this.instancesFrom !== undefined && event.type !== 'run-finished') return;
    this.files?.add(event);
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
        this.add(event.stage, { status: 'ran', durationMs: event.durationMs, metrics: event.metrics, outs: event.outs, fingerprint: event.fingerprint, ...(event.host ? { host: event.host } : {}) });
        break;
      case 'failed':
        this.add(event.stage, { status: 'failed', durationMs: event.durationMs, error: event.error.message, logPath: event.logPath });
        break;
      case 'skipped':
        if (event.of !== undefined && !this.known.has(event.stage)) this.known.set(event.stage, { of: event.of, params: event.params ?? {} });
        this.add(event.stage, { status: 'not-run', error: event.because ? `${event.reason}: ${event.because}` : event.reason });
        break;
      case 'run-finished':
        this.summary = event.summary;
        break;
      default:
        break;
    }
  };

  private add(name: string, record: Omit<InstanceRecord, 'name' | 'stage' | 'params'>): void {
    const known = this.known.get(name);
    this.known.delete(name);
    const ranLog = record.logPath ?? known?.logPath;
    const logPath = ranLog !== undefined && this.files ? this.files.keepLog(ranLog) : ranLog;
    this.pending.push({ name, stage: known?.of ?? name, params: known?.params ?? {}, ...record, logPath });
    if (!('store' in this.target)) return;
    if (this.pending.length >= FLUSH_ROWS) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS).unref();
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!('store' in this.target)) return;
    const batch = this.pending;
    this.pending = [];
    const store = this.target.store;
    this.write(() => store.recordInstances(this.runId!, batch));
  }

  /** A write to the store; a damaged store stops the recording (said once), never the run. */
  private write(body: () => void): void {
    if (this.damaged) return;
    try {
      body();
    } catch (err) {
      if (!isDamagedDatabase(err)) throw err;
      this.damaged = true;
      this.onDamaged(`.pipewright/runs.db is damaged (${(err as Error).message}): the rest of this run is not recorded. ${REPAIR_HINT}`);
    }
  }

  /** Writes what is left and the run's outcome (a run that ended by an error counts as failed). */
  async close(): Promise<void> {
    const summary = this.summary;
    const status: RunStatus = !summary ? 'failed' : summary.cancelled ? 'cancelled' : summary.failed.length ? 'failed' : 'succeeded';
    const counts: Record<string, number> = summary
      ? { ran: summary.succeeded.length, skipped: summary.upToDate.length, restored: summary.restored.length, failed: summary.failed.length, notRun: summary.skipped.length }
      : {};
    const git = await this.git;
    if ('store' in this.target) {
      this.flush();
      this.files?.flush();
      const store = this.target.store;
      this.write(() => store.finishRun(this.runId!, status, counts, git));
      return;
    }
    const from = this.instancesFrom;
    const run: DeferredRun = {
      info: { ...this.info, ...git }, startedAt: this.startedAt, endedAt: Date.now(), status, counts,
      ...(from === undefined ? { instances: this.pending } : { instances: [], instancesFrom: from }),
    };
    mkdirSync(dirname(this.target.journal), { recursive: true });
    appendFileSync(this.target.journal, JSON.stringify(run) + '\n');
  }
}

/**
 * The commit checked out and whether tracked files differ from it; nothing outside a git work
 * tree. One `git status` says both (`# branch.oid`, then a line per change): a spawn is milliseconds,
 * but a no-op's are few, so git is not asked where there is no `.git` to find.
 */
function gitState(root: string): Promise<Pick<RunInfo, 'gitCommit' | 'gitDirty'>> {
  if (!insideGitWorkTree(root)) return Promise.resolve({});
  // Loaded here: node:child_process (and streams, sockets) cost a no-op outside git ~3 ms.
  return import('node:child_process').then(({ execFile }) => new Promise((resolve) => {
    execFile('git', ['status', '--porcelain=v2', '--branch', '--untracked-files=no'], { cwd: root, encoding: 'utf8' }, (err, stdout) => {
      const commit = err ? undefined : /^# branch\.oid ([0-9a-f]{7,})$/m.exec(stdout)?.[1];
      if (!commit) return resolve({});
      resolve({ gitCommit: commit, gitDirty: stdout.split('\n').some((line) => line !== '' && !line.startsWith('#')) });
    });
  }));
}

/** Whether git could find a repository from `dir`: a `.git` in it or above, or one named by GIT_DIR. */
function insideGitWorkTree(dir: string): boolean {
  if (process.env.GIT_DIR) return true;
  for (let at = resolve(dir); ; at = dirname(at)) {
    if (existsSync(join(at, '.git'))) return true;
    if (dirname(at) === at) return false;
  }
}
