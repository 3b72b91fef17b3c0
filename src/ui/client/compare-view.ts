/// <reference lib="dom" />
/**
 * `#/compare/1,2[,3…]`: runs side by side against the first. The params that differ and every
 * metric, with each run's change from the first; their plots overlaid; and for each sweep in
 * them, its instances in parallel coordinates against a metric picked in a select, and on demand
 * which params matter for that metric (`pipewright analyze`'s bars). Loaded as its own chunk.
 */
import { el, fetchJson, formatValue } from './dom.js';
import { renderPlots, renderSpec } from './plots.js';

interface ValueRow { instance: string; key: string; values: unknown[]; deltas: (number | null)[] }
interface SweepSummary { stage: string; count: number; metric?: string }
interface ComparedRun { id: number; name: string; status: string; sweeps: SweepSummary[] }
interface Comparison { runs: ComparedRun[]; params: ValueRow[]; metrics: ValueRow[]; partial: { instance: string; in: number[] }[] }
interface Sweep { stage: string; metric: string; metrics: string[]; instances: number; spec: unknown }
interface Significance { metric: string; instances: number; r2: number; ranking: { param: string; importance: number }[]; note?: string; spec: unknown }

export async function compareView(app: HTMLElement, ids: number[]): Promise<void> {
  const comparison = await fetchJson<Comparison>(`/api/compare?runs=${ids.join(',')}`);
  const { runs } = comparison;
  const plots = el('section', { id: 'plots' });
  const sweeps = runs.flatMap((run) => run.sweeps.map((sweep) => sweepSection(run, sweep)));
  app.replaceChildren(
    el('p', {}, el('a', { href: '#/' }, '‹ all runs')),
    el('h1', {}, `Compare ${runs.map((r) => `#${r.id} ${r.name}`).join(' · ')}`),
    el('p', { class: 'meta' }, `changes are against #${runs[0]!.id}`),
    el('h2', {}, 'Metrics'),
    valueTable('metrics', comparison.metrics, runs),
    el('h2', {}, 'Params that differ'),
    valueTable('params', comparison.params, runs),
    ...(comparison.partial.length ? [notInEveryRun(comparison.partial)] : []),
    el('h2', {}, 'Plots'),
    plots,
    ...(sweeps.length ? [el('h2', {}, 'Sweeps'), ...sweeps.map((s) => s.section)] : []),
  );
  await Promise.all([renderPlots(plots, ids), ...sweeps.map((s) => s.load())]);
}

/** Instance, key, then each run's value, and from the second on its change from the first. */
function valueTable(kind: string, rows: ValueRow[], runs: ComparedRun[]): HTMLElement {
  if (rows.length === 0) return el('p', { class: 'empty' }, `No ${kind} differ.`);
  const head = el('tr', {}, el('th', {}, 'instance'), el('th', {}, 'key'),
    ...runs.flatMap((r, i) => [el('th', {}, `#${r.id}`), ...(i > 0 ? [el('th', {}, `Δ #${r.id}`)] : [])]));
  const changed = (row: ValueRow) => new Set(row.values.map((v) => JSON.stringify(v))).size > 1;
  const body = (picked: ValueRow[]) => picked.map((row) => el('tr', { 'data-key': `${row.instance}.${row.key}` }, el('td', {}, row.instance), el('td', {}, row.key),
    ...row.values.flatMap((value, i) => {
      const cell = el('td', { class: 'value' }, formatValue(value));
      if (i === 0) return [cell];
      const delta = row.deltas[i];
      const sign = delta === null || delta === undefined || delta === 0 ? '' : delta > 0 ? 'up' : 'down';
      return [cell, el('td', { class: `delta ${sign}`, 'data-run': String(runs[i]!.id) }, delta === null || delta === undefined ? '' : signed(delta))];
    })));
  const table = (picked: ValueRow[], name: string) => el('table', { class: `compare ${name}` }, el('thead', {}, head.cloneNode(true)), el('tbody', {}, ...body(picked)));
  // A sweep's instances (`train@lr=0.1`), often hundreds of rows, are folded per stage; so are
  // rows the same in every run (a sweep's cached instances).
  const sweepOf = (row: ValueRow) => (row.instance.includes('@') ? row.instance.slice(0, row.instance.indexOf('@')) : undefined);
  const folded = new Map<string, ValueRow[]>();
  for (const row of rows) {
    const sweep = sweepOf(row);
    if (sweep !== undefined && changed(row)) folded.set(sweep, [...(folded.get(sweep) ?? []), row]);
  }
  const same = rows.filter((row) => !changed(row));
  const plain = rows.filter((row) => changed(row) && sweepOf(row) === undefined);
  const fold = (summary: string, picked: ValueRow[], name: string) => el('details', {}, el('summary', {}, summary), table(picked, name));
  return el('div', {},
    plain.length ? table(plain, kind) : el('p', { class: 'empty' }, `No ${kind} outside sweeps differ.`),
    ...[...folded].map(([stage, picked]) => fold(`${stage}: ${new Set(picked.map((r) => r.instance)).size} sweep instances changed (see Sweeps below)`, picked, `${kind} sweep`)),
    ...(same.length ? [fold(`${same.length} unchanged`, same, `${kind} unchanged`)] : []));
}

/** Instances some runs lack (an adaptive sweep's points differ): a line, or folded when many. */
function notInEveryRun(partial: Comparison['partial']): HTMLElement {
  const text = partial.map((p) => `${p.instance} (${p.in.map((id) => `#${id}`).join(', ')})`).join('; ');
  if (partial.length <= 5) return el('p', { class: 'meta' }, `not in every run: ${text}`);
  return el('details', { class: 'meta' }, el('summary', {}, `${partial.length} instances not in every run`), text);
}

function signed(delta: number): string {
  return delta > 0 ? `+${formatValue(delta)}` : formatValue(delta);
}

/** A sweep's block: the metric select, its parallel coordinates, and the significance bars on demand. */
function sweepSection(run: ComparedRun, summary: SweepSummary): { section: HTMLElement; load: () => Promise<void> } {
  const base = `/api/runs/${run.id}`;
  const stage = encodeURIComponent(summary.stage);
  const select = el('select', { class: 'metric' });
  const parallel = el('div', { class: 'chart parallel' });
  const bars = el('div', { class: 'chart significance' });
  const button = el('button', { class: 'significance' }, 'which params matter?');
  const section = el('section', { class: 'sweep', 'data-run': String(run.id), 'data-stage': summary.stage },
    el('h3', {}, `#${run.id} ${run.name}: ${summary.stage} (${summary.count} instances)`),
    el('div', { class: 'controls' }, el('label', {}, 'metric ', select), button), parallel, bars);
  const draw = async (metric?: string) => {
    bars.replaceChildren();
    try {
      const sweep = await fetchJson<Sweep>(`${base}/sweep?stage=${stage}${metric ? `&metric=${encodeURIComponent(metric)}` : ''}`);
      if (select.options.length === 0) select.append(...sweep.metrics.map((m) => el('option', { value: m }, m)));
      select.value = sweep.metric;
      await renderSpec(parallel, sweep.spec);
    } catch (err) {
      parallel.replaceChildren(el('p', { class: 'error' }, (err as Error).message));
    }
  };
  select.addEventListener('change', () => void draw(select.value));
  button.addEventListener('click', async () => {
    bars.replaceChildren(el('p', { class: 'meta' }, 'fitting a random forest…'));
    try {
      const result = await fetchJson<Significance>(`${base}/significance?stage=${stage}&metric=${encodeURIComponent(select.value)}`);
      const chart = el('div', {});
      bars.replaceChildren(el('p', { class: 'meta' }, `${result.metric} over ${result.instances} instances: out-of-bag R² ${result.r2.toFixed(2)}` +
        (result.r2 < 0.2 ? ' (the params explain little of it: read the ranking with care)' : '') + (result.note ? `; ${result.note}` : '')), chart);
      await renderSpec(chart, result.spec);
    } catch (err) {
      bars.replaceChildren(el('p', { class: 'error' }, (err as Error).message));
    }
  });
  return { section, load: () => draw() };
}
