/** Entry of a pool worker thread (threads executor): one instance per task. */
import type { MessagePort } from 'node:worker_threads';
import type { InstanceAddress } from './executor.js';
import type { ToRunner } from './messages.js';
import { captureConsole, runRequested } from './runner-side.js';
import { loadPipeline } from '../define/load.js';

export interface ThreadTask {
  readonly address: InstanceAddress;
  /** Carries output and the result to the main thread, and an abort request from it. */
  readonly port: MessagePort;
  /** Variables for this task (its GPU devices): a worker thread has its own copy of process.env, and runs one task at a time. */
  readonly env?: Readonly<Record<string, string>>;
}

/** Loads the pipeline file ahead of the first task, in a thread kept for many (ThreadsExecutor.warm). */
export interface PreloadTask {
  readonly preload: string;
}

export default async function runTask(task: ThreadTask | PreloadTask): Promise<void> {
  if ('preload' in task) return void (await loadPipeline(task.preload));
  const { address, port, env } = task;
  const before = Object.fromEntries(Object.keys(env ?? {}).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  const controller = new AbortController();
  port.on('message', (message: ToRunner) => {
    if (message.type === 'abort') controller.abort(new Error('cancelled'));
  });
  const restore = captureConsole((stream, text) => port.postMessage({ type: 'output', stream, text }));
  try {
    await runRequested(address, (message) => port.postMessage(message), controller.signal);
  } finally {
    restore();
    port.close();
    for (const [key, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
