import { captureConsole, runRequested } from './runner-side.js';
export default async function runTask({ address, port }) {
    const controller = new AbortController();
    port.on('message', (message) => {
        if (message.type === 'abort')
            controller.abort(new Error('cancelled'));
    });
    const restore = captureConsole((stream, text) => port.postMessage({ type: 'output', stream, text }));
    try {
        await runRequested(address, (message) => port.postMessage(message), controller.signal);
    }
    finally {
        restore();
        port.close();
    }
}
//# sourceMappingURL=thread-worker.js.map