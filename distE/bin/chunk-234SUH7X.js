import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  loadPipeline
} from "./chunk-XYXI5FZ7.js";
import {
  declaredStage,
  resolveStage,
  writtenPaths
} from "./chunk-VYRBVQGQ.js";
import {
  CANCEL_GRACE_MS
} from "./chunk-R2X5HZB5.js";
import {
  yaml
} from "./chunk-DD6A6ORU.js";
import {
  CancelledError,
  StageFailure
} from "./chunk-VYRDMYYG.js";
import {
  layout
} from "./chunk-PI66XGHR.js";

// src/executors/exec-instance.ts
import { spawn as spawn2 } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync as renameSync2,
  rmSync as rmSync2,
  statSync as statSync2,
  unlinkSync,
  writeFileSync
} from "node:fs";
import { dirname as dirname2, join as join2 } from "node:path";
import { format } from "node:util";

// src/executors/shell-pool.ts
import { spawn } from "node:child_process";
import { renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
var LOOP = `while IFS='	' read -r __pw_id __pw_out __pw_dir __pw_cmd; do
  ( cd "$__pw_dir" && eval "$__pw_cmd" ) >"$__pw_out" 2>&1 </dev/null
  __pw_status=$?
  if [ -s "$__pw_out" ]; then echo "$__pw_id $__pw_status printed"; else echo "$__pw_id $__pw_status"; fi
done`;
var Shell = class {
  constructor(onIdle, onGone) {
    this.onIdle = onIdle;
    this.onGone = onGone;
    this.process = spawn("/bin/sh", ["-c", LOOP], { stdio: ["pipe", "pipe", "ignore"], detached: true });
    createInterface({ input: this.process.stdout }).on("line", (line) => this.finished(line));
    this.process.stdin.on("error", () => {
    });
    this.process.on("error", () => this.gone(new StageFailure("cannot start /bin/sh")));
    this.process.on("exit", (code, signal) => this.gone(new StageFailure(`the shell running the command died (${signal ?? `exit code ${code}`})`)));
  }
  onIdle;
  onGone;
  process;
  job;
  nextId = 0;
  currentId = "";
  exited = false;
  /** This shell's scratch output file in the log's folder (a rename must not cross file systems). */
  scratchFor(logFile) {
    const scratch = join(dirname(logFile), `.shell-${this.process.pid}.out`);
    this.scratches.add(scratch);
    return scratch;
  }
  /** Every scratch file this shell wrote, removed when it is done with. */
  scratches = /* @__PURE__ */ new Set();
  run(command, cwd, job) {
    this.job = job;
    this.currentId = String(this.nextId++);
    this.process.stdin.write(`${this.currentId}	${job.scratch}	${cwd}	${command}
`);
  }
  /** SIGTERM to the group (the shell and what it runs), SIGKILL after the grace period. */
  kill(signal) {
    try {
      process.kill(-this.process.pid, signal);
    } catch {
    }
  }
  finished(line) {
    const [id, status, printed] = line.split(" ");
    const job = this.job;
    if (!job || id !== this.currentId) return;
    this.job = void 0;
    const code = Number(status);
    if (printed) {
      try {
        renameSync(job.scratch, job.logFile);
      } catch (err) {
        job.reject(new StageFailure(`cannot keep the log of the command (${err.message})`));
        this.onIdle(this);
        return;
      }
    }
    if (code === 0) job.resolve();
    else if (code > 128) job.reject(new StageFailure(`command killed by signal ${code - 128}`, code));
    else job.reject(new StageFailure(`command exited with code ${code}`, code));
    this.onIdle(this);
  }
  gone(err) {
    if (this.exited) return;
    this.exited = true;
    const job = this.job;
    this.job = void 0;
    if (job && (statSync(job.scratch, { throwIfNoEntry: false })?.size ?? 0) > 0) {
      try {
        renameSync(job.scratch, job.logFile);
      } catch {
      }
    }
    this.removeScratches();
    job?.reject(err);
    this.onGone(this);
  }
  removeScratches() {
    for (const scratch of this.scratches) rmSync(scratch, { force: true });
    this.scratches.clear();
  }
};
var ShellPool = class {
  idle = [];
  all = /* @__PURE__ */ new Set();
  /** Every group ever started: closing kills what was left running in any of them. */
  groups = /* @__PURE__ */ new Set();
  /** Whether a command and its paths fit the line protocol (no newline anywhere, no tab in paths). */
  static accepts(command, cwd, logFile) {
    return !command.includes("\n") && !/[\t\n]/.test(cwd + dirname(logFile));
  }
  run(command, cwd, logFile, signal) {
    if (signal.aborted) return Promise.reject(new CancelledError(signal.reason));
    const shell = this.idle.pop() ?? this.start();
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.forget(shell);
        shell.kill("SIGTERM");
        setTimeout(() => shell.kill("SIGKILL"), CANCEL_GRACE_MS).unref();
      };
      signal.addEventListener("abort", onAbort, { once: true });
      const settle = () => signal.removeEventListener("abort", onAbort);
      shell.run(command, cwd, {
        logFile,
        scratch: shell.scratchFor(logFile),
        resolve: () => {
          settle();
          resolve();
        },
        reject: (err) => {
          settle();
          reject(signal.aborted ? new CancelledError(signal.reason) : err);
        }
      });
    });
  }
  /** Ends every shell and whatever they left running. */
  close() {
    for (const shell of this.all) {
      shell.process.stdin.end();
      shell.removeScratches();
    }
    for (const group of this.groups) {
      try {
        process.kill(-group, "SIGKILL");
      } catch {
      }
    }
    this.all.clear();
    this.groups.clear();
    this.idle.length = 0;
  }
  start() {
    const shell = new Shell((s) => {
      if (this.all.has(s)) this.idle.push(s);
    }, (s) => this.forget(s));
    this.all.add(shell);
    if (shell.process.pid !== void 0) this.groups.add(shell.process.pid);
    return shell;
  }
  forget(shell) {
    this.all.delete(shell);
    const i = this.idle.indexOf(shell);
    if (i >= 0) this.idle.splice(i, 1);
  }
};

