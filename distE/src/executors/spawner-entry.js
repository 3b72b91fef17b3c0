/**
 * The spawner: a small process that starts the shell commands of cmd stages for the scheduler.
 * Forking is slower the bigger the forking process is; this one stays small, and the
 * scheduler's thread is left free. Imports nothing but Node's own modules, so it starts fast.
 * If the scheduler dies, the spawner kills every command it started, then exits.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
const running = new Map(); // id → process group
const send = (message) => process.send?.(message);
const signalGroup = (pgid, signal) => {
    try {
        process.kill(-pgid, signal);
    }
    catch {
        // already gone
    }
};
process.on('message', (message) => {
    if (message.type === 'signal') {
        const pgid = running.get(message.id);
        if (pgid !== undefined)
            signalGroup(pgid, message.signal);
        return;
    }
    let fd;
    try {
        fd = openSync(message.logFile, 'w');
        const child = spawn('/bin/sh', ['-c', message.command], { cwd: message.cwd, detached: true, stdio: ['ignore', fd, fd] });
        child.on('error', (err) => send({ type: 'exit', id: message.id, code: null, signal: null, error: err.message }));
        child.on('exit', (code, signal) => {
            running.delete(message.id);
            // Whatever the shell left behind in its group goes with it.
            signalGroup(child.pid, 'SIGKILL');
            send({ type: 'exit', id: message.id, code, signal });
        });
        if (child.pid !== undefined)
            running.set(message.id, child.pid);
    }
    catch (err) {
        send({ type: 'exit', id: message.id, code: null, signal: null, error: err.message });
    }
    finally {
        if (fd !== undefined)
            closeSync(fd);
    }
});
process.on('disconnect', () => {
    for (const pgid of running.values())
        signalGroup(pgid, 'SIGKILL');
    process.exit(0);
});
//# sourceMappingURL=spawner-entry.js.map