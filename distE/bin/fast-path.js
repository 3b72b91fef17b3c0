import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};
var __commonJS = (cb, mod) => function __require() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// src/errors.ts
var PipelineError;
var init_errors = __esm({
  "src/errors.ts"() {
    "use strict";
    PipelineError = class extends Error {
      constructor(code, message, where, hint) {
        super(message);
        this.code = code;
        this.where = where;
        this.hint = hint;
      }
      code;
      where;
      hint;
      name = "PipelineError";
    };
  }
});

// node_modules/picocolors/picocolors.js
var require_picocolors = __commonJS({
  "node_modules/picocolors/picocolors.js"(exports, module) {
    var p = process || {};
    var argv = p.argv || [];
    var env = p.env || {};
    var isColorSupported = !(!!env.NO_COLOR || argv.includes("--no-color")) && (!!env.FORCE_COLOR || argv.includes("--color") || p.platform === "win32" || (p.stdout || {}).isTTY && env.TERM !== "dumb" || !!env.CI);
    var formatter = (open, close, replace = open) => (input) => {
      let string = "" + input, index = string.indexOf(close, open.length);
      return ~index ? open + replaceClose(string, close, replace, index) + close : open + string + close;
    };
    var replaceClose = (string, close, replace, index) => {
      let result = "", cursor = 0;
      do {
        result += string.substring(cursor, index) + replace;
        cursor = index + close.length;
        index = string.indexOf(close, cursor);
      } while (~index);
      return result + string.substring(cursor);
    };
    var createColors = (enabled = isColorSupported) => {
      let f = enabled ? formatter : () => String;
      return {
        isColorSupported: enabled,
        reset: f("\x1B[0m", "\x1B[0m"),
        bold: f("\x1B[1m", "\x1B[22m", "\x1B[22m\x1B[1m"),
        dim: f("\x1B[2m", "\x1B[22m", "\x1B[22m\x1B[2m"),
        italic: f("\x1B[3m", "\x1B[23m"),
        underline: f("\x1B[4m", "\x1B[24m"),
        inverse: f("\x1B[7m", "\x1B[27m"),
        hidden: f("\x1B[8m", "\x1B[28m"),
        strikethrough: f("\x1B[9m", "\x1B[29m"),
        black: f("\x1B[30m", "\x1B[39m"),
        red: f("\x1B[31m", "\x1B[39m"),
        green: f("\x1B[32m", "\x1B[39m"),
        yellow: f("\x1B[33m", "\x1B[39m"),
        blue: f("\x1B[34m", "\x1B[39m"),
        magenta: f("\x1B[35m", "\x1B[39m"),
        cyan: f("\x1B[36m", "\x1B[39m"),
        white: f("\x1B[37m", "\x1B[39m"),
        gray: f("\x1B[90m", "\x1B[39m"),
        bgBlack: f("\x1B[40m", "\x1B[49m"),
        bgRed: f("\x1B[41m", "\x1B[49m"),
        bgGreen: f("\x1B[42m", "\x1B[49m"),
        bgYellow: f("\x1B[43m", "\x1B[49m"),
        bgBlue: f("\x1B[44m", "\x1B[49m"),
        bgMagenta: f("\x1B[45m", "\x1B[49m"),
        bgCyan: f("\x1B[46m", "\x1B[49m"),
        bgWhite: f("\x1B[47m", "\x1B[49m"),
        blackBright: f("\x1B[90m", "\x1B[39m"),
        redBright: f("\x1B[91m", "\x1B[39m"),
        greenBright: f("\x1B[92m", "\x1B[39m"),
        yellowBright: f("\x1B[93m", "\x1B[39m"),
        blueBright: f("\x1B[94m", "\x1B[39m"),
        magentaBright: f("\x1B[95m", "\x1B[39m"),
        cyanBright: f("\x1B[96m", "\x1B[39m"),
        whiteBright: f("\x1B[97m", "\x1B[39m"),
        bgBlackBright: f("\x1B[100m", "\x1B[49m"),
        bgRedBright: f("\x1B[101m", "\x1B[49m"),
        bgGreenBright: f("\x1B[102m", "\x1B[49m"),
        bgYellowBright: f("\x1B[103m", "\x1B[49m"),
        bgBlueBright: f("\x1B[104m", "\x1B[49m"),
        bgMagentaBright: f("\x1B[105m", "\x1B[49m"),
        bgCyanBright: f("\x1B[106m", "\x1B[49m"),
        bgWhiteBright: f("\x1B[107m", "\x1B[49m")
      };
    };
    module.exports = createColors();
    module.exports.createColors = createColors;
  }
});

