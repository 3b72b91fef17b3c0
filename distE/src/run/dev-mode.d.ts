import type { RunEventListener, RunSummary } from './events.js';
import type { FilledRunOptions } from './run-pipeline.js';
export declare function runDev(options: FilledRunOptions, onEvent: RunEventListener, signal?: AbortSignal): Promise<RunSummary>;
