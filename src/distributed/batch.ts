/**
 * Coalesces calls made in one turn of the event loop into one call of `flush` with all of them:
 * the scheduler makes many instances ready at once (a sweep, or each completion freeing a slot),
 * and one Redis round trip for all of them costs what one costs for each.
 */
export class Batcher<T, R> {
  private pending: { item: T; resolve: (r: R) => void; reject: (err: unknown) => void }[] = [];
  private scheduled = false;

  /**
   * `flush` gets the items of one turn (at most `max` at a time) and answers with one result per
   * item, in order; when it throws, every item of that batch is rejected with the error.
   */
  constructor(private readonly flush: (items: readonly T[]) => Promise<readonly R[]>, private readonly max = 500) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      // setImmediate, not a microtask: the scheduler starts the next instances in its own later
      // microtasks and callbacks of the same turn, and those should ride along.
      setImmediate(() => this.drain());
    });
  }

  private drain(): void {
    this.scheduled = false;
    const all = this.pending;
    this.pending = [];
    for (let i = 0; i < all.length; i += this.max) {
      const batch = all.slice(i, i + this.max);
      // Called inside an async function: a flush that throws before its first await rejects its batch too.
      (async () => this.flush(batch.map((b) => b.item)))().then(
        (results) => batch.forEach((b, j) => b.resolve(results[j]!)),
        (err: unknown) => batch.forEach((b) => b.reject(err)),
      );
    }
  }
}
