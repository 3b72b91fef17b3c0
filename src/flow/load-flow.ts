/**
 * Loads a flow file, as the CLI and every clone do: a `.ts` file through tsx's loader (no build
 * step), anything else with `import()`. A loaded module is kept per file for the life of the
 * thread, so a clone replaced after a crash does not re-evaluate it.
 */
import { pathToFileURL } from 'node:url';
import { PipelineError, closestName, isPipelineError } from '../errors.js';
import type { CellDefinition } from './cell.js';
import type { CellAddress } from './clone-messages.js';
import { isFlow, setFlowFile, type FlowDefinition } from './flow.js';

const modules = new Map<string, Promise<Record<string, unknown>>>();

function importModule(file: string): Promise<Record<string, unknown>> {
  let loaded = modules.get(file);
  if (!loaded) {
    const url = file.startsWith('file:') ? file : pathToFileURL(file).href;
    loaded = /\.[cm]?tsx?$/.test(file)
      ? import('tsx/esm/api').then(({ tsImport }) => tsImport(url, import.meta.url) as Promise<Record<string, unknown>>)
      : import(url) as Promise<Record<string, unknown>>;
    modules.set(file, loaded);
  }
  return loaded;
}

/** Every flow a module exports, by name; a file outside an ESM package has its exports under `default`. */
function exportedFlows(module: Record<string, unknown>): FlowDefinition[] {
  const found: FlowDefinition[] = [];
  for (const scope of [module, module.default as Record<string, unknown> | undefined]) {
    if (scope === null || typeof scope !== 'object') continue;
    if (isFlow(scope)) found.push(scope);
    for (const value of Object.values(scope)) if (isFlow(value) && !found.includes(value)) found.push(value);
  }
  return found;
}

/** The flow a file exports (`export default`, or the only one); for the CLI. */
export async function loadFlowFile(file: string, shown = file): Promise<FlowDefinition> {
  let module: Record<string, unknown>;
  try {
    module = await importModule(file);
  } catch (err) {
    // The file's own copy of this package made the error: match it by name, not by class.
    if (isPipelineError(err)) throw new PipelineError(err.code, err.message, err.where ?? { file: shown }, err.hint);
    const message = err instanceof Error ? err.message : String(err);
    throw new PipelineError('pipeline-load', `cannot load ${shown}: ${message.split('\n')[0]}`, { file: shown });
  }
  const defaults = [module.default, (module.default as Record<string, unknown> | undefined)?.default].filter(isFlow);
  const flows = defaults.length ? defaults : exportedFlows(module);
  if (flows.length !== 1) {
    throw new PipelineError('pipeline-load', flows.length ? `${shown} exports ${flows.length} flows and no default` : `${shown} exports no flow`, { file: shown },
      "end the file with `export default flow('name', [cellA, cellB])`");
  }
  setFlowFile(flows[0]!, file);
  return flows[0]!;
}

/** The cell a clone runs, found by address: load the file, find the flow, then the cell. */
export async function findCell(address: CellAddress): Promise<CellDefinition> {
  const flows = exportedFlows(await importModule(address.file));
  const found = flows.find((f) => f.name === address.flow);
  if (!found) {
    throw new PipelineError('pipeline-load', `${address.file} exports no flow named "${address.flow}"`, { file: address.file },
      'a flow whose cells run on threads or processes must be exported by the file that defines it');
  }
  const definition = found.graph.cells.find((c) => c.name === address.cell);
  if (!definition) {
    const guess = closestName(address.cell, found.graph.cells.map((c) => c.name));
    throw new PipelineError('unknown-stage', `flow "${address.flow}" has no cell "${address.cell}"`, { file: address.file }, guess ? `did you mean "${guess}"?` : undefined);
  }
  return definition;
}
