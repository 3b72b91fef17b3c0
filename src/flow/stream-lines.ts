/**
 * `pipewright stream`: JSON lines in, JSON lines out, in order. A line that is not JSON is an
 * error naming its line, handled by the first cell's `onError`: stop (exit 2), skip it, or put an
 * error record in its place. A flow with a source cell reads no input: it pulls its own items. An
 * output that cannot be written as JSON follows its cell's `onError` the same way (stop with exit
 * 1, skip it, or an error record).
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { PipelineError } from '../errors.js';
import { encodeOutput } from './encode-output.js';
import { ItemFailedError } from './errors.js';
import type { FlowDefinition } from './flow.js';

export interface StreamLinesOptions {
  /** A JSON-lines file; stdin when absent. */
  readonly in?: string;
  /** Where outputs go, one JSON line each; stdout when absent. */
  readonly out?: string;
  /** Progress and per-cell throughput on stderr (the CLI turns it on on a terminal). */
  readonly progress?: boolean;
}

export async function streamLines(definition: FlowDefinition, options: StreamLinesOptions): Promise<{ items: number }> {
  const { graph } = definition;
  const pulled = graph.sources.length > 0;
  if (pulled && options.in) {
    throw new PipelineError('usage', `flow "${definition.name}" pulls its items from source "${graph.sources[0]}": it reads no --in`, undefined, `drop --in ${options.in}`);
  }
  const inName = options.in ?? '<stdin>';
  const output = options.out ? createWriteStream(options.out) : process.stdout;
  const run = definition.start();
  let badLine: PipelineError | undefined;

  const feeding = pulled ? Promise.resolve() : (async () => {
    const input = options.in ? createReadStream(options.in) : process.stdin;
    const firstCell = graph.cells.find((c) => c.name === graph.entries[0]?.cell)!;
    const policy = firstCell.options.onError ?? 'fail';
    let line = 0;
    try {
      for await (const text of createInterface({ input, crlfDelay: Infinity })) {
        line++;
        if (!text.trim()) continue;
        let item: unknown;
        try {
          item = JSON.parse(text);
        } catch (err) {
          const message = `line ${line} is not JSON: ${(err as Error).message}`;
          if (policy === 'fail') {
            // The items before it still come out; then the stream stops with the line's error.
            badLine = new PipelineError('bad-input', message, { file: inName, line }, `fix the line, or give cell "${firstCell.name}" onError: 'skip' or 'emit'`);
            break;
          }
          await run.pushFailure('input', `${inName}: ${message}`, policy === 'skip');
          if (policy === 'skip') run.log(`${inName}: skipped ${message}`);
          continue;
        }
        await run.push(item);
      }
      run.endInput();
    } catch (err) {
      run.abort(err);
    }
  })();

  const timer = options.progress ? startProgress(definition, run) : undefined;
  let items = 0;
  try {
    for (;;) {
      const next = await run.next();
      if (next.done) break;
      const encoded = encodeOutput(graph, run.lastIndex, next.value);
      let text: string;
      if (encoded.ok) text = encoded.text;
      else {
        const policy = encoded.cell.options.onError ?? 'fail';
        if (policy === 'fail') throw new ItemFailedError(encoded.failure.cell, encoded.failure.index, encoded.failure.message);
        if (policy === 'skip') {
          run.log(`cell "${encoded.failure.cell}" skipped item ${encoded.failure.index}: ${encoded.failure.message}`);
          continue;
        }
        text = JSON.stringify({ error: encoded.failure });
      }
      items++;
      if (!output.write(text + '\n')) await once(output, 'drain');
    }
    if (badLine) throw badLine;
  } catch (err) {
    // The reader stops here: items still being pushed in must not wait for it.
    run.abort(err);
    throw badLine ?? err;
  } finally {
    if (timer) {
      clearInterval(timer);
      process.stderr.write(`\r\x1b[K${definition.name}: ${items} out\n`);
    }
    await feeding;
    await run.close().catch(() => {});
    if (output !== process.stdout) await new Promise<void>((resolve) => (output as NodeJS.WritableStream).end(resolve));
  }
  return { items };
}

function startProgress(definition: FlowDefinition, run: ReturnType<FlowDefinition['start']>): NodeJS.Timeout {
  const started = performance.now();
  let last = new Map<string, number>();
  let lastAt = started;
  const timer = setInterval(() => {
    const metrics = run.metrics();
    const now = performance.now();
    const cells = metrics.cells.map((c) => {
      const rate = ((c.items - (last.get(c.cell) ?? 0)) * 1000) / (now - lastAt);
      return `${c.cell} ${Math.round(rate)}/s${c.clones > 1 ? ` ×${c.clones}` : ''}`;
    });
    last = new Map(metrics.cells.map((c) => [c.cell, c.items]));
    lastAt = now;
    process.stderr.write(`\r\x1b[K${definition.name}: ${metrics.itemsOut} out, ${metrics.inFlight} in flight · ${cells.join(' · ')}`);
  }, 500);
  timer.unref();
  return timer;
}
