/**
 * Calls `take` with every chunk of `file`, in order, read ahead on the helper thread; `pause` is
 * awaited every `pauseEvery` bytes (the event loop's turn). Returns false, having read nothing, when
 * the helper is taken by another file: the caller reads this one itself. Throws if a read fails.
 */
export declare function readAhead(file: string, take: (chunk: Buffer) => void, pauseEvery: number, pause: () => Promise<void>): Promise<boolean>;
