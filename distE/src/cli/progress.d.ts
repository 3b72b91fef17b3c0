import type { Metrics } from '../define/stage.js';
import type { RunEvent } from '../run/events.js';
export interface ReporterOptions {
    readonly out: NodeJS.WriteStream;
    readonly tty: boolean;
    readonly verbose: boolean;
    /** Paths are shown relative to this. */
    readonly root: string;
    /** Show a failed stage's whole stack (dev mode). */
    readonly stacks?: boolean;
}
export declare class ProgressReporter {
    private readonly options;
    private readonly running;
    private readonly metrics;
    private total;
    private readonly known;
    private finished;
    private frame;
    private timer;
    private readonly live;
    private pending;
    private flushing;
    private constructor();
    /** log-update (and its dozen modules) is loaded only for a terminal: a piped or no-op run never pays for it. */
    static create(options: ReporterOptions): Promise<ProgressReporter>;
    readonly onEvent: (event: RunEvent) => void;
    private print;
    private flush;
    private render;
    private logTail;
    private printSummary;
}
export declare function formatMetrics(metrics: Metrics, prefix?: string): string;
/**
 * A stack with the user's files named: a pipewright.ts outside an ESM package is compiled to a
 * `data:` URL whose frames would otherwise print the whole compiled module.
 */
export declare function readableStack(stack: string): string;
