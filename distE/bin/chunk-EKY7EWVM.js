import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  ShellPool,
  execInstance
} from "./chunk-234SUH7X.js";
import {
  CANCEL_GRACE_MS
} from "./chunk-R2X5HZB5.js";
import {
  CancelledError,
  StageFailure
} from "./chunk-VYRDMYYG.js";

// src/executors/inline.ts
var InlineExecutor = class {
  kind = "inline";
  execute(job) {
    return execInstance(job.address, { output: job.output, signal: job.signal }, job.resolved);
  }
  async close() {
  }
};

// src/executors/processes.ts
import { spawn } from "node:child_process";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

// src/executors/threads.ts
import { MessageChannel } from "node:worker_threads";
var ThreadsExecutor = class {
  constructor(maxThreads) {
    this.maxThreads = maxThreads;
  }
  maxThreads;
  kind = "threads";
  pool;
  async execute(job) {
    const { Piscina } = await import("piscina");
    this.pool ??= new Piscina({
      filename: new URL("./thread-worker.js", import.meta.url).href,
      maxThreads: this.maxThreads,
      minThreads: 0,
      idleTimeout: 6e4
    });
    const pool = this.pool;
    return new Promise((resolve, reject) => {
      const { port1, port2 } = new MessageChannel();
      const terminate = new AbortController();
      let killTimer;
      let settled = false;
      const settle = (finish) => {
        if (settled) return;
        settled = true;
        job.signal.removeEventListener("abort", onAbort);
        if (killTimer) clearTimeout(killTimer);
        port1.close();
        finish();
      };
      const onAbort = () => {
        port1.postMessage({ type: "abort" });
        killTimer = setTimeout(() => terminate.abort(job.signal.reason), CANCEL_GRACE_MS);
      };
      job.signal.addEventListener("abort", onAbort, { once: true });
      port1.on("message", (message) => {
        if (message.type === "output") job.output(message.stream, message.text);
        else if (message.type === "done") settle(() => resolve(message.metrics ? { metrics: message.metrics } : {}));
        else settle(() => reject(message.cancelled ? new CancelledError(job.signal.reason) : withStack(new StageFailure(message.message), message.stack)));
      });
      const task = { address: job.address, port: port2 };
      pool.run(task, { transferList: [port2], signal: terminate.signal }).catch((err) => {
        settle(() => reject(job.signal.aborted ? new CancelledError(job.signal.reason) : new StageFailure(`worker thread died: ${err instanceof Error ? err.message : String(err)}`)));
      });
    });
  }
  async close() {
    await this.pool?.destroy();
    this.pool = void 0;
  }
};
function withStack(error, stack) {
  if (stack) error.stack = stack;
  return error;
}

// src/executors/processes.ts
var CHILD_ENTRY = fileURLToPath(new URL("./child-entry.js", import.meta.url));
var ProcessesExecutor = class {
  kind = "processes";
  shells = new ShellPool();
  execute(job) {
    if (job.kind === "cmd") return execInstance(job.address, { output: job.output, signal: job.signal, logFile: job.logFile, shells: this.shells }, job.resolved);
    return runInChild(job);
  }
  async close() {
    this.shells.close();
  }
};
function runInChild(job) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD_ENTRY], { cwd: dirname(job.address.pipelineFile), stdio: ["ignore", "pipe", "pipe", "ipc"], detached: true });
    child.stdout.setEncoding("utf8").on("data", (text) => job.output("stdout", text));
    child.stderr.setEncoding("utf8").on("data", (text) => job.output("stderr", text));
    let result;
    let killTimer;
    const kill = () => {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
      }
    };
    const onAbort = () => {
      if (child.connected) child.send({ type: "abort" });
      killTimer = setTimeout(kill, CANCEL_GRACE_MS);
    };
    job.signal.addEventListener("abort", onAbort, { once: true });
    child.on("message", (message) => {
      result = message;
    });
    child.on("error", (err) => reject(new StageFailure(`cannot start node: ${err.message}`)));
    child.on("close", (code, signal) => {
      job.signal.removeEventListener("abort", onAbort);
      if (killTimer) clearTimeout(killTimer);
      if (result?.type === "done") resolve(result.metrics ? { metrics: result.metrics } : {});
      else if (job.signal.aborted || result?.type === "failed" && result.cancelled) reject(new CancelledError(job.signal.reason));
      else if (result?.type === "failed") reject(withStack(new StageFailure(result.message), result.stack));
      else reject(new StageFailure(`stage process ended without a result (${signal ? `killed by ${signal}` : `exit code ${code}`})`, code ?? void 0, signal ?? void 0));
    });
    child.send({ type: "run", address: job.address });
  });
}

// src/executors/executor-set.ts
function createExecutorSet(jobs) {
  const made = /* @__PURE__ */ new Map();
  const factories = {
    inline: () => new InlineExecutor(),
    threads: () => new ThreadsExecutor(jobs),
    processes: () => new ProcessesExecutor()
  };
  return {
    get(kind) {
      let executor = made.get(kind);
      if (!executor) {
        executor = factories[kind]();
        made.set(kind, executor);
      }
      return executor;
    },
    async close() {
      await Promise.all([...made.values()].map((e) => e.close()));
      made.clear();
    }
  };
}

export {
  createExecutorSet
};
//# sourceMappingURL=chunk-EKY7EWVM.js.map