// src/cli/fast-path.ts
import { resolve as resolve4 } from "node:path";

// src/run/no-op.ts
import { dirname as dirname2, resolve as resolve3 } from "node:path";

// src/cache/up-to-date.ts
import { closeSync, existsSync, fstatSync, linkSync, openSync, readFileSync as readFileSync2, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";

// src/layout.ts
import { join } from "node:path";
var STATE_DIR = ".pipewright";
var RUNS_JOURNAL = "runs.pending.jsonl";
var layout = (root) => ({
  state: join(root, STATE_DIR),
  logs: join(root, STATE_DIR, "logs"),
  cache: join(root, STATE_DIR, "cache"),
  tmp: join(root, STATE_DIR, "tmp"),
  stateDb: join(root, STATE_DIR, "state.db"),
  workspaceLock: join(root, STATE_DIR, "run.lock"),
  lockSnapshot: join(root, STATE_DIR, "lock.json"),
  lockJournal: join(root, STATE_DIR, "lock.journal"),
  upToDate: join(root, STATE_DIR, "up-to-date.json"),
  runsDb: join(root, STATE_DIR, "runs.db"),
  /** No-op runs recorded cheaply, taken into runs.db when it is next opened. */
  runsJournal: join(root, STATE_DIR, RUNS_JOURNAL),
  plots: join(root, STATE_DIR, "plots")
});

// src/version.ts
import { readFileSync } from "node:fs";
var VERSION = (() => {
  for (let url = new URL(".", import.meta.url); url.pathname !== "/"; url = new URL("..", url)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL("package.json", url), "utf8"));
      if (pkg.name === "pipewright") return pkg.version;
    } catch {
    }
  }
  return "unknown";
})();

// src/cache/up-to-date.ts
var FORMAT = 2;
var MISSING = 0;
var FILE = 1;
var FOLDER = 2;
function unchanged([abs, kind, size, mtimeMs, ino]) {
  const s = statSync(abs, { throwIfNoEntry: false });
  if (!s) return kind === MISSING;
  return kind === (s.isDirectory() ? FOLDER : FILE) && s.size === size && s.mtimeMs === mtimeMs && s.ino === ino;
}
function checkUpToDate(root, pipelineFile) {
  const paths = layout(root);
  if (existsSync(paths.workspaceLock)) return void 0;
  let certificate;
  let ino;
  try {
    const fd = openSync(paths.upToDate, "r");
    try {
      ino = fstatSync(fd).ino;
      certificate = JSON.parse(readFileSync2(fd, "utf8"));
    } finally {
      closeSync(fd);
    }
  } catch {
    return void 0;
  }
  if (certificate.version !== FORMAT || certificate.pipewright !== VERSION || certificate.pipelineFile !== pipelineFile) return void 0;
  for (const stamp of certificate.stamps) if (!unchanged(stamp)) return void 0;
  return { stages: certificate.stages, certificate: { file: paths.upToDate, ino } };
}
function keepCertificate({ file, ino }) {
  const kept = `${file.replace(/\.json$/, "")}.${ino}.json`;
  try {
    linkSync(file, kept);
  } catch {
  }
  return statSync(kept, { throwIfNoEntry: false })?.ino === ino ? kept : void 0;
}

