/**
 * Graphs built in-process from real pipeline files in temp folders: a pipewright.yaml (or dvc.yaml)
 * through its loader, TS stages through `declarePipeline` as `pipewright.ts` of the folder. For the
 * tests that call the graph modules directly rather than through the CLI.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import type { PipelineDeclaration } from '../../src/define/declaration.js';
import { loadDvcPipeline } from '../../src/define/dvc-pipeline.js';
import { parseOverrides } from '../../src/define/overrides.js';
import { pipeline, type StageDefinition } from '../../src/define/stage.js';
import { declarePipeline } from '../../src/define/ts-pipeline.js';
import { loadYamlPipeline } from '../../src/define/yaml-pipeline.js';
import { PipelineError } from '../../src/errors.js';
import { buildGraph, type GraphOptions, type PipelineGraph } from '../../src/graph/graph.js';

const made: string[] = [];
after(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A temp folder with these files, removed after the test file. */
export function folder(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'pw-graph-'));
  made.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

export function yamlDeclaration(yaml: string, files: Record<string, string> = {}): PipelineDeclaration {
  const dir = folder({ ...files, 'pipewright.yaml': yaml });
  return loadYamlPipeline(join(dir, 'pipewright.yaml'));
}

export function yamlGraph(yaml: string, files: Record<string, string> = {}, specs: string[] = [], options: GraphOptions = {}): PipelineGraph {
  const declaration = yamlDeclaration(yaml, files);
  return buildGraph(declaration, parseOverrides(specs, declaration), options);
}

export function dvcGraph(yaml: string, files: Record<string, string> = {}, specs: string[] = []): PipelineGraph {
  const dir = folder({ ...files, 'dvc.yaml': yaml });
  const declaration = loadDvcPipeline(join(dir, 'dvc.yaml'));
  return buildGraph(declaration, parseOverrides(specs, declaration));
}

export function tsDeclaration(stages: StageDefinition[], files: Record<string, string> = {}): PipelineDeclaration {
  return declarePipeline(pipeline('p', stages), join(folder(files), 'pipewright.ts'));
}

export function tsGraph(stages: StageDefinition[], specs: string[] = [], options: GraphOptions = {}): PipelineGraph {
  const declaration = tsDeclaration(stages);
  return buildGraph(declaration, parseOverrides(specs, declaration), options);
}

/** The PipelineError `build` throws. */
export function rejection(build: () => unknown): PipelineError {
  try {
    build();
  } catch (err) {
    assert.ok(err instanceof PipelineError, `expected a PipelineError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected an error');
}

/** A cmd stage's options: `stage('a', cmd('touch x', { outs: { x: 'x' } }))`. */
export const cmd = <const T extends object = {}>(text: string, more?: T) => ({ cmd: text, ...more }) as { cmd: string } & T;
