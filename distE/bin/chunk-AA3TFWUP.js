import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  declaredStage,
  resolveStage,
  writtenPaths
} from "./chunk-VYRBVQGQ.js";
import {
  checkSpace,
  expandSweep,
  instanceNames
} from "./chunk-74SOYECD.js";
import {
  yaml
} from "./chunk-DD6A6ORU.js";
import {
  PipelineError,
  closestName
} from "./chunk-VYRDMYYG.js";

// src/define/overrides.ts
var NO_OVERRIDES = { stages: /* @__PURE__ */ new Map(), global: {} };
function parseOverrides(specs, declaration) {
  const stages = /* @__PURE__ */ new Map();
  const global = {};
  const names = declaration.stages.map((s) => s.name);
  for (const spec of specs) {
    const eq = spec.indexOf("=");
    const target = eq > 0 ? spec.slice(0, eq) : "";
    if (!target || !/^[^.=\s]+(\.[^.=\s]+)*$/.test(target)) {
      throw new PipelineError("usage", `-S ${spec}: expected STAGE.PARAM=VALUE`, void 0, "for example: -S train.lr=0.01");
    }
    const value = parseValue(spec.slice(eq + 1));
    const [head, ...rest] = target.split(".");
    const stage = rest.length > 0 ? declaredStage(declaration, head) : void 0;
    const globalKey = declaration.withGlobalOverrides !== void 0 && declaration.stages.some((s) => s.paramKeys.includes(target));
    if (stage && !(globalKey && !stage.paramKeys.includes(rest.join(".")) && !stage.paramKeys.includes(rest[0]))) {
      const forStage = stages.get(head) ?? {};
      forStage[rest.join(".")] = value;
      stages.set(head, forStage);
    } else if (globalKey) {
      global[target] = value;
    } else {
      const guess = closestName(head, names);
      throw new PipelineError(
        "param-override",
        `-S ${spec}: "${head}" is not a stage${declaration.withGlobalOverrides ? " nor a param any stage reads" : ""}`,
        void 0,
        guess ? `did you mean -S ${[guess, ...rest].join(".")}=...?` : `stages: ${names.join(", ")}`
      );
    }
  }
  return { stages, global };
}
function parseValue(text) {
  try {
    return yaml.load(text, { schema: yaml.CORE_SCHEMA }) ?? text;
  } catch {
    return text;
  }
}

