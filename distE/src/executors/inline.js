/** Runs instances in the scheduler's own thread: no isolation, for debugging with breakpoints. */
import { execInstance } from './exec-instance.js';
export class InlineExecutor {
    kind = 'inline';
    execute(job) {
        return execInstance(job.address, { output: job.output, signal: job.signal }, job.resolved);
    }
    async close() { }
}
//# sourceMappingURL=inline.js.map