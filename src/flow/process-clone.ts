/** A clone in its own child process: a crash or `process.exit` in the cell cannot take the flow with it. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Clone, CloneListener, CloneSpec } from './clone.js';
import type { FromClone, ToClone } from './clone-messages.js';
import { handleFromClone, requireAddress } from './remote-clone.js';

const ENTRY = fileURLToPath(new URL('./clone-entry.js', import.meta.url));

export class ProcessClone implements Clone {
  readonly index: number;
  private readonly child: ChildProcess;
  private readonly listener: CloneListener;
  private stopping = false;
  private gone = false;
  private queued: unknown[] = [];

  constructor(spec: CloneSpec) {
    this.index = spec.index;
    this.listener = spec.listener;
    const address = requireAddress(spec);
    // `advanced` serialization: items cross as structured clones, as they do to a thread.
    this.child = fork(ENTRY, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
    this.child.on('message', (message: FromClone) => {
      if (handleFromClone(message, this.listener) === 'init-failed') {
        this.gone = true;
        this.child.kill('SIGKILL');
      }
    });
    this.child.on('error', () => {}); // 'exit' follows and says what happened
    this.child.on('exit', (code, signal) => {
      if (this.stopping || this.gone) return;
      this.gone = true;
      this.listener.died(`its process ${signal ? `was killed by ${signal}` : `exited with code ${code}`}`, false);
    });
    this.child.send({ type: 'start', address, clone: spec.index } satisfies ToClone);
  }

  send(value: unknown): void {
    this.queued.push(value);
  }

  flush(): void {
    if (!this.queued.length) return;
    if (this.child.connected) this.child.send({ type: 'work', units: this.queued } satisfies ToClone);
    this.queued = [];
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGKILL');
    await exited;
  }
}
