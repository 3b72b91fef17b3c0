/**
 * Finds the pipeline file of a project folder and loads it with the right front end. A loaded
 * declaration is kept per file for the life of the process (or thread), so that every instance an
 * executor runs does not re-evaluate the pipeline.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PipelineError } from '../errors.js';
import type { PipelineDeclaration } from './declaration.js';

/** Looked for in this order. */
export const PIPELINE_FILES = ['pipewright.ts', 'pipewright.yaml', 'pipewright.yml', 'dvc.yaml'] as const;

export function findPipelineFile(dir: string): string {
  for (const name of PIPELINE_FILES) {
    const file = join(dir, name);
    if (existsSync(file)) return resolve(file);
  }
  throw new PipelineError('pipeline-not-found', `no pipeline file in ${dir}`, undefined,
    `create ${PIPELINE_FILES.slice(0, 2).join(' or ')} (or bring a dvc.yaml), or point at a project with -C DIR`);
}

const loaded = new Map<string, Promise<PipelineDeclaration>>();

export function loadPipeline(file: string): Promise<PipelineDeclaration> {
  let declaration = loaded.get(file);
  if (!declaration) {
    // The front ends are loaded on demand: a run answered by the no-op fast path needs neither.
    const front = file.endsWith('.ts')
      ? import('./ts-pipeline.js').then(({ loadTsPipeline }) => loadTsPipeline(file))
      : file.endsWith('dvc.yaml')
        ? import('./dvc-pipeline.js').then(({ loadDvcPipeline }) => loadDvcPipeline(file))
        : import('./yaml-pipeline.js').then(({ loadYamlPipeline }) => loadYamlPipeline(file));
    declaration = Promise.all([front, import('./project-config.js')]).then(([d, { withProjectConfig }]) => withProjectConfig(d));
    loaded.set(file, declaration);
    declaration.catch(() => loaded.delete(file));
  }
  return declaration;
}

/**
 * Forgets the loaded declaration of `file`: the next load reads it again. For a process that
 * outlives one run (`run --watch`), after the file or a module or params file it reads changed.
 */
export function forgetPipeline(file: string): void {
  loaded.delete(file);
}
