/** A clone on its own worker thread. */
import { Worker } from 'node:worker_threads';
import type { CloneSpec } from './clone.js';
import type { FromClone, ToClone } from './clone-messages.js';
import { RemoteClone } from './remote-clone.js';

export class ThreadClone extends RemoteClone {
  private readonly worker: Worker;

  constructor(spec: CloneSpec) {
    super(spec);
    // The cell's own console output is captured in the thread and sent as messages.
    this.worker = new Worker(new URL('./clone-entry.js', import.meta.url), { stdout: true, stderr: false });
    let lastError = '';
    this.worker.on('message', (message: FromClone) => this.received(message));
    this.worker.on('error', (err) => (lastError = err.message));
    this.worker.on('exit', (code) => this.ended(() => (lastError ? `its thread threw: ${lastError}` : `its thread exited with code ${code}`)));
    this.start();
  }

  protected post(message: ToClone): void {
    this.worker.postMessage(message);
  }

  protected kill(): void {
    void this.worker.terminate();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.worker.terminate();
  }
}
