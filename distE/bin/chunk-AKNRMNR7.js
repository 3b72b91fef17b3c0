import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  PipelineError
} from "./chunk-VYRDMYYG.js";

// src/cache/workspace-lock.ts
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from "node:fs";
import { hostname } from "node:os";
import { dirname } from "node:path";
function acquireWorkspaceLock(file, command, notice) {
  mkdirSync(dirname(file), { recursive: true });
  const me = { pid: process.pid, host: hostname(), started: (/* @__PURE__ */ new Date()).toISOString(), command };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      return { release: () => releaseIfMine(file) };
    } catch (err) {
      if (err.code !== "EEXIST") throw err;
    }
    const owner = readOwner(file);
    if (owner && owner.host !== me.host) {
      throw new PipelineError(
        "locked",
        `the workspace is locked by pipewright on host ${owner.host} (pid ${owner.pid}, since ${owner.started})`,
        { file },
        `if that run is gone, delete ${file}`
      );
    }
    if (owner && isAlive(owner.pid)) {
      throw new PipelineError(
        "locked",
        `another pipewright run is working in this folder (pid ${owner.pid}, \`${owner.command}\`, since ${owner.started})`,
        void 0,
        "wait for it to finish, or stop it; two runs at once would overwrite each other's outs"
      );
    }
    notice(owner ? `taking over the lock of pipewright run pid ${owner.pid}, which is no longer running` : "removing an unreadable workspace lock");
    rmSync(file, { force: true });
  }
  throw new PipelineError("locked", "could not take the workspace lock: another run took it at the same moment", void 0, "try again");
}
function readOwner(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return void 0;
  }
}
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
}
function releaseIfMine(file) {
  if (readOwner(file)?.pid === process.pid) rmSync(file, { force: true });
}

export {
  acquireWorkspaceLock,
  isAlive
};
//# sourceMappingURL=chunk-AKNRMNR7.js.map
