/**
 * The graph survives compiling, for every example and for the corpus's dvc.yaml projects that
 * load: the compiled tasks are `list`'s instances and their edges, and the YAML passes the same
 * checks as the CLI's (strict protobuf, Argo's schema, references).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadDvcPipeline } from '../../src/define/dvc-pipeline.js';
import { buildGraph } from '../../src/graph/graph.js';
import { listStages } from '../../src/graph/listing.js';
import { openProject } from '../../src/run/project.js';
import { compilePipeline, type CompileTarget } from '../../src/compile/compile.js';
import { DnsNames, ParamNames } from '../../src/compile/names.js';
import type { PipelineGraph } from '../../src/graph/graph.js';
import { DVC_CORPUS as CORPUS } from '../helpers/fixtures.js';
import { REPO } from '../helpers/project.js';
import { argoReferenceProblems, argoSchemaErrors, compiledTasks, graphProblems, kfpReferenceProblems, parseKfpStrictly } from './checks.js';

const OPTIONS = { image: 'registry.example.com/p:1', volume: { claim: 'ws', mountPath: '/workspace' }, accelerator: 'nvidia.com/gpu', parallelism: 4 };

function compiledChecks(graph: PipelineGraph, label: string): void {
  const listing = listStages(graph);
  for (const target of ['kfp', 'argo'] as CompileTarget[]) {
    const { documents } = compilePipeline(graph, target, OPTIONS);
    const docs = documents as Record<string, any>[];
    if (target === 'kfp') {
      assert.doesNotThrow(() => parseKfpStrictly(docs[0]!), `${label} (kfp)`);
      assert.deepEqual(kfpReferenceProblems(docs[0]!, docs[1]), [], `${label} (kfp)`);
    } else {
      assert.deepEqual(argoSchemaErrors(docs[0]), [], `${label} (argo)`);
      assert.deepEqual(argoReferenceProblems(docs[0]!), [], `${label} (argo)`);
    }
    assert.deepEqual(graphProblems(compiledTasks(target, docs), listing), [], `${label} (${target})`);
  }
}

describe('the graph survives compiling', () => {
  it('examples: yaml-wordcount, spam, tao-classification', async () => {
    for (const example of ['yaml-wordcount', 'spam', 'tao-classification']) {
      const { graph } = await openProject(join(REPO, 'examples', example));
      compiledChecks(graph, example);
    }
  });

  const manifest = readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')[0]!);
  it('the corpus\'s dvc.yaml projects that load', () => {
    // The one corpus project that does not load: its vars file lies outside the corpus folder.
    const unloadable = ['06-rmnldwg__lynference'];
    const compiled: string[] = [];
    for (const dir of manifest) {
      let graph: PipelineGraph;
      try {
        // Params files of these projects are not all in the corpus: the shape is what is compiled.
        graph = buildGraph(loadDvcPipeline(join(CORPUS, dir, 'dvc.yaml')), undefined, { structureOnly: true });
      } catch {
        continue; // the corpus test says which fail to load, and why
      }
      compiledChecks(graph, dir);
      compiled.push(dir);
    }
    assert.ok(compiled.length > 0, `no projects in ${CORPUS}`);
    assert.deepEqual(compiled, manifest.filter((dir) => !unloadable.includes(dir)), 'the projects compiled');
  });
});

describe('compile names', () => {
  it('DNS-1123 labels: lower case, -, at most 63, unique after shortening, stable', () => {
    const names = new DnsNames();
    names.reserve('main');
    const long = 'Train@lr=0.0001,depth=' + '9'.repeat(80);
    const made = ['main', 'Train_Model', 'train-model', long + '1', long + '2', '@@@', ''].map((n) => names.of(n));
    for (const n of made) assert.match(n, /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, n);
    assert.equal(new Set(made).size, made.length, made.join(' '));
    assert.notEqual(made[0], 'main', 'a reserved name is not given to a stage');
    assert.equal(made[1], 'train-model');
    assert.equal(names.of('Train_Model'), made[1], 'the same original gets the same name');
    const again = new DnsNames();
    again.reserve('main');
    assert.deepEqual(['main', 'Train_Model', 'train-model', long + '1', long + '2', '@@@', ''].map((n) => again.of(n)), made, 'stable across compiles');
  });

  it('parameter names: identifiers, unique', () => {
    const names = new ParamNames();
    const made = ['train.lr', 'train_lr', '1st', 'a-b.c'].map((n) => names.of(n));
    for (const n of made) assert.match(n, /^[A-Za-z_][A-Za-z0-9_]*$/, n);
    assert.equal(new Set(made).size, 4);
    assert.equal(made[0], 'train_lr');
  });
});