// src/define/load.ts
init_errors();
import { existsSync as existsSync2 } from "node:fs";
import { join as join2, resolve } from "node:path";
var PIPELINE_FILES = ["pipewright.ts", "pipewright.yaml", "pipewright.yml", "dvc.yaml"];
function findPipelineFile(dir) {
  for (const name of PIPELINE_FILES) {
    const file = join2(dir, name);
    if (existsSync2(file)) return resolve(file);
  }
  throw new PipelineError(
    "pipeline-not-found",
    `no pipeline file in ${dir}`,
    void 0,
    `create ${PIPELINE_FILES.slice(0, 2).join(" or ")} (or bring a dvc.yaml), or point at a project with -C DIR`
  );
}

// src/store/recorder.ts
import { appendFileSync, existsSync as existsSync3, mkdirSync } from "node:fs";
import { dirname, join as join3, resolve as resolve2 } from "node:path";
import { hostname } from "node:os";
var FLUSH_MS = 100;
var FLUSH_ROWS = 500;
var RunRecorder = class {
  constructor(target, info, root) {
    this.target = target;
    this.info = { ...info, host: hostname() };
    this.git = gitState(root);
    const run = "store" in target ? target.store.startRun(this.info, this.startedAt) : void 0;
    this.runId = run?.id;
    this.runName = run?.name;
  }
  target;
  /** The run's id in the store; undefined for a journaled run, which gets one when taken in. */
  runId;
  runName;
  startedAt = Date.now();
  info;
  pending = [];
  timer;
  summary;
  /** Asked at the start, read at the end: `git status` on a big repository takes a while. */
  git;
  /** Params and stage of each instance, from its `queued` event until it is recorded. */
  known = /* @__PURE__ */ new Map();
  onEvent = (event) => {
    switch (event.type) {
      case "queued":
        this.known.set(event.stage, { of: event.of, params: event.params });
        break;
      case "started":
        this.known.get(event.stage).logPath = event.logPath;
        break;
      case "up-to-date":
        this.add(event.stage, { status: "skipped", metrics: event.metrics, outs: event.outs, fingerprint: event.fingerprint });
        break;
      case "restored":
        this.add(event.stage, { status: "restored", metrics: event.metrics, outs: event.outs, fingerprint: event.fingerprint });
        break;
      case "succeeded":
        this.add(event.stage, { status: "ran", durationMs: event.durationMs, metrics: event.metrics, outs: event.outs, fingerprint: event.fingerprint });
        break;
      case "failed":
        this.add(event.stage, { status: "failed", durationMs: event.durationMs, error: event.error.message, logPath: event.logPath });
        break;
      case "skipped":
        if (event.of !== void 0 && !this.known.has(event.stage)) this.known.set(event.stage, { of: event.of, params: event.params ?? {} });
        this.add(event.stage, { status: "not-run", error: event.because ? `${event.reason}: ${event.because}` : event.reason });
        break;
      case "run-finished":
        this.summary = event.summary;
        break;
      default:
        break;
    }
  };
  add(name, record) {
    const known = this.known.get(name);
    this.known.delete(name);
    if ("instancesFrom" in this.target && this.target.instancesFrom !== void 0) return;
    this.pending.push({ name, stage: known?.of ?? name, params: known?.params ?? {}, logPath: known?.logPath, ...record });
    if (!("store" in this.target)) return;
    if (this.pending.length >= FLUSH_ROWS) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS).unref();
  }
  flush() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = void 0;
    if (!("store" in this.target)) return;
    const batch = this.pending;
    this.pending = [];
    this.target.store.recordInstances(this.runId, batch);
  }
  /** Writes what is left and the run's outcome (a run that ended by an error counts as failed). */
  async close() {
    const summary = this.summary;
    const status = !summary ? "failed" : summary.cancelled ? "cancelled" : summary.failed.length ? "failed" : "succeeded";
    const counts = summary ? { ran: summary.succeeded.length, skipped: summary.upToDate.length, restored: summary.restored.length, failed: summary.failed.length, notRun: summary.skipped.length } : {};
    const git = await this.git;
    if ("store" in this.target) {
      this.flush();
      this.target.store.finishRun(this.runId, status, counts, git);
      return;
    }
    const from = this.target.instancesFrom;
    const run = {
      info: { ...this.info, ...git },
      startedAt: this.startedAt,
      endedAt: Date.now(),
      status,
      counts,
      ...from === void 0 ? { instances: this.pending } : { instances: [], instancesFrom: from }
    };
    mkdirSync(dirname(this.target.journal), { recursive: true });
    appendFileSync(this.target.journal, JSON.stringify(run) + "\n");
  }
};
function gitState(root) {
  if (!insideGitWorkTree(root)) return Promise.resolve({});
  return import("node:child_process").then(({ execFile }) => new Promise((resolve5) => {
    execFile("git", ["status", "--porcelain=v2", "--branch", "--untracked-files=no"], { cwd: root, encoding: "utf8" }, (err, stdout) => {
      const commit = err ? void 0 : /^# branch\.oid ([0-9a-f]{7,})$/m.exec(stdout)?.[1];
      if (!commit) return resolve5({});
      resolve5({ gitCommit: commit, gitDirty: stdout.split("\n").some((line) => line !== "" && !line.startsWith("#")) });
    });
  }));
}
function insideGitWorkTree(dir) {
  if (process.env.GIT_DIR) return true;
  for (let at = resolve2(dir); ; at = dirname(at)) {
    if (existsSync3(join3(at, ".git"))) return true;
    if (dirname(at) === at) return false;
  }
}

