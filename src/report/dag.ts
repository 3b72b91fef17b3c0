/** Draws a pipeline graph as text (a tree from its sources), Mermaid, Graphviz dot or JSON. */
import type { PipelineGraph } from '../graph/graph.js';

import type { DagFormat } from './dag-formats.js';

export function drawDag(graph: PipelineGraph, stages: readonly string[], format: DagFormat): string {
  const chosen = new Set(stages);
  const edges = stages.flatMap((name) => graph.nodes.get(name)!.upstream.filter((u) => chosen.has(u)).map((u) => [u, name] as const));
  switch (format) {
    case 'ascii':
      return asciiTree(graph, stages, chosen);
    case 'mermaid':
      return ['flowchart TD', ...stages.map((s) => `  ${mermaidId(s)}["${s.replaceAll('"', '#quot;')}"]`),
        ...edges.map(([a, b]) => `  ${mermaidId(a)} --> ${mermaidId(b)}`)].join('\n') + '\n';
    case 'dot':
      return ['digraph pipeline {', '  rankdir=TB;', '  node [shape=box, style=rounded];',
        ...stages.map((s) => `  ${JSON.stringify(s)};`), ...edges.map(([a, b]) => `  ${JSON.stringify(a)} -> ${JSON.stringify(b)};`), '}'].join('\n') + '\n';
    case 'json':
      return JSON.stringify({ stages: [...stages], edges: edges.map(([from, to]) => ({ from, to })) }, null, 2) + '\n';
  }
}

function mermaidId(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}

/**
 * Each source stage starts a tree of what reads from it. A stage with several upstreams appears
 * under each; below the first it is drawn in full, elsewhere marked "(see above)".
 */
function asciiTree(graph: PipelineGraph, stages: readonly string[], chosen: ReadonlySet<string>): string {
  const lines: string[] = [];
  const drawn = new Set<string>();
  const children = (name: string) => graph.nodes.get(name)!.downstream.filter((d) => chosen.has(d));
  const walk = (name: string, prefix: string, branch: string) => {
    const seen = drawn.has(name);
    lines.push(`${prefix}${branch}${name}${seen && children(name).length ? ' (see above)' : ''}`);
    if (seen) return;
    drawn.add(name);
    const kids = children(name);
    const childPrefix = prefix + (branch === '' ? '' : branch === '└─► ' ? '    ' : '│   ');
    kids.forEach((kid, i) => walk(kid, childPrefix, i === kids.length - 1 ? '└─► ' : '├─► '));
  };
  for (const name of stages) {
    const ups = graph.nodes.get(name)!.upstream.filter((u) => chosen.has(u));
    if (ups.length === 0) walk(name, '', '');
  }
  return lines.join('\n') + '\n';
}
