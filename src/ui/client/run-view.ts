/// <reference lib="dom" />
/**
 * A run's page: its DAG coloured by the instances' states, kept live over Server-Sent Events
 * while the run goes on; a click on a stage shows its instances (params, duration, host, cache
 * hit, why it ran, metrics) and a log viewer that follows a running instance.
 */
import { el, fetchJson, formatDuration, formatValue, show } from './dom.js';
import { drawDag, type DagView } from './dag.js';
import { RunState, cacheWords, nodeState, type LiveInstance, type RecordedInstance, type RunEventLine } from './run-state.js';

interface RunDetail {
  run: { id: number; name: string; status: string; startedAt: number; endedAt?: number; host: string; argv: string[] };
  instances: RecordedInstance[];
}
interface LogRange { path: string; size: number; from: number; to: number; text: string }

/** Shortest time between two repaints of a live run. */
const PAINT_MS = 250;

/** The page's live parts; a new run page closes the old one's stream and timers. */
let current: { close(): void } | undefined;

/** Counts page changes: a run page whose first answer comes after the user moved on is dropped. */
let visit = 0;

/** Stops following the run shown (its event stream, its log). */
export function leaveRun(): void {
  visit++;
  current?.close();
  current = undefined;
}

export async function runView(id: number): Promise<void> {
  leaveRun();
  const mine = ++visit;
  const detail = await fetchJson<RunDetail>(`/api/runs/${id}`);
  if (mine !== visit) return;
  const { run } = detail;
  const state = new RunState();
  const status = el('span', { id: 'run-status' });
  const rest = el('span', {});
  const describe = (now: RunDetail['run']) => {
    status.textContent = now.status;
    status.className = `status-${now.status}`;
    rest.textContent = ` · started ${new Date(now.startedAt).toLocaleString()}` +
      `${now.endedAt ? ` · took ${formatDuration(now.endedAt - now.startedAt)}` : ''} · ${now.host} · pipewright ${now.argv.join(' ')}`;
  };
  describe(run);
  const meta = el('p', { class: 'meta' }, status, rest);
  const dagBox = el('section', { id: 'dag' });
  const details = el('section', { id: 'stage' });
  const plotsBox = el('section', { id: 'stage-plots' });
  const logBox = el('section', { id: 'log' });
  show(el('p', {}, el('a', { href: '#/' }, '‹ all runs')), el('h1', {}, `#${run.id} ${run.name}`), meta, dagBox, details, plotsBox, logBox);

  let dag: DagView | undefined;
  let drawn = '';
  let selected: string | undefined;
  /** The stage and state whose plots are shown: drawn again only when either changes. */
  let plotted = '';
  /** The stage and instance states the instances table shows. */
  let tabled = '';
  let follow: LogFollower | undefined;
  const repaint = () => {
    // Laid out again only when the stages or edges change (a run's first events, a new sweep).
    const shape = JSON.stringify([...state.upstream]);
    if (!dag || shape !== drawn) {
      drawn = shape;
      dag = drawDag(state.upstream, (stage) => {
        selected = stage;
        showStage(stage);
      });
      dagBox.replaceChildren(dag.element);
      if (!state.hasGraph) dagBox.append(el('p', { class: 'meta' }, 'This run was recorded without its events: its stages are shown, not how they connect.'));
    }
    dag.update(state.byStage());
    if (selected) showStage(selected);
  };
  const showStage = (stage: string) => {
    for (const g of dagBox.querySelectorAll('g.node')) g.classList.toggle('selected', g.getAttribute('data-stage') === stage);
    const instances = state.byStage().get(stage) ?? [];
    const now = nodeState(instances);
    const drawn = `${stage}:${now}`;
    // Plots are read from what the run recorded: none before the stage is done.
    if (drawn !== plotted) plotsBox.replaceChildren();
    if (drawn !== plotted && now !== 'pending' && now !== 'running') {
      plotted = drawn;
      // vega is a chunk of its own, loaded when the first stage is shown.
      void import('./plots.js').then((m) => m.renderPlots(plotsBox, [run.id], stage, { quietWhenNone: true }));
    }
    // A sweep's table of a thousand rows is built again only when one of them changed.
    const table = `${stage}:${instances.map((i) => `${i.state}${i.attempt ?? ''}${i.hasLog ? 1 : 0}`).join()}`;
    if (table === tabled) return;
    tabled = table;
    details.replaceChildren(...stageDetails(run.id, run.host, stage, instances, (instance) => {
      follow?.stop();
      follow = new LogFollower(run.id, instance, logBox, () => state.instances.get(instance)?.state === 'running');
    }));
  };

  // The events say what is running and why; the store's rows, once an instance is done, are
  // final: replaying the events never undoes them.
  let records = detail.instances;
  let stale = false;
  const source = new EventSource(`/api/runs/${id}/events`);
  state.takeRecords(records);
  let paintedAt = 0;
  const paint = () => {
    stale = false;
    paintedAt = Date.now();
    repaint();
  };
  source.addEventListener('message', (message) => {
    state.apply(JSON.parse(message.data as string) as RunEventLine[]);
    state.takeRecords(records);
    // At once when the page has been quiet; else with the next tick.
    if (Date.now() - paintedAt >= PAINT_MS) paint();
    else stale = true;
  });
  source.addEventListener('end', () => {
    source.close();
    stale = true;
    void fetchJson<RunDetail>(`/api/runs/${id}`).then((now) => {
      records = now.instances;
      state.takeRecords(records);
      if (now.run.status !== 'running') state.settle();
      describe(now.run);
      repaint();
    });
  });
  // A stream that cannot be had (the server went away): draw what the store says.
  source.addEventListener('error', () => {
    stale = true;
  });
  // At most four times a second, however fast the events come; running instances' time goes on.
  const timer = window.setInterval(() => {
    if (stale) paint();
    for (const cell of details.querySelectorAll<HTMLElement>('td.took[data-started]')) cell.textContent = formatDuration(Date.now() - Number(cell.dataset.started));
  }, PAINT_MS);
  current = {
    close() {
      source.close();
      window.clearInterval(timer);
      follow?.stop();
    },
  };
}