// src/executors/exec-instance.ts
async function execInstance(address, io, resolved) {
  if (resolved?.stage.kind === "cmd") return execCommand(resolved.root, resolved.stage, io);
  const declaration = await loadPipeline(address.pipelineFile);
  const declared = declaredStage(declaration, address.stage);
  if (!declared) throw new StageFailure(`stage "${address.stage}" is no longer in ${address.pipelineFile}`);
  const stage = resolveStage(declaration, declared, address.params, address.instance ?? { name: declared.name });
  const root = declaration.root;
  if (stage.kind === "cmd") return execCommand(root, stage, io);
  if (io.signal.aborted) throw new CancelledError(io.signal.reason);
  prepareOuts(root, stage);
  const aside = join2(layout(root).tmp, `${stage.name}-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    const returned = await declared.run(makeContext(root, stage, io, aside, collectedInputs(declaration, stage, address)));
    if (io.signal.aborted) throw new CancelledError(io.signal.reason);
    writeReturnedMetrics(aside, stage, returned);
    moveIntoPlace(aside, root, stage);
    return withMetrics({ ...asMetrics(returned), ...readMetrics(root, stage) });
  } finally {
    rmSync2(aside, { recursive: true, force: true });
  }
}
async function execCommand(root, stage, io) {
  if (io.signal.aborted) throw new CancelledError(io.signal.reason);
  prepareOuts(root, stage);
  await runCommand(stage.command, join2(root, stage.wdir), io);
  checkOuts(root, stage);
  return withMetrics(readMetrics(root, stage));
}
function withMetrics(metrics) {
  return metrics && Object.keys(metrics).length ? { metrics } : {};
}
function asMetrics(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value : void 0;
}
function moveIntoPlace(aside, root, stage) {
  const missing = [];
  for (const out of writtenPaths(stage)) {
    const from = join2(aside, out.path);
    if (!existsSync(from)) {
      missing.push(out.path);
      continue;
    }
    const to = join2(root, out.path);
    rmSync2(to, { recursive: true, force: true });
    mkdirSync(dirname2(to), { recursive: true });
    renameSync2(from, to);
  }
  if (missing.length) throw notWritten(stage, missing);
}
function prepareOuts(root, stage) {
  for (const out of writtenPaths(stage)) {
    const abs = join2(root, out.path);
    if (out.persist) unprotect(abs);
    else removePath(abs);
    const parent = dirname2(abs);
    if (!existsSync(parent)) mkdirSync(parent, { recursive: true });
  }
}
function unprotect(abs) {
  const stat = statSync2(abs, { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isDirectory()) {
    for (const entry of readdirSync(abs)) unprotect(join2(abs, entry));
  } else if (stat.isFile() && stat.nlink > 1) {
    const copy = `${abs}.tmp-${process.pid}`;
    copyFileSync(abs, copy);
    chmodSync(copy, 420);
    renameSync2(copy, abs);
  }
}
function removePath(abs) {
  const stat = lstatSync(abs, { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isDirectory()) rmSync2(abs, { recursive: true, force: true });
  else unlinkSync(abs);
}
function checkOuts(root, stage) {
  const missing = writtenPaths(stage).filter((o) => !existsSync(join2(root, o.path))).map((o) => o.path);
  if (missing.length) throw notWritten(stage, missing);
}
function notWritten(stage, missing) {
  return new StageFailure(`stage "${stage.name}" finished but did not write ${missing.map((m) => `"${m}"`).join(", ")}`);
}
function writeReturnedMetrics(aside, stage, returned) {
  const metrics = asMetrics(returned);
  if (metrics && stage.metrics.length === 1) {
    const file = join2(aside, stage.metrics[0].path);
    mkdirSync(dirname2(file), { recursive: true });
    writeFileSync(file, JSON.stringify(metrics, null, 2) + "\n");
  }
}
function readMetrics(root, stage) {
  let metrics;
  for (const file of [...stage.metrics, ...(stage.pipelineMetrics ?? []).map((path) => ({ path }))]) {
    const abs = join2(root, file.path);
    if (!existsSync(abs)) continue;
    try {
      const data = yaml.load(readFileSync(abs, "utf8"), { schema: yaml.CORE_SCHEMA });
      if (data !== null && typeof data === "object") metrics = { ...metrics, ...data };
    } catch (err) {
      throw new StageFailure(`metrics file "${file.path}" of stage "${stage.name}" is not JSON or YAML: ${err.message}`);
    }
  }
  return metrics;
}
function collectedInputs(declaration, stage, address) {
  const inputs = {};
  for (const [key, of] of Object.entries(stage.collects)) {
    const producer = declaredStage(declaration, of);
    inputs[key] = (address.collected?.[key] ?? []).map((result) => {
      const instance = resolveStage(declaration, producer, result.params, { name: result.name, values: result.values });
      return { ...result, outs: Object.fromEntries(writtenPaths(instance).map((o) => [o.name, join2(declaration.root, o.path)])) };
    });
  }
  return inputs;
}
function makeContext(root, stage, io, aside, collected) {
  const write = (stream) => (...args) => io.output(stream, format(...args) + "\n");
  const log = Object.assign(write("stdout"), { info: write("stdout"), error: write("stderr") });
  const abs = (p) => join2(root, p);
  const out = (p) => {
    const path = join2(aside, p);
    mkdirSync(dirname2(path), { recursive: true });
    return path;
  };
  return {
    stage: stage.name,
    params: stage.params,
    root,
    deps: stage.deps.map((d) => abs(d.path)),
    inputs: { ...Object.fromEntries(Object.entries(stage.inputs).map(([k, v]) => [k, abs(v.path)])), ...collected },
    outs: Object.fromEntries(stage.outs.map((o) => [o.name, out(o.path)])),
    metrics: stage.metrics[0] ? out(stage.metrics[0].path) : void 0,
    plots: stage.plots.map((p) => out(p.path)),
    log,
    signal: io.signal
  };
}
function runCommand(command, cwd, io) {
  if (!existsSync(cwd)) return Promise.reject(new StageFailure(`working folder "${cwd}" does not exist`));
  if (io.shells && io.logFile !== void 0 && ShellPool.accepts(command, cwd, io.logFile)) return io.shells.run(command, cwd, io.logFile, io.signal);
  return new Promise((resolve, reject) => {
    const logFd = io.logFile === void 0 ? void 0 : openSync(io.logFile, "w");
    let child;
    try {
      child = spawn2("/bin/sh", ["-c", command], { cwd, detached: true, stdio: logFd === void 0 ? ["ignore", "pipe", "pipe"] : ["ignore", logFd, logFd] });
    } finally {
      if (logFd !== void 0) closeSync(logFd);
    }
    child.stdout?.setEncoding("utf8").on("data", (text) => io.output("stdout", text));
    child.stderr?.setEncoding("utf8").on("data", (text) => io.output("stderr", text));
    let killTimer;
    const kill = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
      }
    };
    const onAbort = () => {
      kill("SIGTERM");
      killTimer = setTimeout(() => kill("SIGKILL"), CANCEL_GRACE_MS);
    };
    io.signal.addEventListener("abort", onAbort, { once: true });
    child.on("error", (err) => reject(new StageFailure(`cannot start /bin/sh: ${err.message}`)));
    child.on("close", (code, signal) => {
      io.signal.removeEventListener("abort", onAbort);
      if (killTimer) clearTimeout(killTimer);
      kill("SIGKILL");
      if (io.signal.aborted) reject(new CancelledError(io.signal.reason));
      else if (code === 0) resolve();
      else reject(new StageFailure(signal ? `command killed by ${signal}` : `command exited with code ${code}`, code ?? void 0, signal ?? void 0));
    });
  });
}

export {
  ShellPool,
  execInstance,
  prepareOuts,
  removePath,
  readMetrics
};
//# sourceMappingURL=chunk-234SUH7X.js.map
