/// <reference lib="dom" />
/**
 * The UI's page, no framework: views picked by the URL's hash (`#/` the runs table,
 * `#/runs/12` a run: run-view.ts, `#/compare/1,2` runs compared: compare-view.ts, loaded on
 * demand, `#/flows` served flows: flows-view.ts), built with DOM calls only — never innerHTML
 * with data, so a run name or a log line cannot become markup. Bundled by esbuild into dist/bin/ui-client.js.
 */
import { el, fetchJson, formatDuration, formatValue, show } from './dom.js';
import { leaveRun, runView } from './run-view.js';
import { flowsView, leaveFlows } from './flows-view.js';

interface SweepSummary { stage: string; count: number; metric?: string; min?: number; max?: number }
interface RunRow {
  id: number; name: string; status: string; startedAt: number; durationMs?: number;
  params: Record<string, unknown>; metrics: Record<string, unknown>; sweeps: SweepSummary[];
}
interface RunsPage { total: number; offset: number; limit: number; sort: string; rows: RunRow[]; paramKeys: string[]; metricKeys: string[] }

const PAGE_SIZE = 50;
/** The runs table's state, kept across visits to a run page. */
const table = { offset: 0, sort: '-id', q: '', status: '' };
/** Runs ticked for comparison, kept across pages of the table. */
const selected = new Set<number>();

function failed(err: unknown): void {
  show(el('p', { class: 'error' }, `Could not load: ${(err as Error).message}`));
}

async function runsView(): Promise<void> {
  const filter = el('input', { type: 'search', placeholder: 'filter: name, status, command, commit…', id: 'filter', value: table.q });
  const status = el('select', { id: 'status' }, ...['', 'running', 'succeeded', 'failed', 'cancelled'].map((s) => el('option', { value: s }, s || 'any status')));
  status.value = table.status;
  const body = el('div', { id: 'runs' });
  let timer: number | undefined;
  filter.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      table.q = filter.value;
      table.offset = 0;
      void load();
    }, 200);
  });
  status.addEventListener('change', () => {
    table.status = status.value;
    table.offset = 0;
    void load();
  });
  show(el('h1', {}, 'Runs'), el('div', { class: 'controls' }, filter, status), body);

  /** What the table shows now: the page is drawn again only when the answer changed. */
  let shown = '';
  async function load(): Promise<void> {
    const params = new URLSearchParams({ offset: String(table.offset), limit: String(PAGE_SIZE), sort: table.sort });
    if (table.q) params.set('q', table.q);
    if (table.status) params.set('status', table.status);
    let page: RunsPage;
    try {
      page = await fetchJson<RunsPage>(`/api/runs?${params}`);
    } catch (err) {
      shown = '';
      body.replaceChildren(el('p', { class: 'error' }, (err as Error).message));
      return;
    }
    const answer = JSON.stringify(page);
    if (answer === shown && body.childElementCount) return;
    shown = answer;
    body.replaceChildren(...renderRuns(page, load));
  }
  await load();
  // New runs appear and running ones finish without a reload of the page.
  const refresh = async () => {
    if (!body.isConnected) return;
    if (document.visibilityState === 'visible') await load();
    refreshTimer = window.setTimeout(() => void refresh(), REFRESH_MS);
  };
  refreshTimer = window.setTimeout(() => void refresh(), REFRESH_MS);
}

const REFRESH_MS = 2000;
let refreshTimer: number | undefined;

function leaveRuns(): void {
  window.clearTimeout(refreshTimer);
}

function sweepWords(s: SweepSummary): string {
  const range = s.metric === undefined ? '' : `, ${s.metric} ${formatValue(s.min)}–${formatValue(s.max)}`;
  return `${s.stage}: ${s.count}${range}`;
}

