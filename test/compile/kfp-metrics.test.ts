/**
 * A stage's metrics reach the Kubeflow UI as Kubeflow's own Metrics output: the component declares a
 * `system.Metrics` output artifact exactly as the KFP SDK's `Output[Metrics]` components do (checked against
 * a real compiled pipeline in test/fixtures/reference/kfp), the container gets its executor input (`{{$}}`),
 * and `exec --cached` writes the metrics (numbers, nested keys dotted) as the artifact's metadata in the
 * executor output, whether the instance ran or was up to date.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { useProjects } from '../helpers/project.js';
import { KFP_REFERENCE, yamlDocuments } from './checks.js';
import { check, compile, MOUNT } from './compiled.js';
import { kfpContainers, runContainers } from './local-runner.js';

const project = useProjects();

const FILES = {
  'pipewright.yaml': `stages:
  prepare:
    cmd: echo 3 > n.txt
    outs: [n.txt]
  evaluate:
    cmd: 'echo "{\\"accuracy\\": 0.91, \\"eval\\": {\\"f1\\": 0.8, \\"n\\": $(cat n.txt)}, \\"note\\": \\"ok\\"}" > metrics.json'
    deps: [n.txt]
    metrics: [metrics.json]
`,
};

describe('metrics as Kubeflow Metrics artifacts', () => {
  it('the component declares the Metrics output as the KFP SDK writes it; only stages with metrics do', async () => {
    const { documents } = await compile(project(FILES), 'kfp');
    check('kfp', documents);
    const [reference] = yamlDocuments(readFileSync(join(KFP_REFERENCE, 'pipeline_with_metrics_outputs.yaml'), 'utf8')) as Record<string, any>[];
    const spec = documents[0]!;
    assert.deepEqual(spec.components['comp-evaluate'].outputDefinitions, reference!.components['comp-output-metrics'].outputDefinitions);
    assert.equal(spec.components['comp-prepare'].outputDefinitions, undefined);
    assert.deepEqual(spec.deploymentSpec.executors['exec-evaluate'].container.args.slice(-2), ['--kfp-executor-input', '{{$}}']);
    assert.ok(!spec.deploymentSpec.executors['exec-prepare'].container.args.includes('{{$}}'));
  });

  it('exec --cached writes the metrics as the artifact\'s metadata, when it ran and when it was up to date', async () => {
    const p = project(FILES);
    const { documents } = await compile(p, 'kfp');
    for (const round of ['ran', 'up to date']) {
      const runs = kfpContainers(documents);
      const results = await runContainers(runs, { mountPath: MOUNT, dir: p.dir });
      const evaluate = runs.find((r) => r.task === 'evaluate')!;
      assert.match(results.find((r) => r.task === 'evaluate')!.stderr, new RegExp(`evaluate: ${round}`));
      const output = JSON.parse(readFileSync(evaluate.executorOutput!, 'utf8'));
      const artifact = output.artifacts.metrics.artifacts[0];
      assert.deepEqual(artifact.metadata, { accuracy: 0.91, 'eval.f1': 0.8, 'eval.n': 3 }, round);
      assert.equal(artifact.name, 'metrics');
      const file = new URL(artifact.uri);
      assert.ok(existsSync(file), 'the artifact\'s own file is there for the launcher to upload');
      assert.equal(runs.find((r) => r.task === 'prepare')!.executorOutput, undefined);
    }
  });

  it('a bad executor input is exit 2, before anything runs', async () => {
    const p = project(FILES);
    const result = await p.run('exec', '--cached', 'prepare', '--kfp-executor-input', '{"outputs": {}}');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--kfp-executor-input names no outputFile or no "metrics" artifact/);
    assert.equal(p.exists('n.txt'), false);
  });
});
