import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  execInstance
} from "./chunk-234SUH7X.js";

// src/executors/runner-side.ts
import { format } from "node:util";

// src/executors/messages.ts
function failedMessage(err) {
  const error = err instanceof Error ? err : new Error(String(err));
  return { type: "failed", message: error.message, stack: error.stack, cancelled: error.name === "CancelledError" };
}

// src/executors/runner-side.ts
async function runRequested(address, post, signal) {
  const output = (stream, text) => post({ type: "output", stream, text });
  try {
    const result = await execInstance(address, { output, signal });
    post({ type: "done", metrics: result.metrics });
  } catch (err) {
    post(failedMessage(err));
  }
}
function captureConsole(output) {
  const saved = {
    log: console.log,
    info: console.info,
    debug: console.debug,
    warn: console.warn,
    error: console.error,
    out: process.stdout.write,
    err: process.stderr.write
  };
  const to = (stream) => (...args) => output(stream, format(...args) + "\n");
  console.log = console.info = console.debug = to("stdout");
  console.warn = console.error = to("stderr");
  const writer = (stream) => ((chunk, ...rest) => {
    output(stream, typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    const callback = rest.find((r) => typeof r === "function");
    callback?.();
    return true;
  });
  process.stdout.write = writer("stdout");
  process.stderr.write = writer("stderr");
  return () => {
    Object.assign(console, { log: saved.log, info: saved.info, debug: saved.debug, warn: saved.warn, error: saved.error });
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
  };
}

export {
  runRequested,
  captureConsole
};
//# sourceMappingURL=chunk-CZQHVX5G.js.map
