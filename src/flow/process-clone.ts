/** A clone in its own child process: a crash or `process.exit` in the cell cannot take the flow with it. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CloneSpec } from './clone.js';
import type { FromClone, ToClone } from './clone-messages.js';
import { RemoteClone } from './remote-clone.js';

const ENTRY = fileURLToPath(new URL('./clone-entry.js', import.meta.url));

export class ProcessClone extends RemoteClone {
  private readonly child: ChildProcess;

  constructor(spec: CloneSpec) {
    super(spec);
    // `advanced` serialization: items cross as structured clones, as they do to a thread.
    this.child = fork(ENTRY, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
    this.child.on('message', (message: FromClone) => this.received(message));
    this.child.on('error', () => {}); // 'exit' follows and says what happened
    this.child.on('exit', (code, signal) => this.ended(() => `its process ${signal ? `was killed by ${signal}` : `exited with code ${code}`}`));
    this.start();
  }

  protected post(message: ToClone): void {
    // A process that is gone takes no more: its exit is told by 'exit'.
    if (this.child.connected) this.child.send(message);
  }

  protected kill(): void {
    this.child.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGKILL');
    await exited;
  }
}