// src/run/no-op.ts
function journaledRecording(root, info, certificate) {
  return { recorder: new RunRecorder({ journal: layout(root).runsJournal, instancesFrom: keepCertificate(certificate) }, info, root) };
}
async function answerNoOp(dir, jobs, onEvent, openRecorder) {
  const file = findPipelineFile(resolve3(dir));
  const known = checkUpToDate(dirname2(file), file);
  if (!known) return void 0;
  const recording = await openRecorder(dirname2(file), known.certificate);
  try {
    return reportUpToDate(known.stages, jobs, recording ? tee(onEvent, recording.recorder.onEvent) : onEvent);
  } finally {
    await recording?.recorder.close();
    recording?.store?.close();
  }
}
function reportUpToDate(stages, jobs, onEvent) {
  const started = Date.now();
  onEvent({ type: "run-started", stages: stages.map((s) => s.name), jobs, failMode: "keep-going" });
  for (const { name, of, params } of stages) onEvent({ type: "queued", stage: name, of, params });
  for (const { name, metrics, outs, fingerprint } of stages) onEvent({ type: "up-to-date", stage: name, metrics, outs, fingerprint });
  const summary = { succeeded: [], upToDate: stages.map((s) => s.name), restored: [], failed: [], skipped: [], cancelled: false };
  onEvent({ type: "run-finished", summary, durationMs: Date.now() - started });
  return summary;
}
function tee(...listeners) {
  return (event) => {
    for (const listener of listeners) listener(event);
  };
}

