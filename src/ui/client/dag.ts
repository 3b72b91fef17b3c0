/// <reference lib="dom" />
/**
 * The run's DAG as SVG, laid out left to right by dagre (a layered layout: stages in columns by
 * depth, few crossings). Built once per run page; afterwards only each node's state and count
 * change, so a live run repaints a few attributes, not the layout.
 */
import dagre, { type Point } from '@dagrejs/dagre';
import { nodeState, type LiveInstance, type NodeState } from './run-state.js';

const SVG = 'http://www.w3.org/2000/svg';
const NODE_WIDTH = 170;
const NODE_HEIGHT = 46;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

export interface DagView {
  readonly element: SVGSVGElement;
  /** Repaint every node from its instances. */
  update(groups: ReadonlyMap<string, readonly LiveInstance[]>): void;
}

export function drawDag(upstream: ReadonlyMap<string, readonly string[]>, onSelect: (stage: string) => void): DagView {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 48, marginx: 8, marginy: 8 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const stage of upstream.keys()) graph.setNode(stage, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const [stage, ups] of upstream) for (const up of ups) if (upstream.has(up)) graph.setEdge(up, stage);
  dagre.layout(graph);
  const { width = 0, height = 0 } = graph.graph();

  const root = svg('svg', { class: 'dag', width: Math.ceil(width), height: Math.ceil(height), viewBox: `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`, role: 'img', 'aria-label': 'the run\'s stages and how they connect' });
  const marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
  marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow' }));
  const defs = svg('defs', {});
  defs.append(marker);
  root.append(defs);
  for (const edge of graph.edges()) {
    const points: readonly Point[] = (graph.edge(edge) as { points?: Point[] }).points ?? [];
    const d = points.map((p, i) => `${i ? 'L' : 'M'} ${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' ');
    root.append(svg('path', { d, class: 'edge', 'marker-end': 'url(#arrow)', 'data-from': edge.v, 'data-to': edge.w }));
  }
  const counts = new Map<string, SVGTextElement>();
  const nodes = new Map<string, SVGGElement>();
  for (const stage of upstream.keys()) {
    const { x, y } = graph.node(stage);
    const g = svg('g', { class: 'node', 'data-stage': stage, 'data-state': 'pending', tabindex: 0, role: 'button', transform: `translate(${(x - NODE_WIDTH / 2).toFixed(1)},${(y - NODE_HEIGHT / 2).toFixed(1)})` });
    g.append(svg('title', {}, stage));
    g.append(svg('rect', { width: NODE_WIDTH, height: NODE_HEIGHT, rx: 6 }));
    g.append(svg('text', { x: 10, y: 19, class: 'name' }, shorten(stage)));
    const count = svg('text', { x: 10, y: 36, class: 'count' }, '');
    g.append(count);
    g.addEventListener('click', () => onSelect(stage));
    g.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') onSelect(stage);
    });
    counts.set(stage, count);
    nodes.set(stage, g);
    root.append(g);
  }
  return {
    element: root,
    update(groups) {
      for (const [stage, g] of nodes) {
        const instances = groups.get(stage) ?? [];
        const state: NodeState = nodeState(instances);
        if (g.getAttribute('data-state') !== state) g.setAttribute('data-state', state);
        counts.get(stage)!.textContent = countWords(instances, state);
      }
    },
  };
}

function countWords(instances: readonly LiveInstance[], state: NodeState): string {
  const done = instances.filter((i) => !['queued', 'running'].includes(i.state)).length;
  const running = instances.filter((i) => i.state === 'running').length;
  const total = instances.length;
  const of = total > 1 ? `${done}/${total} done` : '';
  if (state === 'running' && running) return total > 1 ? `${of}, ${running} running` : 'running';
  return of || state;
}

function shorten(name: string): string {
  return name.length > 22 ? `${name.slice(0, 21)}…` : name;
}
