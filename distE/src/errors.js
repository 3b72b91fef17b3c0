/**
 * Errors a user can act on. Every error caused by the user's input (a pipeline file, a params
 * file, a command-line flag) is a `PipelineError` with a `code` that tests and the UI match on,
 * and, where there is one, the file and position it points at. The CLI formats them in one place
 * (cli/format-error.ts) and exits with code 2.
 */
export class PipelineError extends Error {
    code;
    where;
    hint;
    name = 'PipelineError';
    constructor(code, message, where, 
    /** What the user can do about it. */
    hint) {
        super(message);
        this.code = code;
        this.where = where;
        this.hint = hint;
    }
}
export function isPipelineError(err) {
    return err instanceof Error && err.name === 'PipelineError' && 'code' in err;
}
/** A stage failed while running: its own code threw, or its command exited non-zero. */
export class StageFailure extends Error {
    exitCode;
    signal;
    name = 'StageFailure';
    constructor(message, exitCode, signal) {
        super(message);
        this.exitCode = exitCode;
        this.signal = signal;
    }
}
/** The run was cancelled (Ctrl-C, or fail-fast after another stage failed). */
export class CancelledError extends Error {
    name = 'CancelledError';
    constructor(reason) {
        super('cancelled', { cause: reason });
    }
}
/** Suggest the closest known name, for "Do you mean ...?" hints. */
export function closestName(name, known) {
    let best;
    let bestDistance = Infinity;
    for (const candidate of known) {
        const d = editDistance(name, candidate);
        if (d < bestDistance) {
            bestDistance = d;
            best = candidate;
        }
    }
    return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}
function editDistance(a, b) {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let prev = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const cur = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
            prev = cur;
        }
    }
    return row[b.length];
}
//# sourceMappingURL=errors.js.map