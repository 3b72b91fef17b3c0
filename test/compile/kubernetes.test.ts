/**
 * Kubernetes' own knobs in compiled YAML: nodeSelector, tolerations, serviceAccountName and imagePullSecrets,
 * for the whole pipeline (pipewright.config.yaml's `kubernetes:`, flags over it), for the stages with a label
 * (`kubernetes.labels`), and per stage (its own `kubernetes:`), in both targets (Kubeflow through its
 * kubernetes platform spec). Bad knobs are refused with exit 2.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { useProjects } from '../helpers/project.js';
import { check, compile } from './compiled.js';

const project = useProjects();

const FILES = {
  'pipewright.yaml': `stages:
  prepare:
    cmd: echo p > p.txt
    outs: [p.txt]
  train:
    cmd: cat p.txt > model.txt
    deps: [p.txt]
    outs: [model.txt]
    labels: [gpu]
    resources: { gpus: 1 }
    kubernetes:
      nodeSelector: { accelerator: a100 }
      serviceAccountName: trainer
`,
  'pipewright.config.yaml': `kubernetes:
  imagePullSecrets: [registry-creds]
  nodeSelector: { pool: ml }
  labels:
    gpu:
      tolerations:
        - { key: nvidia.com/gpu, operator: Exists, effect: NoSchedule }
`,
};
const FLAGS = ['--node-selector', 'zone=eu-1', '--toleration', 'spot=true:NoExecute'];

describe('Kubernetes knobs', () => {
  it('argo: the pipeline\'s on the workflow, a stage\'s own and its label\'s on its template; the schema holds', async () => {
    const { documents } = await compile(project(FILES), 'argo', ...FLAGS);
    check('argo', documents);
    const spec = documents[0]!.spec;
    assert.deepEqual(spec.nodeSelector, { pool: 'ml', zone: 'eu-1' });
    assert.deepEqual(spec.tolerations, [{ key: 'spot', operator: 'Equal', value: 'true', effect: 'NoExecute' }]);
    assert.deepEqual(spec.imagePullSecrets, [{ name: 'registry-creds' }]);
    const template = (name: string) => spec.templates.find((t: { name: string }) => t.name === name);
    assert.equal(template('prepare').nodeSelector, undefined, 'the workflow\'s apply as they are');
    assert.deepEqual(template('train').nodeSelector, { pool: 'ml', zone: 'eu-1', accelerator: 'a100' });
    assert.deepEqual(template('train').tolerations, [
      { key: 'spot', operator: 'Equal', value: 'true', effect: 'NoExecute' }, { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
    ]);
    assert.equal(template('train').serviceAccountName, 'trainer');
    assert.deepEqual(template('train').container.resources, { limits: { 'nvidia.com/gpu': '1' } });
  });

  it('kfp: each executor\'s platform config carries its knobs; the service account is said to be a run\'s', async () => {
    const p = project(FILES);
    const { documents } = await compile(p, 'kfp', ...FLAGS);
    check('kfp', documents);
    const executors = documents[1]!.platforms.kubernetes.deploymentSpec.executors;
    assert.deepEqual(executors['exec-prepare'].nodeSelector, { labels: { pool: 'ml', zone: 'eu-1' } });
    assert.deepEqual(executors['exec-train'].nodeSelector, { labels: { pool: 'ml', zone: 'eu-1', accelerator: 'a100' } });
    assert.deepEqual(executors['exec-train'].tolerations.map((t: { key: string }) => t.key), ['spot', 'nvidia.com/gpu']);
    assert.deepEqual(executors['exec-train'].imagePullSecret, [{ secretName: 'registry-creds', secretNameParameter: { runtimeValue: { constant: 'registry-creds' } } }]);
    const result = await p.run('compile', '--target', 'kfp', '-o', 'out.yaml', '--image', 'r.example.com/x:1');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /note: Kubeflow takes the service account when a run starts, not from the pipeline: start runs with trainer/);
  });

  it('bad knobs: exit 2 naming the flag or the line', async () => {
    const p = project(FILES);
    const flag = await p.run('compile', '--target', 'argo', '-o', '-', '--toleration', 'gpu:Sometimes');
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /--toleration gpu:Sometimes: expected KEY\[=VALUE\]\[:EFFECT\]/);
    const account = await p.run('compile', '--target', 'argo', '-o', '-', '--service-account', 'Not_A_Name');
    assert.equal(account.code, 2);
    assert.match(account.stderr, /serviceAccountName: expected a Kubernetes name/);
    p.write({ 'pipewright.config.yaml': 'kubernetes:\n  nodeSelector: { pool: ml }\n  tolerations: [{ key: gpu, effect: Sometimes }]\n' });
    const config = await p.run('compile', '--target', 'argo', '-o', '-');
    assert.equal(config.code, 2);
    assert.match(config.stderr, /pipewright\.config\.yaml:3/);
    p.write({ 'pipewright.config.yaml': '', 'pipewright.yaml': FILES['pipewright.yaml'].replace('serviceAccountName: trainer', 'serviceAcount: trainer') });
    const stage = await p.run('compile', '--target', 'argo', '-o', '-');
    assert.equal(stage.code, 2);
    assert.match(stage.stderr, /pipewright\.yaml:\d+.*serviceAcount/);
  });
});
