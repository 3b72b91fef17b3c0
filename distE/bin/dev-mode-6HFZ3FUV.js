import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  createExecutorSet
} from "./chunk-EKY7EWVM.js";
import {
  runStages
} from "./chunk-OK2J2WJH.js";
import "./chunk-BBX3X4MH.js";
import {
  selectStages
} from "./chunk-TNFJNIBH.js";
import {
  DEV_VERSION,
  openProject
} from "./chunk-F3YWF7DN.js";
import "./chunk-AA3TFWUP.js";
import "./chunk-234SUH7X.js";
import {
  findPipelineFile
} from "./chunk-XYXI5FZ7.js";
import "./chunk-VYRBVQGQ.js";
import "./chunk-R2X5HZB5.js";
import "./chunk-74SOYECD.js";
import "./chunk-DJMCM54O.js";
import "./chunk-DD6A6ORU.js";
import "./chunk-VRTVQOPA.js";
import "./chunk-VYRDMYYG.js";
import {
  STATE_DIR,
  layout
} from "./chunk-PI66XGHR.js";
import "./chunk-72MSOLL7.js";

// src/run/dev-mode.ts
import { constants, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
var DEV_SWEEP_POINTS = 1;
var NOT_COPIED = /* @__PURE__ */ new Set([STATE_DIR, ".git", ".dvc"]);
async function runDev(options, onEvent, signal) {
  const root = dirname(findPipelineFile(resolve(options.dir)));
  const { scratch, cleanUp } = makeScratch(root);
  const executors = createExecutorSet(options.jobs);
  try {
    for (const entry of readdirSync(root)) {
      if (NOT_COPIED.has(entry)) continue;
      if (entry === "node_modules") {
        symlinkSync(join(root, entry), join(scratch, entry));
        continue;
      }
      cpSync(join(root, entry), join(scratch, entry), { recursive: true, mode: constants.COPYFILE_FICLONE, verbatimSymlinks: true });
    }
    onEvent({ type: "warning", message: `dev mode: running in a scratch copy (${scratch}), recording nothing; each sweep tries its first point only` });
    const project = await openProject(scratch, options.overrides, [...options.version === void 0 ? [] : [options.version], DEV_VERSION], { sweepLimit: DEV_SWEEP_POINTS });
    return await runStages({
      graph: project.graph,
      stages: selectStages(project.graph, { targets: options.targets, downstream: options.downstream }),
      jobs: options.jobs,
      failMode: "fail-fast",
      executorFor: (kind) => executors.get(kind),
      logDir: layout(scratch).logs,
      onEvent,
      signal,
      streamOutput: options.streamOutput,
      generatedLimit: DEV_SWEEP_POINTS
    });
  } finally {
    await executors.close();
    cleanUp();
  }
}
function makeScratch(root) {
  try {
    const scratch = mkdtempSync(join(dirname(root), `.${basename(root)}.pipewright-dev-`));
    return { scratch, cleanUp: () => rmSync(scratch, { recursive: true, force: true }) };
  } catch {
    const state = layout(root).state;
    const hadState = existsSync(state);
    const parent = join(state, "dev");
    mkdirSync(parent, { recursive: true });
    const scratch = mkdtempSync(join(parent, "run-"));
    return {
      scratch,
      cleanUp: () => {
        rmSync(scratch, { recursive: true, force: true });
        if (!hadState) rmSync(state, { recursive: true, force: true });
        else if (readdirSync(parent).length === 0) rmSync(parent, { recursive: true, force: true });
      }
    };
  }
}
export {
  runDev
};
//# sourceMappingURL=dev-mode-6HFZ3FUV.js.map
