/**
 * Dev mode (mlpipeline's test mode): the pipeline runs in a scratch copy of the project with its
 * `dev` overrides (a small data slice, one epoch), stops at the first failure, and leaves nothing
 * behind: no lockfile entry, no cache object, no run in the store, no outs in the workspace.
 */
import { constants, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { findPipelineFile } from '../define/load.js';
import { createExecutorSet } from '../executors/executor-set.js';
import { selectStages } from '../graph/select.js';
import { STATE_DIR, layout } from '../layout.js';
import { DEV_VERSION, openProject } from './project.js';
import { runStages } from './scheduler.js';
/** A sweep in dev mode runs this many points: enough to see that an instance works. */
const DEV_SWEEP_POINTS = 1;
/** Never brought into the scratch workspace: pipewright's own state, the repository, DVC's. */
const NOT_COPIED = new Set([STATE_DIR, '.git', '.dvc']);
export async function runDev(options, onEvent, signal) {
    const root = dirname(findPipelineFile(resolve(options.dir)));
    const { scratch, cleanUp } = makeScratch(root);
    const executors = createExecutorSet(options.jobs);
    try {
        for (const entry of readdirSync(root)) {
            if (NOT_COPIED.has(entry))
                continue;
            // Installed packages are linked, not copied: the copy resolves imports as the project does.
            if (entry === 'node_modules') {
                symlinkSync(join(root, entry), join(scratch, entry));
                continue;
            }
            cpSync(join(root, entry), join(scratch, entry), { recursive: true, mode: constants.COPYFILE_FICLONE, verbatimSymlinks: true });
        }
        onEvent({ type: 'warning', message: `dev mode: running in a scratch copy (${scratch}), recording nothing; each sweep tries its first point only` });
        const project = await openProject(scratch, options.overrides, [...(options.version === undefined ? [] : [options.version]), DEV_VERSION], { sweepLimit: DEV_SWEEP_POINTS });
        return await runStages({
            graph: project.graph,
            stages: selectStages(project.graph, { targets: options.targets, downstream: options.downstream }),
            jobs: options.jobs,
            failMode: 'fail-fast',
            executorFor: (kind) => executors.get(kind),
            logDir: layout(scratch).logs,
            onEvent,
            signal,
            streamOutput: options.streamOutput,
            generatedLimit: DEV_SWEEP_POINTS,
        });
    }
    finally {
        await executors.close();
        cleanUp();
    }
}
/**
 * The scratch folder: beside the project, so that what it reaches outside itself (`../data`, a
 * module imported from `../shared`) is found at the same relative path, and the packages it
 * imports resolve as they do there (its node_modules is linked in). Inside `.pipewright/` when
 * the parent folder cannot be written.
 */
function makeScratch(root) {
    try {
        const scratch = mkdtempSync(join(dirname(root), `.${basename(root)}.pipewright-dev-`));
        return { scratch, cleanUp: () => rmSync(scratch, { recursive: true, force: true }) };
    }
    catch {
        const state = layout(root).state;
        const hadState = existsSync(state);
        const parent = join(state, 'dev');
        mkdirSync(parent, { recursive: true });
        const scratch = mkdtempSync(join(parent, 'run-'));
        return {
            scratch,
            cleanUp: () => {
                rmSync(scratch, { recursive: true, force: true });
                if (!hadState)
                    rmSync(state, { recursive: true, force: true });
                else if (readdirSync(parent).length === 0)
                    rmSync(parent, { recursive: true, force: true });
            },
        };
    }
}
//# sourceMappingURL=dev-mode.js.map