/** A flow drawn like a pipeline (`pipewright dag FILE`): one node per cell, labelled with how it runs. */
import { drawNodes } from '../report/dag.js';
import type { DagFormat } from '../report/dag-formats.js';
import { executorOf, type CellDefinition } from './cell.js';
import type { FlowDefinition } from './flow.js';
import { portKey } from './graph.js';

export function drawFlow(definition: FlowDefinition, format: DagFormat): string {
  const { graph } = definition;
  if (format === 'json') {
    return JSON.stringify({
      flow: definition.name,
      cells: graph.cells.map((c) => ({
        name: c.name, inputs: c.inputNames, outputs: c.outputNames, scale: c.options.scale ?? 1, executor: executorOf(c), batch: c.options.batch,
        onError: c.options.onError ?? 'fail', source: c.source || undefined,
      })),
      connections: graph.edges.map((e) => ({ from: portKey(e.from), to: portKey(e.to) })),
      recurrent: graph.recurrent.map((e) => ({ from: portKey(e.from), to: portKey(e.to), initial: e.initial })),
      inputs: graph.entries.map(portKey),
      outputs: graph.exits.map(portKey),
    }, null, 2) + '\n';
  }
  const label = new Map(graph.cells.map((c) => [c.name, describe(c, graph.recurrent.filter((e) => e.to.cell === c.name).map((e) => portKey(e.from)))]));
  const edges = graph.edges.map((e) => [label.get(e.from.cell)!, label.get(e.to.cell)!] as const);
  return drawNodes(graph.cells.map((c) => label.get(c.name)!), edges, format);
}

/** A cell's label: its name, and how it runs where that is not the default; `loopsFrom` are the outputs fed back into it. */
function describe(definition: CellDefinition, loopsFrom: readonly string[]): string {
  const notes: string[] = [];
  if (definition.source) notes.push('source');
  for (const from of loopsFrom) notes.push(`↺ ${from}`);
  const scale = definition.options.scale ?? 1;
  if (scale > 1 || definition.options.executor) notes.push(`×${scale} ${executorOf(definition)}`);
  if (definition.options.batch) notes.push(`batch ${definition.options.batch.size}/${definition.options.batch.maxWaitMs}ms`);
  if (definition.options.onError && definition.options.onError !== 'fail') notes.push(`onError ${definition.options.onError}`);
  return notes.length ? `${definition.name} (${notes.join(', ')})` : definition.name;
}
