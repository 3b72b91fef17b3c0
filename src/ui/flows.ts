/**
 * The flows page's data: every flow served from this project (flow/served.ts) with its metrics
 * asked for now. A server that does not answer within a second is listed with the reason.
 */
import { basename } from 'node:path';
import { listServed, type ServedFlow } from '../flow/served.js';
import type { FlowMetrics } from '../flow/metrics.js';

const ASK_MS = 1000;
/** A flow's metrics are a few KB; anything past this is not what a flow server answers. */
const MOST_BYTES = 1024 * 1024;

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
      return { ...served, at: Date.now(), metrics: JSON.parse(await boundedText(response)) as FlowMetrics };
    } catch (err) {
      return { ...served, at: Date.now(), error: `no answer from ${served.url} (${(err as Error).message})` };
    }
  }));
}

async function boundedText(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MOST_BYTES) {
      await reader.cancel();
      throw new Error(`/metrics.json is over ${MOST_BYTES} bytes`);
    }
    parts.push(value);
  }
  return Buffer.concat(parts).toString('utf8');
}
