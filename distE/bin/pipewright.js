#!/usr/bin/env node
import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);

// src/cli/entry.ts
import { availableParallelism } from "node:os";
function plainRun(args) {
  if (args[0] !== "run") return void 0;
  let dir = ".";
  let jobs = availableParallelism();
  let verbose = false;
  for (let i = 1; i < args.length; i++) {
    const arg = args[i];
    if ((arg === "-j" || arg === "--jobs") && /^[1-9]\d*$/.test(args[i + 1] ?? "")) jobs = Number(args[++i]);
    else if ((arg === "-C" || arg === "--cwd") && args[i + 1] !== void 0) dir = args[++i];
    else if (arg === "-v" || arg === "--verbose") verbose = true;
    else if (arg !== "--keep-going") return void 0;
  }
  return { dir, jobs, verbose };
}
process.stdout.on("error", (err) => {
  if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw err;
});
var run = plainRun(process.argv.slice(2));
if (!(run && await (await import("./fast-path.js")).answeredAsNoOp(run))) {
  const { setFlagsFromString } = await import("node:v8");
  setFlagsFromString("--interrupt-budget=540672");
  await import("./main-FHSL42IL.js");
}
//# sourceMappingURL=pipewright.js.map