// src/graph/graph.ts
import { existsSync } from "node:fs";
import { join } from "node:path";
function buildGraph(input, overrides = NO_OVERRIDES, options = {}) {
  const declaration = Object.keys(overrides.global).length && input.withGlobalOverrides ? input.withGlobalOverrides(overrides.global) : input;
  const seen = /* @__PURE__ */ new Map();
  for (const stage of declaration.stages) {
    const first = seen.get(stage.name);
    if (first) {
      throw new PipelineError("duplicate-stage", `two stages are named "${stage.name}"`, stage.where ?? first.where, "give each stage its own name");
    }
    seen.set(stage.name, stage);
  }
  const sweeps = /* @__PURE__ */ new Map();
  const resolved = [];
  for (const stage of declaration.stages) {
    const instances = instancesOf(declaration, stage, overrides.stages.get(stage.name) ?? {}, options);
    if (stage.sweep) sweeps.set(stage.name, instances.map((i) => i.name));
    resolved.push(...instances);
  }
  const byName = new Map(resolved.map((s) => [s.name, s]));
  for (const [i, stage] of resolved.entries()) {
    const collected = Object.values(stage.collects).flatMap((of) => (sweeps.get(of) ?? [of]).map((n) => byName.get(n))).filter((n) => !n.generated);
    if (collected.length) resolved[i] = withCollectedDeps(stage, collected);
  }
  const producers = indexOuts(resolved);
  const upstream = new Map(resolved.map((s) => [s.name, /* @__PURE__ */ new Set()]));
  for (const stage of resolved) {
    const edges = upstream.get(stage.name);
    for (const [key, input2] of Object.entries(stage.inputs)) {
      if (sweeps.has(input2.stage)) {
        throw new PipelineError(
          "bad-input",
          `stage "${stage.name}": input "${key}" reads one out of "${input2.stage}", which is a sweep of many instances`,
          stage.where,
          `collect them all with \`${key}: ${input2.stage}.all\` (or a \`collect\` stage) instead`
        );
      }
      edges.add(input2.stage);
    }
    for (const of of Object.values(stage.collects)) for (const name of sweeps.get(of) ?? [of]) edges.add(name);
    for (const dep of stage.deps) {
      const from = producers.producersOf(dep.path);
      for (const producer of from) edges.add(producer);
      if (from.length === 0 && !options.structureOnly && !existsSync(join(declaration.root, dep.path))) {
        const guess = closestName(dep.path, producers.paths());
        throw new PipelineError(
          "missing-dep",
          `stage "${stage.name}": dep "${dep.path}" does not exist and no stage produces it`,
          dep.where ?? stage.where,
          guess ? `did you mean "${guess}"?` : "create the file, or add a stage that lists it in its outs"
        );
      }
    }
  }
  const order = topologicalOrder(resolved.map((s) => s.name), upstream);
  const downstream = new Map(order.map((name) => [name, []]));
  for (const name of order) for (const up of upstream.get(name)) downstream.get(up).push(name);
  for (const [i, stage] of resolved.entries()) byName.set(stage.name, resolved[i]);
  const position = new Map(order.map((name, i) => [name, i]));
  const sortByOrder = (names) => [...names].sort((a, b) => position.get(a) - position.get(b));
  const nodes = new Map(order.map((name) => [name, Object.freeze({
    ...byName.get(name),
    upstream: sortByOrder(upstream.get(name)),
    downstream: sortByOrder(downstream.get(name))
  })]));
  return Object.freeze({ declaration, order, nodes, sweeps });
}
function instancesOf(declaration, stage, overrides, options) {
  const paramsWith = (more) => options.structureOnly ? { ...more } : stage.resolveParams({ ...overrides, ...more });
  const sweep = stage.sweep;
  if (!sweep) return [resolveStage(declaration, stage, paramsWith({}))];
  const where = sweep.where ?? stage.where;
  const problem = checkSpace(sweep);
  if (problem) throw new PipelineError("bad-sweep", `stage "${stage.name}": sweep ${problem}`, where);
  for (const key of Object.keys(sweep.space)) {
    if (!stage.paramKeys.includes(key)) {
      const guess = closestName(key, stage.paramKeys);
      throw new PipelineError(
        "bad-sweep",
        `stage "${stage.name}": sweep space names "${key}", which is not one of its params`,
        where,
        guess ? `did you mean "${guess}"?` : stage.paramKeys.length ? `its params are: ${stage.paramKeys.join(", ")}` : "declare the param first"
      );
    }
  }
  const space = Object.fromEntries(Object.entries(sweep.space).map(([key, entry]) => [key, Object.hasOwn(overrides, key) ? { kind: "value", value: overrides[key] } : entry]));
  if (sweep.generate) return [resolveStage(declaration, stage, paramsWith({}), { name: stage.name, generated: true, space })];
  const points = expandSweep({ ...sweep, space }).slice(0, options.sweepLimit);
  const names = instanceNames(stage.name, space, points);
  return points.map((point, i) => resolveStage(declaration, stage, paramsWith(point.values), { name: names[i], values: point.values }));
}
function withCollectedDeps(stage, instances) {
  const seen = new Set(stage.deps.map((d) => d.path));
  const deps = [...stage.deps];
  for (const instance of instances) {
    for (const out of writtenPaths(instance)) {
      if (!seen.has(out.path)) deps.push({ path: out.path, where: out.where });
      seen.add(out.path);
    }
  }
  return { ...stage, deps, collectedDeps: deps.length - stage.deps.length + (stage.collectedDeps ?? 0) };
}
function indexOuts(stages) {
  const owner = /* @__PURE__ */ new Map();
  for (const stage of stages) {
    for (const out of writtenPaths(stage)) {
      if (out.path === "" || /^(\.\.\/)*\.\.$/.test(out.path)) {
        throw new PipelineError(
          "bad-input",
          `stage "${stage.name}": out "${out.path || "."}" is a folder that holds the pipeline itself`,
          out.where ?? stage.where,
          "outs must be files or folders that do not contain the pipeline file"
        );
      }
      const other = owner.get(out.path);
      if (other && other.of === stage.of && other.stage !== stage.name) {
        throw new PipelineError(
          "out-conflict",
          `sweep "${stage.of}": instances "${other.stage}" and "${stage.name}" both write "${out.path}"`,
          out.where ?? stage.where,
          `template the path with the swept params so each instance writes its own, e.g. "${out.path}-\${params.${Object.keys(stage.values ?? {})[0] ?? "x"}}"`
        );
      }
      if (other) {
        throw new PipelineError(
          "out-conflict",
          other.stage === stage.name ? `stage "${stage.name}" lists out "${out.path}" twice` : `stages "${other.stage}" and "${stage.name}" both write "${out.path}"`,
          out.where ?? stage.where,
          "every file or folder has one stage that writes it"
        );
      }
      owner.set(out.path, { stage: stage.name, of: stage.of, where: out.where });
    }
  }
  const sorted = [...owner.keys()].sort();
  for (const path of sorted) {
    for (const ancestor of ancestors(path)) {
      const outer = owner.get(ancestor);
      if (outer) {
        const inner = owner.get(path);
        throw new PipelineError(
          "out-overlap",
          `out "${path}" of stage "${inner.stage}" lies inside out "${ancestor}" of stage "${outer.stage}"`,
          inner.where,
          "outs may not overlap: write to a path outside the other out, or make it one out"
        );
      }
    }
  }
  return {
    producersOf(path) {
      const found = /* @__PURE__ */ new Set();
      const exact = owner.get(path);
      if (exact) found.add(exact.stage);
      for (const ancestor of ancestors(path)) {
        const o = owner.get(ancestor);
        if (o) found.add(o.stage);
      }
      const prefix = `${path}/`;
      for (let i = lowerBound(sorted, prefix); i < sorted.length && sorted[i].startsWith(prefix); i++) found.add(owner.get(sorted[i]).stage);
      return [...found];
    },
    paths: () => sorted
  };
}
function ancestors(path) {
  const parts = path.split("/");
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join("/"));
}
function lowerBound(sorted, key) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = lo + hi >> 1;
    if (sorted[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
function topologicalOrder(names, upstream) {
  const index = new Map(names.map((n, i) => [n, i]));
  const state = /* @__PURE__ */ new Map();
  const order = [];
  const path = [];
  const visit = (name) => {
    state.set(name, "open");
    path.push(name);
    const ups = [...upstream.get(name)].sort((a, b) => index.get(a) - index.get(b));
    for (const up of ups) {
      const seen = state.get(up);
      if (seen === "open") {
        const cycle = [...path.slice(path.indexOf(up)), up].reverse();
        throw new PipelineError(
          "cycle",
          `the pipeline has a cycle: ${cycle.join(" -> ")}`,
          void 0,
          "a stage cannot depend, directly or through others, on its own outs"
        );
      }
      if (seen === void 0) visit(up);
    }
    path.pop();
    state.set(name, "done");
    order.push(name);
  };
  for (const name of names) if (!state.has(name)) visit(name);
  return order;
}

export {
  parseOverrides,
  buildGraph,
  withCollectedDeps
};
//# sourceMappingURL=chunk-AA3TFWUP.js.map
