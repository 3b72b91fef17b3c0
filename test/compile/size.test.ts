/**
 * Pipelines of any size: a 4,172-stage dvc.yaml (the corpus's opentimes project, matrix stages over
 * years, states and geographies) compiles to files that Kubernetes stores (etcd takes objects up to
 * ~1.5 MB): under 1 MiB for Argo and 1.5 MiB for Kubeflow, valid, with the pipeline's graph. Each
 * matrix stage is one loop; tasks that differ only by instance share one template.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { loadDvcPipeline } from '../../src/define/dvc-pipeline.js';
import { buildGraph } from '../../src/graph/graph.js';
import { listStages } from '../../src/graph/listing.js';
import { compilePipeline, type CompileTarget } from '../../src/compile/compile.js';
import { DVC_CORPUS } from '../helpers/fixtures.js';
import { argoSchemaErrors, compiledTasks, graphProblems, parseKfpStrictly } from './checks.js';
import { useProjects } from '../helpers/project.js';
import { compile, listing } from './compiled.js';

const project = useProjects();
const OPTIONS = { image: 'registry.example.com/p:1', volume: { claim: 'ws', mountPath: '/workspace' }, accelerator: 'nvidia.com/gpu' };
const LIMIT = { argo: 1024 * 1024, kfp: 1.5 * 1024 * 1024 };

describe('pipelines of any size', () => {
  it('4,172 stages (opentimes): under 1 MiB for Argo and 1.5 MiB for Kubeflow, valid, the graph kept', () => {
    const graph = buildGraph(loadDvcPipeline(join(DVC_CORPUS, '03-dfsnow__opentimes', 'dvc.yaml')), undefined, { structureOnly: true });
    const listing = listStages(graph);
    assert.equal(listing.length, 4172);
    for (const target of ['argo', 'kfp'] as CompileTarget[]) {
      const { documents } = compilePipeline(graph, target, OPTIONS);
      const docs = documents as Record<string, any>[];
      const bytes = Buffer.byteLength(docs.map((d) => stringify(d)).join('---\n'));
      assert.ok(bytes < LIMIT[target], `${target}: ${bytes} bytes`);
      if (target === 'kfp') assert.doesNotThrow(() => parseKfpStrictly(docs[0]!));
      else assert.deepEqual(argoSchemaErrors(docs[0]), []);
      const tasks = compiledTasks(target, docs);
      assert.deepEqual(graphProblems(tasks, listing), []);
      assert.equal(tasks.size, 12, 'one loop per matrix stage');
    }
  });

  it('a foreach stage whose instances read each other: one task per instance (a loop would lose the edges), one shared template', async () => {
    const p = project({
      'seed.txt': 'seed\n',
      'dvc.yaml': `stages:
  chain:
    foreach: [{from: seed, to: a}, {from: a, to: b}, {from: b, to: c}]
    do:
      cmd: cp \${item.from}.txt \${item.to}.txt
      deps: ["\${item.from}.txt"]
      outs: ["\${item.to}.txt"]
`,
    });
    const listed = await listing(p);
    for (const target of ['argo', 'kfp'] as const) {
      const { documents } = await compile(p, target);
      assert.deepEqual(graphProblems(compiledTasks(target, documents), listed), []);
      if (target === 'argo') {
        const templates = documents[0]!.spec.templates as { name: string; dag?: { tasks: { name: string; template: string; arguments?: { parameters: { value: string }[] } }[] } }[];
        assert.deepEqual(templates.map((t) => t.name), ['main', 'chain-0']);
        assert.deepEqual(templates[0]!.dag!.tasks.map((t) => [t.name, t.template, t.arguments?.parameters[0]?.value]),
          [['chain-0', 'chain-0', 'chain@0'], ['chain-1', 'chain-0', 'chain@1'], ['chain-2', 'chain-0', 'chain@2']]);
      } else {
        assert.deepEqual(Object.keys(documents[0]!.components), ['comp-chain-0']);
        assert.deepEqual(Object.keys(documents[0]!.root.dag.tasks), ['chain-0', 'chain-1', 'chain-2']);
      }
    }
  });
});
