/** Entry of a pool worker thread (threads executor): one instance per task. */
import type { MessagePort } from 'node:worker_threads';
import type { InstanceAddress } from './executor.js';
import type { ToRunner } from './messages.js';
import { captureConsole, runRequested } from './runner-side.js';

export interface ThreadTask {
  readonly address: InstanceAddress;
  /** Carries output and the result to the main thread, and an abort request from it. */
  readonly port: MessagePort;
}

export default async function runTask({ address, port }: ThreadTask): Promise<void> {
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
  }
}