function renderRuns(page: RunsPage, reload: () => Promise<void>): Node[] {
  if (page.total === 0) return [el('p', { class: 'empty' }, table.q || table.status ? 'No run matches.' : 'No runs recorded yet: `pipewright run` records one.')];
  const swept = page.rows.some((r) => r.sweeps.length > 0);
  const columns: { key: string; label: string; cell: (r: RunRow) => string; sortable?: false }[] = [
    { key: 'id', label: 'run', cell: (r) => `#${r.id}` },
    { key: 'name', label: 'name', cell: (r) => r.name },
    { key: 'status', label: 'status', cell: (r) => r.status },
    { key: 'startedAt', label: 'started', cell: (r) => new Date(r.startedAt).toLocaleString() },
    { key: 'durationMs', label: 'took', cell: (r) => formatDuration(r.durationMs) },
    // A sweep's metrics are many: its size and the range of its first metric, as `pipewright runs` shows.
    ...(swept ? [{ key: 'sweeps', label: 'sweeps', cell: (r: RunRow) => r.sweeps.map(sweepWords).join('; ') || '-', sortable: false as const }] : []),
    ...page.paramKeys.map((k) => ({ key: `params.${k}`, label: k, cell: (r: RunRow) => formatValue(r.params[k]) })),
    ...page.metricKeys.map((k) => ({ key: `metrics.${k}`, label: k, cell: (r: RunRow) => formatValue(r.metrics[k]) })),
  ];
  const compare = el('button', { id: 'compare' }, 'compare selected');
  const ticked = () => {
    compare.disabled = selected.size < 2;
    compare.textContent = `compare selected (${selected.size})`;
  };
  ticked();
  // Oldest first: the first run is the one the others are compared against.
  compare.addEventListener('click', () => (location.hash = `#/compare/${[...selected].sort((a, b) => a - b).join(',')}`));
  const header = el('tr', {}, el('th', { class: 'pick' }, ''), ...columns.map((c) => {
    if (c.sortable === false) return el('th', {}, c.label);
    const active = table.sort === c.key || table.sort === `-${c.key}`;
    const th = el('th', { 'data-key': c.key, class: active ? 'sorted' : '', title: 'sort by this column' }, c.label + (active ? (table.sort.startsWith('-') ? ' ▼' : ' ▲') : ''));
    th.addEventListener('click', () => {
      table.sort = table.sort === c.key ? `-${c.key}` : c.key;
      table.offset = 0;
      void reload();
    });
    return th;
  }));
  const rows = page.rows.map((r) => {
    const pick = el('input', { type: 'checkbox', class: 'pick', 'aria-label': `compare run #${r.id}` });
    pick.checked = selected.has(r.id);
    pick.addEventListener('change', () => {
      if (pick.checked) selected.add(r.id);
      else selected.delete(r.id);
      ticked();
    });
    const tr = el('tr', { 'data-run': String(r.id), class: `status-${r.status}` }, el('td', { class: 'pick' }, pick), ...columns.map((c, i) => {
      const td = el('td', {});
      if (i <= 1) td.append(el('a', { href: `#/runs/${r.id}` }, c.cell(r)));
      else td.textContent = c.cell(r);
      return td;
    }));
    return tr;
  });
  const last = Math.min(page.offset + page.rows.length, page.total);
  const prev = el('button', { id: 'prev' }, '‹ newer');
  const next = el('button', { id: 'next' }, 'older ›');
  prev.disabled = page.offset === 0;
  next.disabled = last >= page.total;
  prev.addEventListener('click', () => {
    table.offset = Math.max(0, table.offset - PAGE_SIZE);
    void reload();
  });
  next.addEventListener('click', () => {
    table.offset += PAGE_SIZE;
    void reload();
  });
  return [
    el('table', { class: 'runs' }, el('thead', {}, header), el('tbody', {}, ...rows)),
    el('div', { class: 'pager' }, prev, el('span', { id: 'range' }, `${page.offset + 1}–${last} of ${page.total}`), next, compare),
  ];
}

async function route(): Promise<void> {
  const match = /^#\/runs\/(\d+)$/.exec(location.hash);
  const compared = /^#\/compare\/(\d+(?:,\d+)+)$/.exec(location.hash);
  leaveFlows();
  leaveRun();
  leaveRuns();
  try {
    if (compared) await (await import('./compare-view.js')).compareView(document.getElementById('app')!, compared[1]!.split(',').map(Number));
    else if (match) await runView(Number(match[1]));
    else if (location.hash === '#/flows') await flowsView();
    else await runsView();
  } catch (err) {
    failed(err);
  }
}

window.addEventListener('hashchange', () => void route());
void route();
