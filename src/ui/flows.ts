/**
 * The flows page's data: every flow served from this project (flow/served.ts) with its metrics
 * asked for now. A server that does not answer within a second is listed with the reason.
 */
import { basename } from 'node:path';
import { listServed, type ServedFlow } from '../flow/served.js';
import type { FlowMetrics } from '../flow/metrics.js';

const ASK_MS = 1000;

export interface FlowNow extends ServedFlow {
  readonly metrics?: FlowMetrics;
  readonly error?: string;
  /** When the metrics were read (ms since the epoch): rates are differences over this. */
  readonly at: number;
}

export async function flowsNow(dir: string): Promise<FlowNow[]> {
  return Promise.all(listServed(dir).map(async (found): Promise<FlowNow> => {
    // The file by name only: the page never shows this machine's paths.
    const served = { ...found, file: basename(found.file) };
    try {
      const response = await fetch(`${served.url}/metrics.json`, { signal: AbortSignal.timeout(ASK_MS), redirect: 'error' });
      if (!response.ok) return { ...served, at: Date.now(), error: `/metrics.json answered ${response.status}` };
      return { ...served, at: Date.now(), metrics: (await response.json()) as FlowMetrics };
    } catch (err) {
      return { ...served, at: Date.now(), error: `no answer from ${served.url} (${(err as Error).message})` };
    }
  }));
}
