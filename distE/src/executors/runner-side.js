/**
 * The far side of the threads and processes executors: runs one requested instance through the
 * exec path, forwarding what it prints, and answers with one DoneMessage or FailedMessage.
 */
import { format } from 'node:util';
import { execInstance } from './exec-instance.js';
import { failedMessage } from './messages.js';
export async function runRequested(address, post, signal) {
    const output = (stream, text) => post({ type: 'output', stream, text });
    try {
        const result = await execInstance(address, { output, signal });
        post({ type: 'done', metrics: result.metrics });
    }
    catch (err) {
        post(failedMessage(err));
    }
}
/**
 * In a worker thread, console output would go to the main thread's terminal; while a stage runs
 * it goes to the stage's log instead. Returns the function that puts things back.
 */
export function captureConsole(output) {
    const saved = {
        log: console.log, info: console.info, debug: console.debug, warn: console.warn, error: console.error,
        out: process.stdout.write, err: process.stderr.write,
    };
    const to = (stream) => (...args) => output(stream, format(...args) + '\n');
    console.log = console.info = console.debug = to('stdout');
    console.warn = console.error = to('stderr');
    const writer = (stream) => ((chunk, ...rest) => {
        output(stream, typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        const callback = rest.find((r) => typeof r === 'function');
        callback?.();
        return true;
    });
    process.stdout.write = writer('stdout');
    process.stderr.write = writer('stderr');
    return () => {
        Object.assign(console, { log: saved.log, info: saved.info, debug: saved.debug, warn: saved.warn, error: saved.error });
        process.stdout.write = saved.out;
        process.stderr.write = saved.err;
    };
}
//# sourceMappingURL=runner-side.js.map