import type { InstanceAddress, OutputSink } from './executor.js';
import { type FromRunner } from './messages.js';
export declare function runRequested(address: InstanceAddress, post: (message: FromRunner) => void, signal: AbortSignal): Promise<void>;
/**
 * In a worker thread, console output would go to the main thread's terminal; while a stage runs
 * it goes to the stage's log instead. Returns the function that puts things back.
 */
export declare function captureConsole(output: OutputSink): () => void;
