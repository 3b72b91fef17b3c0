/**
 * Messages between the scheduler's thread and a worker thread or child process running an
 * instance. Only the address crosses; the other side loads the pipeline file itself.
 */
import type { Metrics } from '../define/stage.js';
import type { InstanceAddress, OutputStream } from './executor.js';
/** Main → worker/child: the instance to run. */
export interface RunRequest {
    readonly type: 'run';
    readonly address: InstanceAddress;
}
/** Main → worker/child: cancel; the stage's AbortSignal fires. */
export interface AbortRequest {
    readonly type: 'abort';
}
export type ToRunner = RunRequest | AbortRequest;
export interface OutputMessage {
    readonly type: 'output';
    readonly stream: OutputStream;
    readonly text: string;
}
export interface DoneMessage {
    readonly type: 'done';
    readonly metrics?: Metrics;
}
/** The stage failed; `cancelled` when it stopped because it was asked to. */
export interface FailedMessage {
    readonly type: 'failed';
    readonly message: string;
    readonly stack?: string;
    readonly cancelled: boolean;
}
export type FromRunner = OutputMessage | DoneMessage | FailedMessage;
export declare function failedMessage(err: unknown): FailedMessage;
