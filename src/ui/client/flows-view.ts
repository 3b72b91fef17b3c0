/// <reference lib="dom" />
/**
 * The flows page: each flow served from this project (`pipewright serve`) with its cells' items,
 * throughput, latency and queue depth, asked for every second while the page is open.
 * Throughput is the change in a cell's item count between two readings.
 */
import { el, fetchJson, formatValue, show } from './dom.js';

interface CellMetrics {
  cell: string; items: number; errors: number; skipped: number; queued: number; clones: number; clonesBusy: number;
  latencyMs: { p50: number; p90: number; p99: number };
}
interface FlowNow {
  flow: string; url: string; file: string; pid: number; startedAt: number; at: number; error?: string;
  metrics?: { itemsIn: number; itemsOut: number; inFlight: number; cells: CellMetrics[] };
}

const POLL_MS = 1000;
let timer: number | undefined;

export function leaveFlows(): void {
  window.clearTimeout(timer);
}

export async function flowsView(): Promise<void> {
  leaveFlows();
  const body = el('div', { id: 'flows' });
  show(el('h1', {}, 'Flows'), el('p', { class: 'meta' }, 'Flows served from this project by `pipewright serve`, read every second.'), body);
  /** The last reading of each flow's cells, for rates. */
  const previous = new Map<string, { at: number; items: number }>();
  const poll = async () => {
    try {
      const flows = await fetchJson<FlowNow[]>('/api/flows');
      body.replaceChildren(...(flows.length ? flows.map((f) => flowSection(f, previous)) : [el('p', { class: 'empty' }, 'No flow is being served from this project: start one with `pipewright serve FILE` in this folder.')]));
    } catch (err) {
      body.replaceChildren(el('p', { class: 'error' }, (err as Error).message));
    }
    if (body.isConnected) timer = window.setTimeout(() => void poll(), POLL_MS);
  };
  await poll();
}

function flowSection(f: FlowNow, previous: Map<string, { at: number; items: number }>): HTMLElement {
  const title = el('h2', {}, `${f.flow} `, el('span', { class: 'meta' }, `${f.file} · ${f.url} · pid ${f.pid}`));
  if (!f.metrics) return el('section', { class: 'flow', 'data-flow': f.flow }, title, el('p', { class: 'error' }, f.error ?? 'no metrics'));
  const m = f.metrics;
  const rows = m.cells.map((c) => {
    const key = `${f.pid}/${c.cell}`;
    const before = previous.get(key);
    previous.set(key, { at: f.at, items: c.items });
    const rate = before && f.at > before.at ? ((c.items - before.items) * 1000) / (f.at - before.at) : undefined;
    return el('tr', { 'data-cell': c.cell },
      el('td', {}, c.cell), el('td', { class: 'items' }, String(c.items)), el('td', { class: 'rate' }, rate === undefined ? '…' : `${formatValue(rate)}/s`),
      el('td', {}, `${formatValue(c.latencyMs.p50)} / ${formatValue(c.latencyMs.p90)} / ${formatValue(c.latencyMs.p99)} ms`),
      el('td', { class: 'queued' }, String(c.queued)), el('td', {}, `${c.clonesBusy}/${c.clones}`),
      el('td', {}, String(c.errors)), el('td', {}, String(c.skipped)));
  });
  return el('section', { class: 'flow', 'data-flow': f.flow }, title,
    el('p', { class: 'meta' }, `${m.itemsIn} in · ${m.itemsOut} out · ${m.inFlight} in flight`),
    el('table', { class: 'cells' },
      el('thead', {}, el('tr', {}, ...['cell', 'items', 'throughput', 'latency p50 / p90 / p99', 'queued', 'busy clones', 'errors', 'skipped'].map((h) => el('th', {}, h)))),
      el('tbody', {}, ...rows)));
}
