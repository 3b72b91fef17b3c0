import { type UpToDateRun } from '../cache/up-to-date.js';
import { RunRecorder } from '../store/recorder.js';
import type { RunInfo } from '../store/run-store.js';
import type { RunEventListener, RunSummary } from './events.js';
export interface Recording {
    readonly recorder: RunRecorder;
    readonly store?: {
        close(): void;
    };
}
/**
 * A no-op recorded the cheap way: appended to the store's journal, taken in when it is next opened,
 * its instances left in the certificate that proved it a no-op.
 */
export declare function journaledRecording(root: string, info: Pick<RunInfo, 'name' | 'argv' | 'version'>, certificate: UpToDateRun['certificate']): Recording;
/**
 * When the project's last full run proved it up to date and nothing has moved since, reports and
 * records the run as the long way would and returns its summary; otherwise undefined.
 */
export declare function answerNoOp(dir: string, jobs: number, onEvent: RunEventListener, openRecorder: (root: string, certificate: UpToDateRun['certificate']) => Promise<Recording | undefined>): Promise<RunSummary | undefined>;
export declare function tee(...listeners: RunEventListener[]): RunEventListener;
