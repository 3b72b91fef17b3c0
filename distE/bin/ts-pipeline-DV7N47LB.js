import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  isDimension
} from "./chunk-74SOYECD.js";
import "./chunk-DJMCM54O.js";
import {
  displayPath,
  isAllRef,
  isOutRef,
  isPipeline
} from "./chunk-QD3IAF33.js";
import "./chunk-DD6A6ORU.js";
import {
  interpolate,
  setPath
} from "./chunk-VRTVQOPA.js";
import {
  PipelineError,
  closestName
} from "./chunk-VYRDMYYG.js";
import "./chunk-72MSOLL7.js";

// src/define/ts-pipeline.ts
import { pathToFileURL } from "node:url";
import { dirname } from "node:path";
async function loadTsPipeline(file) {
  let module;
  try {
    const { tsImport } = await import("tsx/esm/api");
    module = await tsImport(pathToFileURL(file).href, import.meta.url);
  } catch (err) {
    if (err instanceof PipelineError) throw new PipelineError(err.code, err.message, err.where ?? { file: displayPath(file) }, err.hint);
    const message = err instanceof Error ? err.message : String(err);
    throw new PipelineError(
      "pipeline-load",
      `cannot load ${displayPath(file)}: ${message.split("\n")[0]}`,
      { file: displayPath(file) },
      err instanceof Error && err.stack ? firstUserFrame(err.stack, file) : void 0
    );
  }
  const exported = pickPipeline(module);
  if (!isPipeline(exported)) {
    throw new PipelineError(
      "pipeline-load",
      `${displayPath(file)} exports no pipeline`,
      { file: displayPath(file) },
      "end the file with `export default pipeline('name', [stageA, stageB])`"
    );
  }
  return declarePipeline(exported, file);
}
function pickPipeline(module) {
  for (const scope of [module, module.default]) {
    if (scope === null || typeof scope !== "object") continue;
    for (const candidate of [scope.default, scope.pipeline, scope]) if (isPipeline(candidate)) return candidate;
  }
  return void 0;
}
function firstUserFrame(stack, file) {
  const frame = stack.split("\n").find((line) => line.includes(file));
  return frame ? `at ${frame.trim().replace(/^at /, "")}` : void 0;
}
function declarePipeline(definition, file) {
  return {
    name: definition.name,
    format: "ts",
    file,
    root: dirname(file),
    stages: definition.stages.map((s) => declareStage(s, file)),
    versions: definition.versions ?? {},
    dev: definition.dev ?? {}
  };
}
function declareStage(definition, file) {
  const { name, options } = definition;
  const where = { file: displayPath(file) };
  const schema = options.params;
  const shape = schema && "shape" in schema && typeof schema.shape === "object" ? Object.keys(schema.shape) : [];
  const inputs = {};
  for (const [key, ref] of Object.entries(options.inputs ?? {})) {
    if (isAllRef(ref)) {
      inputs[key] = { stage: ref.stage };
      continue;
    }
    if (!isOutRef(ref)) {
      throw new PipelineError(
        "bad-input",
        `stage "${name}": input "${key}" is not another stage's out`,
        where,
        "use a reference such as `prepare.outs.train` (or `train.all` to collect a sweep); plain files belong in `deps`"
      );
    }
    inputs[key] = { stage: ref.stage, out: ref.out };
  }
  let sweep;
  if (options.sweep) {
    const space = {};
    for (const [key, entry] of Object.entries(options.sweep.space)) {
      space[key] = isDimension(entry) ? entry : { kind: "value", value: entry };
    }
    sweep = { space, samples: options.sweep.samples, seed: options.sweep.seed ?? 0, generate: options.sweep.generate };
  }
  const cmd = options.cmd;
  return {
    name,
    kind: cmd === void 0 ? "ts" : "cmd",
    desc: options.desc,
    where,
    wdir: "",
    deps: (options.deps ?? []).map((path) => ({ path, where })),
    inputs,
    outs: Object.entries(options.outs ?? {}).map(([out, path]) => ({ name: out, path, where, cache: !options.uncached?.includes(out) })),
    metrics: options.metrics ? [{ path: options.metrics, where }] : [],
    plots: (options.plots ?? []).map((plot) => typeof plot === "string" ? { path: plot, where } : {
      path: plot.path,
      where,
      plot: { x: plot.x, y: plot.y === void 0 ? void 0 : typeof plot.y === "string" ? [plot.y] : [...plot.y], title: plot.title }
    }),
    executor: options.executor,
    alwaysChanged: options.alwaysChanged === true,
    frozen: options.frozen === true,
    codeFiles: definition.definedIn.length ? definition.definedIn : [file],
    sweep,
    paramKeys: shape,
    resolveParams(overrides) {
      const input = {};
      for (const [key, value] of Object.entries(overrides)) {
        const top = key.split(".")[0];
        if (schema === void 0 || shape.length > 0 && !shape.includes(top)) {
          const guess = closestName(top, shape);
          throw new PipelineError(
            "param-override",
            `stage "${name}" has no param "${key}"`,
            void 0,
            guess ? `did you mean "${name}.${guess}"?` : shape.length ? `its params are: ${shape.join(", ")}` : "this stage declares no params"
          );
        }
        setPath(input, key, value);
      }
      if (schema === void 0) return {};
      const parsed = schema.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const key = issue.path.map(String).join(".");
        throw new PipelineError(
          "param-invalid",
          `stage "${name}": param ${key ? `"${key}"` : ""} ${issue.message}`.replace("  ", " "),
          where,
          key && Object.hasOwn(overrides, key) ? `fix the value given with -S ${name}.${key}=...` : "give the param a valid value or a `.default()`"
        );
      }
      return parsed.data;
    },
    commandTemplate: cmd === void 0 ? void 0 : String(cmd),
    command: cmd === void 0 ? void 0 : (params) => typeof cmd === "function" ? cmd(params) : interpolate(cmd, params, { stage: name, mode: "shell", where }),
    run: options.run
  };
}
export {
  declarePipeline,
  loadTsPipeline
};
//# sourceMappingURL=ts-pipeline-DV7N47LB.js.map
