/**
 * A project folder opened for work: its pipeline file found and loaded, overrides applied, the
 * graph built and validated. Every command starts here.
 */
import { resolve } from 'node:path';
import type { PipelineDeclaration } from '../define/declaration.js';
import { findPipelineFile, loadPipeline } from '../define/load.js';
import { parseOverrides } from '../define/overrides.js';
import { buildGraph, type PipelineGraph } from '../graph/graph.js';

export interface Project {
  readonly root: string;
  readonly declaration: PipelineDeclaration;
  readonly graph: PipelineGraph;
}

export async function openProject(dir: string, overrideSpecs: readonly string[] = []): Promise<Project> {
  const file = findPipelineFile(resolve(dir));
  const declaration = await loadPipeline(file);
  const graph = buildGraph(declaration, parseOverrides(overrideSpecs, declaration));
  return { root: declaration.root, declaration, graph };
}
