/**
 * The checks themselves, against the real files in test/fixtures/reference: every compiled Kubeflow
 * pipeline parses strictly and its references resolve; every Argo example validates; and each
 * check refuses a file broken in the way it is there to catch.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  ARGO_REFERENCE, KFP_REFERENCE, argoReferenceProblems, argoSchemaErrors, kfpReferenceProblems, parseKfpStrictly, yamlDocuments,
} from './checks.js';

type Json = Record<string, any>;
const yamlIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
const clone = <T>(value: T): T => structuredClone(value);

describe('compile checks against the reference files', () => {
  it('the 12 compiled Kubeflow pipelines parse strictly as PipelineSpec, and their names resolve', () => {
    const files = yamlIn(KFP_REFERENCE);
    assert.equal(files.length, 12);
    for (const file of files) {
      const [spec, platform] = yamlDocuments(readFileSync(join(KFP_REFERENCE, file), 'utf8'));
      assert.doesNotThrow(() => parseKfpStrictly(spec!), file);
      assert.deepEqual(kfpReferenceProblems(spec!, platform), [], file);
    }
  });

  it('a field PipelineSpec does not define, a wrong type, or a dangling reference is refused', () => {
    const [spec] = yamlDocuments(readFileSync(join(KFP_REFERENCE, 'pipeline_with_after.yaml'), 'utf8')) as [Json];
    const unknown = clone(spec);
    unknown.root.dag.tasks['print-text'].cachingOption = {};
    assert.throws(() => parseKfpStrictly(unknown), /key "cachingOption" is unknown/);
    const inExecutor = clone(spec);
    Object.values<Json>(inExecutor.deploymentSpec.executors)[0]!.container.imagePullPolicy = 'Always';
    assert.throws(() => parseKfpStrictly(inExecutor), /imagePullPolicy/, 'deploymentSpec is a Struct in the proto, and parsed again as what it holds');
    const badType = clone(spec);
    badType.schemaVersion = 2.1;
    assert.throws(() => parseKfpStrictly(badType));
    const dangling = clone(spec);
    dangling.root.dag.tasks['print-text-2'].dependentTasks = ['no-such-task'];
    dangling.root.dag.tasks['print-text-3'].componentRef.name = 'comp-missing';
    const problems = kfpReferenceProblems(dangling);
    assert.ok(problems.some((p) => /dependentTasks names no-such-task/.test(p)), problems.join('\n'));
    assert.ok(problems.some((p) => /componentRef comp-missing/.test(p)), problems.join('\n'));
    const label = clone(spec);
    Object.values<Json>(label.components)[0]!.executorLabel = 'exec-missing';
    assert.ok(kfpReferenceProblems(label).some((p) => /executorLabel exec-missing/.test(p)));
  });

  it('the 10 Argo examples validate against Argo\'s schema, and their names resolve', () => {
    const files = yamlIn(ARGO_REFERENCE);
    assert.equal(files.length, 10);
    for (const file of files) {
      const [workflow] = yamlDocuments(readFileSync(join(ARGO_REFERENCE, file), 'utf8'));
      assert.deepEqual(argoSchemaErrors(workflow), [], file);
    }
    const [diamond] = yamlDocuments(readFileSync(join(ARGO_REFERENCE, 'dag-diamond.yaml'), 'utf8')) as [Json];
    assert.deepEqual(argoReferenceProblems(diamond), []);
  });

  it('a mistyped Argo field fails the schema; a dangling dependency, template or parameter fails the reference check', () => {
    const [diamond] = yamlDocuments(readFileSync(join(ARGO_REFERENCE, 'dag-diamond.yaml'), 'utf8')) as [Json];
    const mistyped = clone(diamond);
    mistyped.spec.templates[0].dag.tasks[1].dependencies = 'A';
    assert.notDeepEqual(argoSchemaErrors(mistyped), []);
    const dangling = clone(diamond);
    const tasks = dangling.spec.templates.find((t: Json) => t.dag).dag.tasks as Json[];
    tasks[1]!.dependencies = ['Z'];
    tasks[2]!.template = 'nope';
    tasks[3]!.arguments = { parameters: [{ name: 'message', value: '{{workflow.parameters.missing}}' }] };
    const problems = argoReferenceProblems(dangling);
    assert.ok(problems.some((p) => /dependency Z is no task/.test(p)), problems.join('\n'));
    assert.ok(problems.some((p) => /template nope does not exist/.test(p)), problems.join('\n'));
    assert.ok(problems.some((p) => /workflow\.parameters\.missing/.test(p)), problems.join('\n'));
  });
});
