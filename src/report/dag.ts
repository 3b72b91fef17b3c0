/**
 * Draws a pipeline graph as text (a tree from its sources), Mermaid, Graphviz dot or JSON. A sweep
 * is drawn as one node, `train (sweep: 60 instances)`, unless every instance is asked for.
 */
import type { PipelineGraph } from '../graph/graph.js';

import type { DagFormat } from './dag-formats.js';

export interface DagOptions {
  /** Draw each instance of a sweep instead of one node for the sweep. */
  readonly instances?: boolean;
}

interface View {
  readonly nodes: readonly string[];
  readonly edges: readonly (readonly [string, string])[];
}

export function drawDag(graph: PipelineGraph, stages: readonly string[], format: DagFormat, options: DagOptions = {}): string {
  const { nodes, edges } = view(graph, stages, options);
  return drawNodes(nodes, edges, format);
}

/** Draws any graph of named nodes (a pipeline's stages, a flow's cells). */
export function drawNodes(nodes: readonly string[], edges: View['edges'], format: DagFormat): string {
  switch (format) {
    case 'ascii':
      return asciiTree(nodes, edges);
    case 'mermaid':
      return ['flowchart TD', ...nodes.map((s) => `  ${mermaidId(s)}["${s.replaceAll('"', '#quot;')}"]`),
        ...edges.map(([a, b]) => `  ${mermaidId(a)} --> ${mermaidId(b)}`)].join('\n') + '\n';
    case 'dot':
      return ['digraph pipeline {', '  rankdir=TB;', '  node [shape=box, style=rounded];',
        ...nodes.map((s) => `  ${JSON.stringify(s)};`), ...edges.map(([a, b]) => `  ${JSON.stringify(a)} -> ${JSON.stringify(b)};`), '}'].join('\n') + '\n';
    case 'json':
      return JSON.stringify({ stages: [...nodes], edges: edges.map(([from, to]) => ({ from, to })) }, null, 2) + '\n';
  }
}

/** The nodes and edges to draw: each selected instance, or its sweep's one node. */
function view(graph: PipelineGraph, stages: readonly string[], options: DagOptions): View {
  const chosen = new Set(stages);
  const label = (name: string): string => {
    const of = graph.nodes.get(name)!.of;
    const instances = graph.sweeps.get(of);
    if (options.instances || !instances || instances.length < 2) return name;
    return `${of} (sweep: ${instances.length} instances)`;
  };
  const nodes = [...new Set(stages.map(label))];
  const edges = new Map<string, readonly [string, string]>();
  for (const name of stages) {
    for (const up of graph.nodes.get(name)!.upstream) {
      if (!chosen.has(up)) continue;
      const edge = [label(up), label(name)] as const;
      if (edge[0] !== edge[1]) edges.set(edge.join('\0'), edge);
    }
  }
  return { nodes, edges: [...edges.values()] };
}

function mermaidId(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}

/**
 * Each source stage starts a tree of what reads from it. A stage with several upstreams appears
 * under each; below the first it is drawn in full, elsewhere marked "(see above)".
 */
function asciiTree(nodes: readonly string[], edges: View['edges']): string {
  const children = new Map<string, string[]>(nodes.map((n) => [n, []]));
  const hasUpstream = new Set<string>();
  for (const [from, to] of edges) {
    children.get(from)!.push(to);
    hasUpstream.add(to);
  }
  const lines: string[] = [];
  const drawn = new Set<string>();
  const walk = (name: string, prefix: string, branch: string) => {
    const seen = drawn.has(name);
    const kids = children.get(name)!;
    lines.push(`${prefix}${branch}${name}${seen && kids.length ? ' (see above)' : ''}`);
    if (seen) return;
    drawn.add(name);
    const childPrefix = prefix + (branch === '' ? '' : branch === '└─► ' ? '    ' : '│   ');
    kids.forEach((kid, i) => walk(kid, childPrefix, i === kids.length - 1 ? '└─► ' : '├─► '));
  };
  for (const name of nodes) if (!hasUpstream.has(name)) walk(name, '', '');
  return lines.join('\n') + '\n';
}
