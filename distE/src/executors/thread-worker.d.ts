/** Entry of a pool worker thread (threads executor): one instance per task. */
import type { MessagePort } from 'node:worker_threads';
import type { InstanceAddress } from './executor.js';
export interface ThreadTask {
    readonly address: InstanceAddress;
    /** Carries output and the result to the main thread, and an abort request from it. */
    readonly port: MessagePort;
}
export default function runTask({ address, port }: ThreadTask): Promise<void>;
