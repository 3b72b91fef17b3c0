import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  PipelineError,
  closestName
} from "./chunk-VYRDMYYG.js";

// src/graph/select.ts
function selectStages(graph, selection) {
  if (selection.targets.length === 0) return [...graph.order];
  for (const target of selection.targets) {
    if (!graph.nodes.has(target) && !graph.sweeps.has(target)) {
      const guess = closestName(target, graph.order);
      throw new PipelineError(
        "unknown-stage",
        `no stage named "${target}"`,
        { file: graph.declaration.file },
        guess ? `did you mean "${guess}"?` : `stages: ${graph.order.join(", ")}`
      );
    }
  }
  let roots = new Set(selection.targets.flatMap((t) => graph.sweeps.get(t) ?? [t]));
  if (selection.downstream) roots = closure(graph, roots, "downstream");
  const chosen = closure(graph, roots, "upstream");
  return graph.order.filter((name) => chosen.has(name));
}
function closure(graph, start, direction) {
  const found = new Set(start);
  const queue = [...start];
  while (queue.length) {
    for (const next of graph.nodes.get(queue.pop())[direction]) {
      if (!found.has(next)) {
        found.add(next);
        queue.push(next);
      }
    }
  }
  return found;
}

export {
  selectStages
};
//# sourceMappingURL=chunk-TNFJNIBH.js.map
