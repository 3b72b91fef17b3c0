/** A clone on its own worker thread. */
import { Worker } from 'node:worker_threads';
import type { Clone, CloneListener, CloneSpec } from './clone.js';
import type { FromClone, ToClone } from './clone-messages.js';
import { handleFromClone, requireAddress } from './remote-clone.js';

export class ThreadClone implements Clone {
  readonly index: number;
  private readonly worker: Worker;
  private readonly listener: CloneListener;
  private stopping = false;
  private gone = false;
  private queued: unknown[] = [];

  constructor(spec: CloneSpec) {
    this.index = spec.index;
    this.listener = spec.listener;
    const address = requireAddress(spec);
    // The cell's own console output is captured in the thread and sent as messages.
    this.worker = new Worker(new URL('./clone-entry.js', import.meta.url), { stdout: true, stderr: false });
    let lastError = '';
    this.worker.on('message', (message: FromClone) => {
      if (handleFromClone(message, this.listener) === 'init-failed') {
        this.gone = true;
        void this.worker.terminate();
      }
    });
    this.worker.on('error', (err) => (lastError = err.message));
    this.worker.on('exit', (code) => {
      if (this.stopping || this.gone) return;
      this.gone = true;
      this.listener.died(lastError ? `its thread threw: ${lastError}` : `its thread exited with code ${code}`, false);
    });
    this.worker.postMessage({ type: 'start', address, clone: spec.index } satisfies ToClone);
  }

  send(value: unknown): void {
    this.queued.push(value);
  }

  flush(): void {
    if (!this.queued.length) return;
    this.worker.postMessage({ type: 'work', units: this.queued } satisfies ToClone);
    this.queued = [];
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.worker.terminate();
  }
}
