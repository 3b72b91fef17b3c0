import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  describeReason
} from "./chunk-BBX3X4MH.js";
import {
  withCollectedDeps
} from "./chunk-AA3TFWUP.js";
import {
  prepareOuts,
  readMetrics,
  removePath
} from "./chunk-234SUH7X.js";
import {
  declaredStage,
  resolveStage,
  writtenPaths
} from "./chunk-VYRBVQGQ.js";
import {
  addressOf
} from "./chunk-R2X5HZB5.js";
import {
  instanceName
} from "./chunk-74SOYECD.js";
import {
  CancelledError
} from "./chunk-VYRDMYYG.js";

// src/run/scheduler.ts
import { setMaxListeners } from "node:events";
import { createWriteStream, mkdirSync } from "node:fs";
import { join } from "node:path";

// src/run/slots.ts
var Slots = class {
  free;
  waiting = [];
  constructor(count) {
    this.free = count;
  }
  /** Resolves with the function that gives the slot back; rejects when `signal` aborts first. */
  acquire(signal) {
    if (signal.aborted) return Promise.reject(new CancelledError(signal.reason));
    const giveBack = once(() => {
      const next = this.waiting.shift();
      if (next) next.grant();
      else this.free++;
    });
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(giveBack);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal.removeEventListener("abort", onAbort);
          resolve(giveBack);
        },
        refuse: reject
      };
      const onAbort = () => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(new CancelledError(signal.reason));
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }
};
function once(fn) {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

// src/run/scheduler.ts
function logFileName(stage) {
  return `${stage.replace(/[^A-Za-z0-9_.@=,+-]/g, "_")}.log`;
}
async function runStages(options) {
  const { graph, jobs, failMode, onEvent } = options;
  const started = Date.now();
  const selected = new Set(options.stages);
  const waitingOn = new Map(options.stages.map((name) => [name, graph.nodes.get(name).upstream.filter((u) => selected.has(u)).length]));
  const ready = [];
  const running = /* @__PURE__ */ new Set();
  const succeeded = [];
  const upToDate = [];
  const restored = [];
  const failed = [];
  const skipped = [];
  const stop = new AbortController();
  setMaxListeners(Infinity, stop.signal);
  const slots = new Slots(jobs);
  const onCancel = () => stop.abort(options.signal.reason);
  options.signal?.addEventListener("abort", onCancel, { once: true });
  mkdirSync(options.logDir, { recursive: true });
  onEvent({ type: "run-started", stages: options.stages.filter((name) => !graph.nodes.get(name).generated), jobs, failMode });
  const enqueue = (name) => {
    ready.push(name);
    const node = graph.nodes.get(name);
    if (!node.generated) onEvent({ type: "queued", stage: name, of: node.of, params: node.params });
  };
  for (const [name, count] of waitingOn) if (count === 0) enqueue(name);
  const skip = (name, reason, because2) => {
    if (!waitingOn.has(name)) return;
    waitingOn.delete(name);
    const node = graph.nodes.get(name);
    if (node.generated) return;
    skipped.push(name);
    onEvent({ type: "skipped", stage: name, reason, because: because2, of: node.of, params: node.params });
  };
  const skipDownstream = (name, because2) => {
    for (const down of graph.nodes.get(name).downstream) {
      if (waitingOn.has(down)) {
        skip(down, "upstream-failed", because2);
        skipDownstream(down, because2);
      }
    }
  };
  const release = (name) => {
    for (const down of graph.nodes.get(name).downstream) {
      if (!waitingOn.has(down)) continue;
      const left = waitingOn.get(down) - 1;
      waitingOn.set(down, left);
      if (left === 0) enqueue(down);
    }
  };
  const fail = (name, error, durationMs, logPath) => {
    failed.push(name);
    onEvent({ type: "failed", stage: name, durationMs, error: { message: error.message, stack: error.stack }, logPath });
    if (failMode === "fail-fast") stop.abort(new Error(`stage "${name}" failed`));
  };
  const results = /* @__PURE__ */ new Map();
  const generatedInstances = /* @__PURE__ */ new Map();
  const record = (node, status, metrics) => results.set(node.name, { name: node.name, params: node.params, values: node.values ?? {}, status, ...metrics ? { metrics } : {} });
  const runInstance = async (node, onSlot) => {
    const name = node.name;
    const root = graph.declaration.root;
    const logPath = join(options.logDir, logFileName(name));
    const t0 = Date.now();
    const failWith = (err) => {
      fail(name, err instanceof Error ? err : new Error(String(err)), Date.now() - t0, logPath);
      record(node, "failed", void 0);
      return false;
    };
    let plan;
    if (options.cache) {
      try {
        plan = await options.cache.plan(node, { force: options.force?.(node.of) });
        const decision = plan.decision;
        if (decision.action === "skip") {
          const metrics = readMetrics(root, node) ?? decision.entry.metrics;
          upToDate.push(name);
          record(node, "skipped", metrics);
          onEvent({ type: "up-to-date", stage: name, metrics, outs: decision.entry.outs, fingerprint: plan.fingerprint });
          return true;
        }
        if (decision.action === "restore") {
          await options.cache.restore(node, { ...plan, decision });
          const metrics = readMetrics(root, node) ?? decision.entry.metrics;
          restored.push(name);
          record(node, "restored", metrics);
          onEvent({ type: "restored", stage: name, from: decision.from, reasons: decision.reasons.map(describeReason), metrics, outs: decision.entry.outs, fingerprint: plan.fingerprint });
          return true;
        }
        if (decision.action === "fail") return failWith(new Error(decision.message));
        options.cache.forgetOuts(node);
      } catch (err) {
        return failWith(err);
      }
    }
    try {
      prepareOuts(root, node);
    } catch (err) {
      return failWith(err);
    }
    let giveBack;
    try {
      giveBack = await slots.acquire(stop.signal);
      onSlot?.();
    } catch {
      skipped.push(name);
      onEvent({ type: "skipped", stage: name, reason: "cancelled", because: failMode === "fail-fast" ? failed[0] : void 0 });
      return false;
    }
    const commandWritesLog = options.streamOutput === false && node.kind === "cmd";
    const log = new LogSink(logPath, (stream, line) => onEvent({ type: "log", stage: name, stream, line }));
    onEvent({ type: "started", stage: name, executor: node.executor, logPath, reasons: plan?.decision.reasons.map(describeReason) ?? [] });
    try {
      const result = await options.executorFor(node.executor).execute({
        address: addressOf(graph.declaration.file, node, collectedOf(node)),
        kind: node.kind,
        output: (stream, text) => log.write(stream, text),
        signal: stop.signal,
        logFile: commandWritesLog ? logPath : void 0,
        resolved: { stage: node, root }
      }).finally(giveBack);
      await log.close();
      const entry = options.cache && plan ? await options.cache.commit(node, plan, result.metrics) : void 0;
      succeeded.push(name);
      record(node, "ran", result.metrics);
      onEvent({ type: "succeeded", stage: name, durationMs: Date.now() - t0, metrics: result.metrics, outs: entry?.outs, fingerprint: plan?.fingerprint });
      return true;
    } catch (err) {
      await log.close();
      if (stop.signal.aborted && err.name === "CancelledError") {
        skipped.push(name);
        onEvent({ type: "skipped", stage: name, reason: "cancelled" });
        return false;
      }
      return failWith(err);
    }
  };
  const collectedOf = (node) => {
    const names = (of) => generatedInstances.get(of) ?? graph.sweeps.get(of) ?? [of];
    return Object.fromEntries(Object.entries(node.collects).map(([key, of]) => [key, names(of).map((n) => results.get(n)).filter((r) => r !== void 0)]));
  };
  const runGenerated = async (node) => {
    const declared = declaredStage(graph.declaration, node.of);
    const sweep = declared.sweep;
    const space = node.space ?? sweep.space;
    const fixed = Object.fromEntries(Object.entries(space).flatMap(([k, e]) => e.kind === "value" ? [[k, e.value]] : []));
    const seen = [];
    const names = [];
    generatedInstances.set(node.of, names);
    const written = /* @__PURE__ */ new Map();
    const keys = Object.keys(space).filter((k) => space[k].kind !== "value");
    const pointOf = /* @__PURE__ */ new Map();
    const generatedName = (values) => {
      const point = JSON.stringify(keys.map((k) => values[k]));
      for (const digits of [4, 6, 10, 17]) {
        const name = instanceName(node.of, keys, values, digits);
        const taken = pointOf.get(name);
        if (taken === void 0 || taken === point) {
          pointOf.set(name, point);
          return name;
        }
      }
      return `${instanceName(node.of, keys, values, 17)}#${pointOf.size + 1}`;
    };
    const inFlight = /* @__PURE__ */ new Set();
    let ok = true;
    const iterator = sweep.generate(space, seen)[Symbol.asyncIterator]();
    try {
      while (!stop.signal.aborted) {
        while (inFlight.size >= jobs) await Promise.race(inFlight);
        if (names.length >= (options.generatedLimit ?? Infinity)) break;
        const next = await iterator.next();
        if (next.done) break;
        const values = { ...next.value, ...fixed };
        const name = generatedName(values);
        if (names.includes(name)) {
          await Promise.all(inFlight);
          const earlier = results.get(name);
          if (earlier) seen.push(earlier);
          continue;
        }
        let instance;
        try {
          instance = resolveStage(graph.declaration, declared, declared.resolveParams({ ...node.params, ...values }), { name, values });
          for (const out of writtenPaths(instance)) {
            const other = written.get(out.path);
            if (other) throw new Error(`instances "${other}" and "${name}" both write "${out.path}": template the path with the swept params`);
            written.set(out.path, name);
          }
        } catch (err) {
          ok = false;
          fail(name, err instanceof Error ? err : new Error(String(err)), 0, join(options.logDir, logFileName(name)));
          if (failMode === "fail-fast") break;
          continue;
        }
        names.push(name);
        onEvent({ type: "queued", stage: name, of: node.of, params: instance.params });
        const running2 = runInstance(instance).then((done) => {
          ok &&= done;
          seen.push(results.get(name) ?? { name, params: instance.params, values, status: "failed" });
          inFlight.delete(running2);
        });
        inFlight.add(running2);
      }
    } catch (err) {
      ok = false;
      fail(node.of, err instanceof Error ? err : new Error(String(err)), 0, join(options.logDir, logFileName(node.of)));
    } finally {
      await Promise.all(inFlight);
      await iterator.return?.();
    }
    return ok && !stop.signal.aborted;
  };
  const runOne = async (name, onSlot) => {
    const node = graph.nodes.get(name);
    waitingOn.delete(name);
    if (node.generated) onSlot();
    const done = node.generated ? await runGenerated(node) : await runInstance(withGeneratedDeps(node), onSlot);
    if (done) release(name);
    else if (!stop.signal.aborted) skipDownstream(name, failed.at(-1) ?? name);
  };
  const withGeneratedDeps = (node) => {
    const instances = Object.values(node.collects).flatMap((of) => {
      const producer = declaredStage(graph.declaration, of);
      return (generatedInstances.get(of) ?? []).map((n) => results.get(n)).filter((r) => r !== void 0 && r.status !== "failed").map((r) => resolveStage(graph.declaration, producer, r.params, { name: r.name, values: r.values }));
    });
    return instances.length ? withCollectedDeps(node, instances) : node;
  };
  const AHEAD = 2 * jobs + 2;
  let ahead = 0;
  let finishedSinceLook = false;
  let wake;
  const finished = () => {
    finishedSinceLook = true;
    wake?.();
  };
  while (ready.length || running.size) {
    while (!stop.signal.aborted && ready.length && ahead < AHEAD) {
      const name = ready.shift();
      running.add(name);
      ahead++;
      let slotted = false;
      const onSlot = () => {
        if (slotted) return;
        slotted = true;
        ahead--;
        finished();
      };
      void runOne(name, onSlot).finally(() => {
        onSlot();
        running.delete(name);
        finished();
      });
    }
    if (running.size === 0) break;
    if (!finishedSinceLook) await new Promise((resolve) => wake = resolve);
    finishedSinceLook = false;
    wake = void 0;
    if (stop.signal.aborted) ready.length = 0;
  }
  const because = failMode === "fail-fast" && failed.length ? failed[0] : void 0;
  for (const name of options.stages) if (waitingOn.has(name)) skip(name, "cancelled", because);
  options.signal?.removeEventListener("abort", onCancel);
  const summary = { succeeded, upToDate, restored, failed, skipped, cancelled: options.signal?.aborted ?? false };
  onEvent({ type: "run-finished", summary, durationMs: Date.now() - started });
  return summary;
}
var LogSink = class {
  constructor(path, onLine) {
    this.path = path;
    this.onLine = onLine;
    removePath(path);
  }
  path;
  onLine;
  partial = { stdout: "", stderr: "" };
  file;
  write(stream, text) {
    this.file ??= createWriteStream(this.path);
    this.file.write(text);
    const lines = (this.partial[stream] + text).split("\n");
    this.partial[stream] = lines.pop();
    for (const line of lines) this.onLine(stream, line);
  }
  close() {
    for (const stream of ["stdout", "stderr"]) {
      if (this.partial[stream]) this.onLine(stream, this.partial[stream]);
      this.partial[stream] = "";
    }
    return new Promise((resolve) => this.file ? this.file.end(resolve) : resolve());
  }
};

export {
  logFileName,
  runStages
};
//# sourceMappingURL=chunk-OK2J2WJH.js.map