// src/cli/progress.ts
var import_picocolors = __toESM(require_picocolors(), 1);
import { readFileSync as readFileSync3 } from "node:fs";
import { relative } from "node:path";
var FAILURE_TAIL_LINES = 20;
var METRICS_SHOWN = 20;
var SPINNER = ["\u280B", "\u2819", "\u2839", "\u2838", "\u283C", "\u2834", "\u2826", "\u2827", "\u2807", "\u280F"];
var ProgressReporter = class _ProgressReporter {
  constructor(options, live) {
    this.options = options;
    this.live = live;
  }
  options;
  running = /* @__PURE__ */ new Map();
  metrics = /* @__PURE__ */ new Map();
  total = 0;
  known = /* @__PURE__ */ new Set();
  finished = 0;
  frame = 0;
  timer;
  live;
  pending = [];
  flushing;
  /** log-update (and its dozen modules) is loaded only for a terminal: a piped or no-op run never pays for it. */
  static async create(options) {
    const live = options.tty ? (await import("log-update")).createLogUpdate(options.out) : void 0;
    return new _ProgressReporter(options, live);
  }
  onEvent = (event) => {
    switch (event.type) {
      case "run-started":
        this.total = event.stages.length;
        for (const stage of event.stages) this.known.add(stage);
        this.print(import_picocolors.default.bold(`Running ${event.stages.length} stage${event.stages.length === 1 ? "" : "s"} (jobs: ${event.jobs})`));
        if (this.live) this.timer = setInterval(() => this.render(), 100).unref();
        break;
      case "queued":
        if (!this.known.has(event.stage)) {
          this.known.add(event.stage);
          this.total++;
        }
        break;
      case "started":
        this.running.set(event.stage, Date.now());
        if (!this.live) this.print(`${import_picocolors.default.cyan("\u25B6")} ${event.stage}${because(event.reasons)}`);
        break;
      case "up-to-date":
        this.finished++;
        if (event.metrics) this.metrics.set(event.stage, event.metrics);
        this.print(`${import_picocolors.default.dim("=")} ${event.stage} ${import_picocolors.default.dim("up to date")}`);
        break;
      case "restored":
        this.finished++;
        if (event.metrics) this.metrics.set(event.stage, event.metrics);
        this.print(`${import_picocolors.default.blue("\u21BA")} ${event.stage} ${import_picocolors.default.dim(`restored from ${event.from === "lock" ? "the cache" : "the run-cache"}`)}${because(event.reasons)}`);
        break;
      case "warning":
        this.print(`${import_picocolors.default.yellow("warning")}: ${event.message}`);
        break;
      case "log":
        if (this.options.verbose) this.print(`${import_picocolors.default.dim(`[${event.stage}]`)} ${event.stream === "stderr" ? import_picocolors.default.yellow(event.line) : event.line}`);
        break;
      case "succeeded":
        this.running.delete(event.stage);
        this.finished++;
        if (event.metrics) this.metrics.set(event.stage, event.metrics);
        this.print(`${import_picocolors.default.green("\u2713")} ${event.stage}${this.live ? import_picocolors.default.dim(` ${seconds(event.durationMs)}`) : ""}`);
        break;
      case "failed": {
        this.running.delete(event.stage);
        this.finished++;
        const lines = [`${import_picocolors.default.red("\u2717")} ${event.stage} ${import_picocolors.default.red("failed")}: ${event.error.message}`];
        if (this.options.stacks && event.error.stack) lines.push(...readableStack(event.error.stack).split("\n").slice(1).map((line) => `  ${import_picocolors.default.dim(line.trim())}`));
        if (!this.options.verbose) lines.push(...this.logTail(event.logPath));
        this.print(lines.join("\n"));
        break;
      }
      case "skipped":
        this.running.delete(event.stage);
        this.finished++;
        this.print(`${import_picocolors.default.yellow("-")} ${event.stage} ${import_picocolors.default.dim(event.reason === "upstream-failed" ? `skipped: upstream stage ${event.because} failed` : event.because ? `not run: stopped after ${event.because} failed (--fail-fast)` : "cancelled")}`);
        break;
      case "run-finished":
        if (this.timer) clearInterval(this.timer);
        this.live?.clear();
        this.live?.done();
        this.printSummary(event.summary);
        break;
    }
  };
  print(text) {
    if (!this.live) {
      this.pending.push(text);
      this.flushing ??= setImmediate(() => this.flush());
      return;
    }
    this.live.clear();
    this.options.out.write(text + "\n");
    this.render();
  }
  flush() {
    this.flushing = void 0;
    if (this.pending.length) this.options.out.write(this.pending.join("\n") + "\n");
    this.pending = [];
  }
  render() {
    if (!this.live || this.running.size === 0) return;
    this.frame = (this.frame + 1) % SPINNER.length;
    const now = Date.now();
    const lines = [...this.running].map(([stage, since]) => `${import_picocolors.default.cyan(SPINNER[this.frame])} ${stage} ${import_picocolors.default.dim(seconds(now - since))}`);
    lines.push(import_picocolors.default.dim(`${this.finished}/${this.total} done`));
    this.live(lines.join("\n"));
  }
  logTail(logPath) {
    let text = "";
    try {
      text = readFileSync3(logPath, "utf8");
    } catch {
      return [];
    }
    const lines = text.replace(/\n$/, "").split("\n");
    if (text.trim() === "") return [import_picocolors.default.dim(`  (no output; log: ${relative(this.options.root, logPath)})`)];
    const tail = lines.slice(-FAILURE_TAIL_LINES);
    return [
      import_picocolors.default.dim(`  log: ${relative(this.options.root, logPath)}${lines.length > tail.length ? ` (last ${tail.length} of ${lines.length} lines)` : ""}`),
      ...tail.map((line) => `  ${import_picocolors.default.dim("|")} ${line}`)
    ];
  }
  printSummary(summary) {
    if (this.flushing) clearImmediate(this.flushing);
    this.flush();
    const out = this.options.out;
    if (this.metrics.size) {
      out.write(`
${import_picocolors.default.bold("Metrics")}
`);
      const shown = [...this.metrics].slice(0, METRICS_SHOWN);
      for (const [stage, metrics] of shown) out.write(`  ${stage}: ${formatMetrics(metrics)}
`);
      if (this.metrics.size > shown.length) out.write(import_picocolors.default.dim(`  \u2026 and ${this.metrics.size - shown.length} more (pipewright runs, pipewright show)
`));
    }
    const parts = [`${summary.succeeded.length} ran`];
    if (summary.upToDate.length) parts.push(`${summary.upToDate.length} up to date`);
    if (summary.restored.length) parts.push(`${summary.restored.length} restored`);
    if (summary.failed.length) parts.push(import_picocolors.default.red(`${summary.failed.length} failed`));
    if (summary.skipped.length) parts.push(import_picocolors.default.yellow(`${summary.skipped.length} skipped`));
    out.write(`
${summary.cancelled ? import_picocolors.default.yellow("Cancelled. ") : ""}${parts.join(", ")}
`);
  }
};
function because(reasons) {
  return reasons.length ? import_picocolors.default.dim(` (${reasons.join("; ")})`) : "";
}
function formatMetrics(metrics, prefix = "") {
  return Object.entries(metrics).map(([key, value]) => {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) return formatMetrics(value, `${prefix}${key}.`);
    return `${prefix}${key}=${typeof value === "number" ? formatNumber(value) : JSON.stringify(value)}`;
  }).join(" ");
}
function formatNumber(n) {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(4)));
}
function seconds(ms) {
  return ms < 1e4 ? `${(ms / 1e3).toFixed(1)}s` : `${Math.round(ms / 1e3)}s`;
}
function readableStack(stack) {
  return stack.replace(/data:text\/javascript,[^\s]*?\?filePath=([^\s:)]+)/g, (_, path) => decodeURIComponent(path).replace(/\?namespace=.*$/, ""));
}

// src/cli/fast-path.ts
async function answeredAsNoOp(run) {
  try {
    const root = resolve4(run.dir);
    const reporter = await ProgressReporter.create({ out: process.stdout, tty: process.stdout.isTTY === true, verbose: run.verbose, root });
    const summary = await answerNoOp(root, run.jobs, reporter.onEvent, async (projectRoot, certificate) => journaledRecording(projectRoot, { argv: process.argv.slice(2) }, certificate));
    return summary !== void 0;
  } catch {
    return false;
  }
}
export {
  answeredAsNoOp
};
//# sourceMappingURL=fast-path.js.map
