export declare class Slots {
    private free;
    private readonly waiting;
    constructor(count: number);
    /** Resolves with the function that gives the slot back; rejects when `signal` aborts first. */
    acquire(signal: AbortSignal): Promise<() => void>;
}
