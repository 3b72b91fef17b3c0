/**
 * A bounded FIFO between two parts of a running flow (a cell's output and the next cell's input,
 * the source and an entry cell, an exit and the output). A full channel is how back-pressure
 * travels: the writer stops until the reader takes something, and is then told.
 */
/** Where a cell's output goes: a channel, or something that forwards into one (a recurrent connection). */
export interface Outlet<T> {
  readonly full: boolean;
  push(item: T): void;
}

export class Channel<T> implements Outlet<T> {
  private readonly ring: (T | undefined)[];
  private head = 0;
  private count = 0;
  /** Told when an item arrives (wakes the reader) and when space frees (wakes the writer). */
  onItem: () => void = () => {};
  onSpace: () => void = () => {};

  constructor(readonly capacity: number) {
    this.ring = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count >= this.capacity;
  }

  /** The caller checks `full` first: writing into a full channel is a bug. */
  push(item: T): void {
    if (this.count >= this.capacity) throw new Error('bug: write into a full flow channel');
    this.ring[(this.head + this.count) % this.capacity] = item;
    this.count++;
    this.onItem();
  }

  peek(): T | undefined {
    return this.count ? this.ring[this.head] : undefined;
  }

  shift(): T | undefined {
    if (!this.count) return undefined;
    const item = this.ring[this.head];
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    this.onSpace();
    return item;
  }
}
