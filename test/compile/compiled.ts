/**
 * What the compile tests share: compiling a test project, the checks every compiled file must
 * pass, and the comparison of what the compiled tasks made with what `pipewright run` made.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from '../helpers/project.js';
import { argoReferenceProblems, argoSchemaErrors, kfpReferenceProblems, parseKfpStrictly, yamlDocuments } from './checks.js';

export const MOUNT = '/mnt/workspace';
export const TARGETS = ['kfp', 'argo'] as const;
export type Target = (typeof TARGETS)[number];
export type Json = Record<string, any>;
/** Out path → a function that keeps of its text what must be equal (the rest may differ). */
export type SameAfter = Record<string, (text: string) => string>;

export async function compile(p: TestProject, target: Target, ...more: string[]): Promise<{ text: string; documents: Json[] }> {
  const result = await p.run('compile', '--target', target, '-o', '-', '--image', 'registry.example.com/pw:1', '--volume', `ws:${MOUNT}`, ...more);
  assert.equal(result.code, 0, result.stderr);
  return { text: result.stdout, documents: yamlDocuments(result.stdout) };
}

/** Everything the tests hold compiled YAML to, with the failures named. */
export function check(target: Target, documents: Json[]): void {
  if (target === 'kfp') {
    assert.doesNotThrow(() => parseKfpStrictly(documents[0]!), 'a strict PipelineSpec');
    assert.deepEqual(kfpReferenceProblems(documents[0]!, documents[1]), []);
    assert.equal(documents[0]!.schemaVersion, '2.1.0');
  } else {
    assert.deepEqual(argoSchemaErrors(documents[0]), []);
    assert.deepEqual(argoReferenceProblems(documents[0]!), []);
  }
}

export interface Listed {
  readonly name: string;
  readonly upstream: string[];
  readonly outs: string[];
}

export async function listing(p: TestProject, ...args: string[]): Promise<Listed[]> {
  const result = await p.run('list', '--json', ...args);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout);
}

/** sha256 of a file, or of a folder's files and their relative paths, in order. */
export function hashOf(path: string): string {
  const hash = createHash('sha256');
  const add = (abs: string, rel: string) => {
    if (statSync(abs).isDirectory()) for (const e of readdirSync(abs).sort()) add(join(abs, e), `${rel}/${e}`);
    else hash.update(`${rel}\0`).update(readFileSync(abs));
  };
  add(path, '.');
  return hash.digest('hex');
}

/** Params of every kind, a sweep of four and its collector: prepare → train@… → results. */
export const SWEEP_PROJECT = {
  'pipewright.yaml': `
stages:
  prepare:
    cmd: node -e "require('fs').writeFileSync('data.txt', String(\${params.size}))"
    params: [size]
    outs: [data.txt]
  train:
    cmd: node -e "const fs=require('fs'); fs.mkdirSync('models',{recursive:true}); fs.writeFileSync('models/\${params.lr}-\${params.depth}.json', JSON.stringify({lr:\${params.lr},depth:\${params.depth},size:+fs.readFileSync('data.txt','utf8'),tag:process.argv[1]}))" \${params.tag}
    deps: [data.txt]
    params: [lr, depth, tag]
    sweep:
      space:
        lr: {grid: [0.1, 0.01]}
        depth: {grid: [2, 4]}
    outs:
      - models/\${params.lr}-\${params.depth}.json
  results:
    collect: train
    outs: [results/train.csv]
`,
  'params.yaml': 'size: 10\nlr: 0.5\ndepth: 1\ntag: "it\'s \\"quoted\\" $HOME {{item}} `id`"\n',
};

/**
 * SWEEP_PROJECT's collected table without its status column: it says how each instance got there,
 * `ran` in a run, `skipped` (found on disk or restored) for tasks that ran before in other containers.
 */
export const exceptStatus = (csv: string): string => csv.replace(/,(ran|skipped|restored),/g, ',<status>,');

/**
 * The compiled tasks made what `pipewright run` made in `local`: the lockfile entry of each
 * instance (fingerprint, code, params, deps, outs with their hashes) and each of its outs, read in
 * the copy of the project the instance's task ran in (one shared folder, or one copy per task).
 */
export function assertSameAsRun(target: Target, instances: readonly Listed[], copyOf: (instance: string) => TestProject, local: TestProject, sameAfter: SameAfter = {}): void {
  const lockOf = (p: TestProject) => (yamlDocuments(p.read('pipewright.lock'))[0]!.stages as Json);
  const localLock = lockOf(local);
  for (const instance of instances) {
    const cluster = copyOf(instance.name);
    const differs = instance.outs.some((o) => sameAfter[o]);
    const entry = (lock: Json) => (differs ? { ...lock[instance.name], fingerprint: undefined, outs: undefined, deps: undefined } : lock[instance.name]);
    assert.deepEqual(entry(lockOf(cluster)), entry(localLock), `${target}: the lockfile entry of ${instance.name}`);
    for (const out of instance.outs) {
      assert.ok(existsSync(cluster.path(out)), `${target}: ${instance.name} wrote ${out}`);
      const normal = sameAfter[out];
      if (normal) assert.equal(normal(cluster.read(out)), normal(local.read(out)), `${target}: ${out} of ${instance.name} is the same (${normal.name})`);
      else assert.equal(hashOf(cluster.path(out)), hashOf(local.path(out)), `${target}: ${out} of ${instance.name} is the same`);
    }
  }
}
