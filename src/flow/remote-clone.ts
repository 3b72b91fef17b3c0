/**
 * What the thread and process clones share: the address check, the queue of items sent as one
 * message per bundle, how the clone's messages are read, and how its end is told. A subclass says
 * how a message gets there and how the clone is ended.
 */
import { PipelineError } from '../errors.js';
import type { Clone, CloneListener, CloneSpec } from './clone.js';
import type { CellAddress, FromClone, ToClone } from './clone-messages.js';

export abstract class RemoteClone implements Clone {
  readonly index: number;
  protected readonly listener: CloneListener;
  protected readonly address: CellAddress;
  /** `stop()` was asked: its end is no death. */
  protected stopping = false;
  /** Its death was told already (or its init failed, which says so itself). */
  private gone = false;
  private queued: unknown[] = [];

  constructor(spec: CloneSpec) {
    this.index = spec.index;
    this.listener = spec.listener;
    this.address = requireAddress(spec);
  }

  /** Sends one message to the clone. */
  protected abstract post(message: ToClone): void;
  /** Ends the clone now. */
  protected abstract kill(): void;
  abstract stop(): Promise<void>;

  /** Asks the clone to load its cell: the subclass calls it once its listeners are in place. */
  protected start(): void {
    this.post({ type: 'start', address: this.address, clone: this.index });
  }

  protected received(message: FromClone): void {
    if (message.type === 'results') {
      const busy = message.busyMs / message.results.length;
      for (const r of message.results) this.listener.result(r.ok, r.ok ? r.value : r.message, busy);
    } else if (message.type === 'init-failed') {
      this.listener.died(`init threw: ${message.message}`, true);
      this.gone = true;
      this.kill();
    } else process.stderr.write(message.text);
  }

  /** The clone ended; `why` says how, for a clone that was not asked to. */
  protected ended(why: () => string): void {
    if (this.stopping || this.gone) return;
    this.gone = true;
    this.listener.died(why(), false);
  }

  send(value: unknown): void {
    this.queued.push(value);
  }

  flush(): void {
    if (!this.queued.length) return;
    this.post({ type: 'work', units: this.queued });
    this.queued = [];
  }
}

function requireAddress(spec: CloneSpec): CellAddress {
  if (spec.address) return spec.address;
  throw new PipelineError('pipeline-load', `cell "${spec.definition.name}" runs on another thread or process, which must load its flow from a file, but the flow's file is unknown`, undefined,
    'define the flow in its own module and `export` it (`export default flow(...)`), or give `file: import.meta.url` in its options');
}