function stageDetails(runId: number, runHost: string, stage: string, instances: readonly LiveInstance[], openLog: (instance: string) => void): Node[] {
  const rows = instances.map((i) => {
    const log = el('td', {});
    if (i.hasLog) {
      const button = el('button', { class: 'open-log', 'data-instance': i.name }, i.state === 'running' ? 'follow log' : 'log');
      button.addEventListener('click', () => openLog(i.name));
      log.append(button);
    } else log.textContent = '-';
    const took = i.durationMs ?? (i.state === 'running' && i.startedAt ? Date.now() - i.startedAt : undefined);
    return el('tr', { 'data-instance': i.name, class: `status-${i.state}` },
      el('td', {}, i.name), el('td', { class: 'status' }, i.attempt && i.state === 'running' ? `running (${i.attempt})` : i.state),
      el('td', i.durationMs === undefined && i.state === 'running' && i.startedAt ? { class: 'took', 'data-started': String(i.startedAt) } : { class: 'took' }, formatDuration(took)),
      el('td', {}, formatValue(i.params)), el('td', { class: 'cache' }, cacheWords(i)),
      el('td', { class: 'reason' }, i.error ?? (i.reasons.join('; ') || '-')), el('td', {}, i.metrics ? formatValue(i.metrics) : '-'),
      // An instance without a host of its own ran on the run's.
      el('td', {}, i.host ?? runHost), log);
  });
  return [
    el('h2', {}, `stage ${stage}`),
    el('p', { class: 'meta' }, `${instances.length} instance${instances.length === 1 ? '' : 's'} in run #${runId}`),
    el('table', { class: 'instances' },
      el('thead', {}, el('tr', {}, ...['instance', 'status', 'took', 'params', 'cache', 'why / error', 'metrics', 'host', 'log'].map((h) => el('th', {}, h)))),
      el('tbody', {}, ...rows)),
  ];
}

/**
 * The log's tail first; "load earlier" asks for the range before it (large logs never come
 * whole); while the instance runs, what it appends is asked for every second.
 */
class LogFollower {
  private timer: number | undefined;
  private stopped = false;

  constructor(runId: number, private readonly instance: string, private readonly box: HTMLElement, private readonly running: () => boolean) {
    void this.open(`/api/runs/${runId}/instances/${encodeURIComponent(instance)}/log`);
  }

  stop(): void {
    this.stopped = true;
    window.clearTimeout(this.timer);
  }

  private async open(base: string): Promise<void> {
    let range: LogRange;
    try {
      range = await fetchJson<LogRange>(base);
    } catch (err) {
      this.box.replaceChildren(el('p', { class: 'error' }, (err as Error).message));
      return;
    }
    const pre = el('pre', { class: 'log-text' }, range.text);
    const size = el('p', { class: 'meta' }, '');
    const earlier = el('button', { id: 'earlier' }, 'load earlier');
    let path = range.path;
    let from = range.from;
    let to = range.to;
    const label = () => {
      size.textContent = `${to} bytes${this.running() ? ' · following' : ''}`;
      earlier.hidden = from === 0;
      if (!pre.textContent) pre.textContent = this.running() ? '' : '(empty log)';
    };
    earlier.addEventListener('click', async () => {
      const before = await fetchJson<LogRange>(`${base}?from=${Math.max(0, from - 64 * 1024)}&to=${from}`);
      pre.textContent = before.text + pre.textContent;
      from = before.from;
      label();
    });
    this.box.replaceChildren(el('h2', {}, `log: ${this.instance}`), size, earlier, pre);
    label();
    // Follow: ask for what was appended since `to` while the instance runs; once it is done,
    // its log is read again whole (a running command may write to a scratch file first).
    const tick = async () => {
      if (this.stopped) return;
      const wasRunning = this.running();
      try {
        if (wasRunning) {
          const more = await fetchJson<LogRange>(`${base}?from=${to}`);
          if (more.path !== path || more.size < to) {
            // Another file now (a retry's), or a file that started again: its tail, afresh.
            const fresh = await fetchJson<LogRange>(base);
            pre.textContent = fresh.text;
            ({ from, to, path } = fresh);
          } else if (more.to > to) {
            pre.append(more.text);
            to = more.to;
            pre.scrollTop = pre.scrollHeight;
          }
        } else {
          const last = await fetchJson<LogRange>(base);
          pre.textContent = last.text;
          ({ from, to, path } = last);
        }
      } catch {
        // The next tick asks again.
      }
      label();
      if (wasRunning && !this.stopped) this.timer = window.setTimeout(() => void tick(), 1000);
    };
    if (this.running()) this.timer = window.setTimeout(() => void tick(), 1000);
  }
}
