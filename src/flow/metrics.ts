/**
 * Counters a running flow keeps per cell, and their Prometheus text form for `serve`'s
 * `/metrics`. Latencies are kept in a ring of the last 1,024 calls per cell: percentiles of what
 * happened lately, in constant memory.
 */

const LATENCY_RING = 1024;

export class LatencyRing {
  private readonly values = new Float64Array(LATENCY_RING);
  private count = 0;

  add(ms: number): void {
    this.values[this.count++ % LATENCY_RING] = ms;
  }

  percentiles(...ps: readonly number[]): number[] {
    const n = Math.min(this.count, LATENCY_RING);
    if (n === 0) return ps.map(() => 0);
    const sorted = this.values.slice(0, n).sort();
    return ps.map((p) => sorted[Math.min(n - 1, Math.floor(p * n))]!);
  }
}

export interface CellMetrics {
  readonly cell: string;
  /** Items the cell ran without error. */
  readonly items: number;
  /** Items whose run threw or whose clone died (whatever the policy did with them). */
  readonly errors: number;
  readonly skipped: number;
  /** Milliseconds per call of `run` (per batch for a batching cell): median, 90th and 99th percentile. */
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number };
  /** Items waiting in front of the cell. */
  readonly queued: number;
  readonly clones: number;
  readonly clonesBusy: number;
}

export interface FlowMetrics {
  readonly flow: string;
  readonly itemsIn: number;
  readonly itemsOut: number;
  readonly inFlight: number;
  readonly cells: readonly CellMetrics[];
}

export function prometheusText(metrics: FlowMetrics): string {
  const lines: string[] = [];
  const flow = JSON.stringify(metrics.flow);
  const family = (name: string, type: 'counter' | 'gauge' | 'summary', help: string, samples: readonly string[]) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples);
  };
  family('pipewright_flow_items_in_total', 'counter', 'Items fed into the flow.', [`pipewright_flow_items_in_total{flow=${flow}} ${metrics.itemsIn}`]);
  family('pipewright_flow_items_out_total', 'counter', 'Items that came out of the flow.', [`pipewright_flow_items_out_total{flow=${flow}} ${metrics.itemsOut}`]);
  family('pipewright_flow_in_flight', 'gauge', 'Items inside the flow.', [`pipewright_flow_in_flight{flow=${flow}} ${metrics.inFlight}`]);
  const per = (pick: (c: CellMetrics) => number) => metrics.cells.map((c) => `{flow=${flow},cell=${JSON.stringify(c.cell)}} ${pick(c)}`);
  family('pipewright_cell_items_total', 'counter', 'Items a cell ran without error.', per((c) => c.items).map((s) => `pipewright_cell_items_total${s}`));
  family('pipewright_cell_errors_total', 'counter', 'Items whose run threw or whose clone died.', per((c) => c.errors).map((s) => `pipewright_cell_errors_total${s}`));
  family('pipewright_cell_skipped_total', 'counter', 'Items a cell dropped (onError: skip).', per((c) => c.skipped).map((s) => `pipewright_cell_skipped_total${s}`));
  family('pipewright_cell_queue_depth', 'gauge', 'Items waiting in front of a cell.', per((c) => c.queued).map((s) => `pipewright_cell_queue_depth${s}`));
  family('pipewright_cell_clones', 'gauge', 'Clones of a cell.', per((c) => c.clones).map((s) => `pipewright_cell_clones${s}`));
  family('pipewright_cell_clones_busy', 'gauge', 'Clones of a cell with work in hand.', per((c) => c.clonesBusy).map((s) => `pipewright_cell_clones_busy${s}`));
  const latency: string[] = [];
  for (const c of metrics.cells) {
    const labels = `flow=${flow},cell=${JSON.stringify(c.cell)}`;
    for (const [q, v] of [['0.5', c.latencyMs.p50], ['0.9', c.latencyMs.p90], ['0.99', c.latencyMs.p99]] as const) {
      latency.push(`pipewright_cell_latency_seconds{${labels},quantile="${q}"} ${(v / 1000).toFixed(6)}`);
    }
  }
  family('pipewright_cell_latency_seconds', 'summary', 'Time per call of a cell\'s run (recent calls).', latency);
  return lines.join('\n') + '\n';
}
