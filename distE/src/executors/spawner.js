/** The scheduler's side of the spawner process (see spawner-entry.ts). */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
const ENTRY = fileURLToPath(new URL('./spawner-entry.js', import.meta.url));
export class Spawner {
    child;
    nextId = 1;
    waiting = new Map();
    /** Runs a shell command in its own process group, its output written to `logFile`. */
    run(command, cwd, logFile) {
        const child = this.start();
        const id = this.nextId++;
        const exit = new Promise((resolve, reject) => this.waiting.set(id, { resolve, reject }));
        child.send({ type: 'spawn', id, command, cwd, logFile });
        return { id, exit };
    }
    signal(id, signal) {
        if (this.child?.connected)
            this.child.send({ type: 'signal', id, signal });
    }
    close() {
        if (this.child?.connected)
            this.child.disconnect();
        this.child = undefined;
    }
    start() {
        if (this.child)
            return this.child;
        const child = spawn(process.execPath, [ENTRY], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        child.on('message', (message) => {
            const waiter = this.waiting.get(message.id);
            this.waiting.delete(message.id);
            if (message.error)
                waiter?.reject(new Error(message.error));
            else
                waiter?.resolve({ code: message.code, signal: message.signal });
        });
        child.on('exit', () => {
            for (const waiter of this.waiting.values())
                waiter.reject(new Error('the spawner process died'));
            this.waiting.clear();
            if (this.child === child)
                this.child = undefined;
        });
        this.child = child;
        return child;
    }
}
//# sourceMappingURL=spawner.js.map