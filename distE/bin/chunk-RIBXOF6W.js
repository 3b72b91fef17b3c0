import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  LOCKFILE,
  layout
} from "./chunk-PI66XGHR.js";

// src/cache/up-to-date.ts
import { closeSync, existsSync, fstatSync, linkSync, openSync, readFileSync as readFileSync2, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

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
function stampOf(abs) {
  const s = statSync(abs, { throwIfNoEntry: false });
  return s ? [abs, s.isDirectory() ? FOLDER : FILE, s.size, s.mtimeMs, s.ino] : [abs, MISSING, 0, 0, 0];
}
function unchanged([abs, kind, size, mtimeMs, ino]) {
  const s = statSync(abs, { throwIfNoEntry: false });
  if (!s) return kind === MISSING;
  return kind === (s.isDirectory() ? FOLDER : FILE) && s.size === size && s.mtimeMs === mtimeMs && s.ino === ino;
}
function stampTree(abs, into) {
  const stamp = stampOf(abs);
  into.set(abs, stamp);
  if (stamp[1] !== FOLDER) return;
  for (const entry of readdirSync(abs, { withFileTypes: true })) stampTree(join(abs, entry.name), into);
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
function keptStages(kept) {
  try {
    return JSON.parse(readFileSync2(kept, "utf8")).stages;
  } catch {
    return void 0;
  }
}
function recordUpToDate(graph, seen) {
  const { declaration } = graph;
  const paths = layout(declaration.root);
  if (!declaration.sourceFiles || [...graph.nodes.values()].some((n) => n.alwaysChanged || n.frozen)) return;
  const stamps = /* @__PURE__ */ new Map();
  for (const file of [...declaration.sourceFiles(), join(declaration.root, LOCKFILE)]) stamps.set(file, stampOf(file));
  for (const node of graph.nodes.values()) {
    const used = [...node.deps, ...Object.values(node.inputs), ...node.outs, ...node.metrics, ...node.plots].map((p) => p.path);
    for (const path of used) stampTree(join(declaration.root, path), stamps);
  }
  const certificate = {
    version: FORMAT,
    pipewright: VERSION,
    pipelineFile: declaration.file,
    stages: graph.order.map((name) => {
      const node = graph.nodes.get(name);
      const { metrics, outs, fingerprint } = seen.get(name) ?? {};
      return { name, of: node.of, params: node.params, metrics, outs, fingerprint };
    }),
    stamps: [...stamps.values()]
  };
  const tmp = `${paths.upToDate}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(certificate));
  renameSync(tmp, paths.upToDate);
}
function forgetUpToDate(root) {
  rmSync(layout(root).upToDate, { force: true });
}

export {
  VERSION,
  checkUpToDate,
  keepCertificate,
  keptStages,
  recordUpToDate,
  forgetUpToDate
};
//# sourceMappingURL=chunk-RIBXOF6W.js.map
