import { runRequested } from './runner-side.js';
const controller = new AbortController();
process.on('message', (message) => {
    if (message.type === 'abort')
        controller.abort(new Error('cancelled'));
    else if (message.type === 'run') {
        void runRequested(message.address, (reply) => {
            // Output goes through the real stdout/stderr pipes, which the parent reads directly.
            if (reply.type === 'output')
                (reply.stream === 'stdout' ? process.stdout : process.stderr).write(reply.text);
            // Exit at once: a timer the stage left behind must not keep its process alive.
            else
                process.send(reply, () => process.exit(0));
        }, controller.signal);
    }
});
//# sourceMappingURL=child-entry.js.map