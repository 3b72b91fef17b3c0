import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  readLockfile
} from "./chunk-U5SJRDGN.js";
import {
  readMetrics
} from "./chunk-234SUH7X.js";
import "./chunk-XYXI5FZ7.js";
import {
  declaredStage,
  resolveStage
} from "./chunk-VYRBVQGQ.js";
import "./chunk-R2X5HZB5.js";
import "./chunk-DD6A6ORU.js";
import "./chunk-VRTVQOPA.js";
import "./chunk-VYRDMYYG.js";
import "./chunk-PI66XGHR.js";
import "./chunk-72MSOLL7.js";

// src/run/collected.ts
function collectedFromLock(graph, node, warn) {
  const root = graph.declaration.root;
  const lock = readLockfile(root, warn);
  const collected = {};
  for (const [key, of] of Object.entries(node.collects)) {
    const declared = declaredStage(graph.declaration, of);
    const swept = Object.keys(declared.sweep?.space ?? {});
    const names = graph.nodes.get(of)?.generated ? Object.keys(lock).filter((name) => name === of || name.startsWith(`${of}@`)) : graph.sweeps.get(of) ?? [of];
    collected[key] = names.flatMap((name) => {
      const entry = lock[name];
      if (!entry) return [];
      const values = Object.fromEntries(swept.filter((k) => k in entry.params).map((k) => [k, entry.params[k]]));
      const instance = resolveStage(graph.declaration, declared, entry.params, { name, values });
      const metrics = readMetrics(root, instance) ?? entry.metrics;
      return [{ name, params: entry.params, values, status: "skipped", ...metrics ? { metrics } : {} }];
    });
  }
  return collected;
}
export {
  collectedFromLock
};
//# sourceMappingURL=collected-YNNIO6JT.js.map
