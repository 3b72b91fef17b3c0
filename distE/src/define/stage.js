/**
 * The TypeScript API: `stage()` and `pipeline()`. A stage is plain data plus a `run` function or
 * a `cmd`; it is told apart by a `Symbol.for` brand rather than `instanceof`, because the user's
 * pipewright.ts may be evaluated in another thread or process with its own copy of this module.
 */
import { fileURLToPath } from 'node:url';
import { PipelineError } from '../errors.js';
export const EXECUTOR_KINDS = ['inline', 'threads', 'processes'];
const STAGE = Symbol.for('pipewright.stage');
const PIPELINE = Symbol.for('pipewright.pipeline');
const OUT_REF = Symbol.for('pipewright.outRef');
const ALL_REF = Symbol.for('pipewright.allRef');
export function stage(name, options) {
    if (typeof name !== 'string' || !/^[A-Za-z0-9_][A-Za-z0-9_.@=,+-]*$/.test(name)) {
        throw new PipelineError('pipeline-load', `invalid stage name ${JSON.stringify(name)}`, undefined, 'use letters, digits, "_", "-" and "."; start with a letter, digit or "_"');
    }
    if ((options.run === undefined) === (options.cmd === undefined)) {
        throw new PipelineError('pipeline-load', `stage "${name}" needs exactly one of \`run\` and \`cmd\``);
    }
    const outs = Object.fromEntries(Object.entries(options.outs ?? {}).map(([out, path]) => [out, { [OUT_REF]: true, stage: name, out, path }]));
    const all = { [ALL_REF]: true, stage: name };
    return { [STAGE]: true, name, definedIn: userFilesOnStack(), options: options, outs, all };
}
/** This package's own files, which are never the user's code. */
const PACKAGE_DIR = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');
/**
 * The files of the user's modules on the current call stack: the module calling `stage()` and,
 * when a helper builds stages, the modules calling it. Their sources (and what they import) are
 * the stage's code for its fingerprint.
 */
function userFilesOnStack() {
    const savedPrepare = Error.prepareStackTrace;
    const savedLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 50;
    Error.prepareStackTrace = (_error, calls) => calls;
    const calls = new Error().stack ?? [];
    Error.prepareStackTrace = savedPrepare;
    Error.stackTraceLimit = savedLimit;
    const files = new Set();
    for (const call of calls) {
        let file = call.getFileName?.();
        if (!file || file.startsWith('node:'))
            continue;
        if (file.startsWith('file://'))
            file = fileURLToPath(file.replace(/\?.*$/, ''));
        if (!file.startsWith('/') || file.includes('/node_modules/') || file.startsWith(PACKAGE_DIR + '/dist/'))
            continue;
        files.add(file);
    }
    return [...files];
}
export function pipeline(name, stages, extra = {}) {
    return { [PIPELINE]: true, name, stages, ...extra };
}
export function isStage(value) {
    return typeof value === 'object' && value !== null && value[STAGE] === true;
}
export function isPipeline(value) {
    return typeof value === 'object' && value !== null && value[PIPELINE] === true;
}
export function isOutRef(value) {
    return typeof value === 'object' && value !== null && value[OUT_REF] === true;
}
export function isAllRef(value) {
    return typeof value === 'object' && value !== null && value[ALL_REF] === true;
}
//# sourceMappingURL=stage.js.map