/**
 * A run as the run page draws it: its DAG of declared stages and every instance's state, made by
 * replaying the run's events (which say what is running and why a stage ran) and then taking the
 * store's rows for finished instances (which are final). No DOM here: the reducer is plain data.
 */

/** queued: waiting for a slot; not-run: upstream failed or the run was cancelled. */
export type InstanceState = 'queued' | 'running' | 'ran' | 'skipped' | 'restored' | 'failed' | 'not-run';

/** A DAG node's colour: the states of its instances taken together. */
export type NodeState = 'pending' | 'running' | 'succeeded' | 'cached' | 'failed' | 'not-run';

export interface LiveInstance {
  readonly name: string;
  readonly stage: string;
  state: InstanceState;
  params: Record<string, unknown>;
  /** Why it ran, or why it was restored (as `pipewright run --explain` says it). */
  reasons: string[];
  /** Where restored outs came from: its lock, the run cache, or DVC's cache. */
  from?: string;
  startedAt?: number;
  durationMs?: number;
  host?: string;
  metrics?: Record<string, unknown>;
  error?: string;
  /** A log can be asked for (it ran, or is running). */
  hasLog: boolean;
  attempt?: string;
}

/** The store's row of a finished instance, as /api/runs/ID gives it. */
export interface RecordedInstance {
  name: string; stage: string; status: string; durationMs?: number; params: Record<string, unknown>;
  metrics?: Record<string, unknown>; host?: string; error?: string; log?: string;
}

/** One line of the run's events.jsonl (only the fields read here). */
export interface RunEventLine {
  type: string; t: number; stage?: string; of?: string; params?: Record<string, unknown>;
  reasons?: string[]; from?: string; durationMs?: number; host?: string; metrics?: Record<string, unknown>;
  error?: { message: string } | string; reason?: string; because?: string; attempt?: number;
  graph?: { stage: string; upstream: string[] }[];
}

export class RunState {
  /** Declared stage → the declared stages it reads from. */
  readonly upstream = new Map<string, string[]>();
  readonly instances = new Map<string, LiveInstance>();
  /** Whether the events said how the stages connect (runs recorded before events were kept did not). */
  hasGraph = false;
  finished = false;

  apply(events: readonly RunEventLine[]): void {
    for (const event of events) this.applyOne(event);
  }

  /** The store's rows win: they are written once an instance is done, and never change. */
  takeRecords(records: readonly RecordedInstance[]): void {
    for (const r of records) {
      const live = this.instance(r.name, r.stage);
      live.state = (['ran', 'skipped', 'restored', 'failed', 'not-run'].includes(r.status) ? r.status : live.state) as InstanceState;
      live.params = r.params;
      if (r.durationMs !== undefined) live.durationMs = r.durationMs;
      if (r.metrics) live.metrics = r.metrics;
      if (r.host) live.host = r.host;
      if (r.error) live.error = r.error;
      live.hasLog = r.log !== undefined;
      if (!this.upstream.has(r.stage)) this.upstream.set(r.stage, []);
    }
  }

  /**
   * The run is over but some instances never said how they ended (its process was killed): they
   * did not run to the end, and nothing will change them now.
   */
  settle(): void {
    for (const live of this.instances.values()) {
      if (live.state !== 'queued' && live.state !== 'running') continue;
      live.error ??= live.state === 'running' ? 'the run stopped while this ran (killed?)' : 'the run stopped before this started';
      live.state = 'not-run';
    }
  }

  /** Instances by declared stage, in the order they were first seen. */
  byStage(): Map<string, LiveInstance[]> {
    const groups = new Map<string, LiveInstance[]>([...this.upstream.keys()].map((s) => [s, []]));
    for (const i of this.instances.values()) {
      if (!groups.has(i.stage)) groups.set(i.stage, []);
      groups.get(i.stage)!.push(i);
    }
    return groups;
  }

  private instance(name: string, stage?: string): LiveInstance {
    let live = this.instances.get(name);
    if (!live) {
      live = { name, stage: stage ?? name, state: 'queued', params: {}, reasons: [], hasLog: false };
      this.instances.set(name, live);
    }
    return live;
  }

  private applyOne(e: RunEventLine): void {
    if (e.type === 'run-started') {
      for (const { stage, upstream } of e.graph ?? []) this.upstream.set(stage, upstream);
      this.hasGraph = e.graph !== undefined;
      return;
    }
    if (e.type === 'run-finished') {
      this.finished = true;
      return;
    }
    if (e.stage === undefined) return;
    const live = this.instance(e.stage, e.of);
    switch (e.type) {
      case 'queued':
        live.params = e.params ?? {};
        break;
      case 'started':
        live.state = 'running';
        live.startedAt = e.t;
        live.reasons = e.reasons ?? [];
        live.hasLog = true;
        break;
      case 'retrying':
        live.attempt = `attempt ${(e.attempt ?? 1) + 1}`;
        break;
      case 'up-to-date':
        live.state = 'skipped';
        live.metrics = e.metrics;
        break;
      case 'restored':
        live.state = 'restored';
        live.from = e.from;
        live.reasons = e.reasons ?? [];
        live.metrics = e.metrics;
        break;
      case 'succeeded':
        live.state = 'ran';
        live.durationMs = e.durationMs;
        live.metrics = e.metrics;
        if (e.host) live.host = e.host;
        break;
      case 'failed':
        live.state = 'failed';
        live.durationMs = e.durationMs;
        live.error = typeof e.error === 'string' ? e.error : e.error?.message;
        break;
      case 'skipped':
        live.state = 'not-run';
        live.error = e.because ? `${e.reason}: ${e.because}` : e.reason;
        break;
      default:
        break;
    }
  }
}

/** One colour for a stage's instances: a failure shows first, then work going on. */
export function nodeState(instances: readonly LiveInstance[]): NodeState {
  const count = (...states: InstanceState[]) => instances.filter((i) => states.includes(i.state)).length;
  if (count('failed')) return 'failed';
  if (count('running')) return 'running';
  if (instances.length === 0 || count('queued') === instances.length) return 'pending';
  if (count('not-run') === instances.length) return 'not-run';
  if (count('queued')) return 'running';
  if (count('skipped', 'restored') === instances.length) return 'cached';
  return 'succeeded';
}

/** What the cache did for an instance, in words. */
export function cacheWords(i: LiveInstance): string {
  switch (i.state) {
    case 'skipped': return 'hit: up to date, not run';
    case 'restored': return `hit: restored from ${i.from === 'run-cache' ? 'the run cache' : i.from === 'dvc' ? "DVC's cache" : i.from === 'remote' ? 'the shared remote' : 'its lock'}`;
    case 'ran': case 'running': case 'failed': return 'miss: ran';
    default: return '-';
  }
}
