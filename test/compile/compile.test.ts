/**
 * `pipewright compile`: Kubeflow and Argo YAML checked for real — the PipelineSpec parsed strictly
 * against Kubeflow's protobuf, the Workflow against Argo's JSON schema, every internal reference
 * resolved, the graph unchanged — and run: the compiled tasks, executed here in dependency order
 * by a runner that reads only the YAML, make the same outs as `pipewright run`.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { REPO, useProjects, type TestProject } from '../helpers/project.js';
import { compiledTasks, graphProblems, yamlDocuments } from './checks.js';
import { MOUNT, SWEEP_PROJECT, TARGETS, assertSameAsRun, check, compile, listing, exceptStatus, type Json, type SameAfter, type Target } from './compiled.js';
import { argoContainers, kfpContainers, runContainers } from './local-runner.js';

const project = useProjects();

/** A copy of an example's tracked files, as a fresh clone has them. */
function copyOf(example: string, modules: string[] = []): TestProject {
  const p = project();
  const folder = join('examples', example);
  const tracked = execFileSync('git', ['ls-files', '-z', folder], { cwd: REPO, encoding: 'utf8' }).split('\0').filter(Boolean);
  // Files not committed yet (a new example) are taken from the work tree.
  const files = tracked.length ? tracked : walk(join(REPO, folder)).map((f) => relative(REPO, f));
  for (const file of files) {
    mkdirSync(dirname(join(p.dir, relative(folder, file))), { recursive: true });
    cpSync(join(REPO, file), join(p.dir, relative(folder, file)));
  }
  p.write({ 'package.json': '{ "type": "module" }\n' });
  for (const m of modules) symlinkSync(join(REPO, 'node_modules', m), join(p.dir, 'node_modules', m));
  return p;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/**
 * Compiles, runs the compiled tasks in one copy of the project and `pipewright run` in another,
 * and compares every out of every instance.
 */
async function itRuns(make: () => TestProject, target: Target, compileArgs: string[] = [], runArgs: string[] = [], sameAfter: SameAfter = {}): Promise<TestProject> {
  const cluster = make();
  const local = make();
  const { documents } = await compile(cluster, target, ...compileArgs);
  check(target, documents);
  const containers = target === 'kfp' ? kfpContainers(documents) : argoContainers(documents[0]!);
  await runContainers(containers, { mountPath: MOUNT, dir: cluster.dir });
  const ran = await local.run('run', '-j', '2', ...runArgs);
  assert.equal(ran.code, 0, ran.stdout + ran.stderr);
  const instances = await listing(local, ...runArgs);
  assert.equal(containers.length, instances.length, 'one container per instance');
  assert.deepEqual(Object.keys(yamlDocuments(cluster.read('pipewright.lock'))[0]!.stages).sort(), instances.map((i) => i.name).sort());
  // Compiled again and run again, every task is up to date: pipewright's cache decides, not KFP's.
  const again = await runContainers(containers, { mountPath: MOUNT, dir: cluster.dir });
  for (const r of again) assert.match(r.stderr, /: up to date\n/, `${target}: ${r.task} again`);
  assertSameAsRun(target, instances, () => cluster, local, sameAfter);
  return cluster;
}

describe('pipewright compile', () => {
  for (const target of TARGETS) {
    it(`${target}: a pipewright.yaml pipeline compiles to valid YAML with its graph, params, image and volume`, async () => {
      const p = copyOf('yaml-wordcount', ['yaml']);
      const { documents, text } = await compile(p, target);
      check(target, documents);
      assert.deepEqual(graphProblems(compiledTasks(target, documents), await listing(p)), []);
      assert.match(text, /registry\.example\.com\/pw:1/);
      if (target === 'kfp') {
        const spec = documents[0]!;
        // params.yaml keys read by two stages with one value are one parameter, as one edit changes both.
        assert.deepEqual(spec.root.inputDefinitions.parameters, {
          texts_count: { defaultValue: 6, isOptional: true, parameterType: 'NUMBER_INTEGER' },
          count_min_length: { defaultValue: 3, isOptional: true, parameterType: 'NUMBER_INTEGER' },
        });
        // count_short and count_long differ only by their instance: one component and executor, which take it as an input.
        for (const [task, instance] of [['count-short', 'count_short'], ['count-long', 'count_long']] as const) {
          assert.equal(spec.root.dag.tasks[task].componentRef.name, 'comp-count-short');
          assert.deepEqual(spec.root.dag.tasks[task].inputs.parameters, { count_min_length: { componentInputParameter: 'count_min_length' }, instance: { runtimeValue: { constant: instance } } });
        }
        assert.equal(spec.components['comp-count-long'], undefined);
        assert.deepEqual(spec.deploymentSpec.executors['exec-count-short'].container,
          { args: ['exec', '--cached', "{{$.inputs.parameters['instance']}}", '-C', MOUNT, '-S', "count.min_length={{$.inputs.parameters['count_min_length']}}"], command: ['pipewright'], image: 'registry.example.com/pw:1' });
        for (const task of Object.values<Json>(spec.root.dag.tasks)) assert.deepEqual(task.cachingOptions, {}, 'KFP caching is off');
        assert.deepEqual(documents[1]!.platforms.kubernetes.deploymentSpec.executors['exec-merge'],
          { pvcMount: [{ constant: 'ws', mountPath: MOUNT, pvcNameParameter: { runtimeValue: { constant: 'ws' } } }] });
      } else {
        const spec = documents[0]!.spec;
        assert.deepEqual(spec.arguments.parameters, [{ name: 'texts_count', value: '6' }, { name: 'count_min_length', value: '3' }]);
        assert.deepEqual(spec.volumes, [{ name: 'workspace', persistentVolumeClaim: { claimName: 'ws' } }]);
        const merge = spec.templates.find((t: Json) => t.name === 'merge');
        assert.deepEqual(merge.container.volumeMounts, [{ name: 'workspace', mountPath: MOUNT }]);
      }
    });

    it(`${target}: the spam pipeline (TS) compiles, keeps its graph, and runs to the same outs as \`pipewright run\``, async () => {
      const limit = ['-S', 'prepare.limit=300', '-S', 'train.epochs=2'];
      const cluster = await itRuns(() => copyOf('spam', ['@stdlib']), target, limit, limit);
      assert.deepEqual(graphProblems(compiledTasks(target, (await compile(cluster, target)).documents), await listing(cluster)), []);
      assert.ok(JSON.parse(cluster.read('metrics.json')).examples > 0);
    });

    it(`${target}: pipewright.yaml command stages run to the same outs`, async () => {
      await itRuns(() => copyOf('yaml-wordcount', ['yaml']), target);
    });

    it(`${target}: a sweep is one looping task over its instances, collected after; it runs to the same outs`, async () => {
      // The collector's table says how each instance got there: `ran` in a run, `skipped` (found on
      // disk) for tasks that ran before it in other containers. Everything else is the same.
      const cluster = await itRuns(() => project(SWEEP_PROJECT), target, ['-j', '3'], [], { 'results/train.csv': exceptStatus });
      const { documents } = await compile(cluster, target, '-j', '3');
      const tasks = compiledTasks(target, documents);
      assert.deepEqual([...tasks.keys()], ['prepare', 'train', 'results']);
      assert.deepEqual(tasks.get('train')!.instances, ['train@lr=0.1,depth=2', 'train@lr=0.1,depth=4', 'train@lr=0.01,depth=2', 'train@lr=0.01,depth=4']);
      assert.deepEqual(tasks.get('results')!.dependsOn, ['train']);
      if (target === 'kfp') {
        const loop = documents[0]!.root.dag.tasks.train;
        assert.deepEqual(loop.iteratorPolicy, { parallelismLimit: 3 }, 'KFP #8718: -j limits the ParallelFor');
        assert.equal(loop.parameterIterator.itemInput, 'pipelinechannel--train-loop-item');
        assert.equal(loop.componentRef.name, 'comp-for-loop-train');
      } else {
        assert.equal(documents[0]!.spec.parallelism, 3);
      }
      assert.equal(cluster.read('results/train.csv').trim().split('\n').length, 5, 'the collector saw the four instances');
    });

    it(`${target}: param values with quotes, $, {{ and newlines reach the stage unchanged`, async () => {
      const tricky = 'it\'s "q" $HOME $(id) `id` {{workflow.parameters.size}} {{$.inputs.parameters[\'size\']}}\nline two\\n';
      const p = project({
        'pipewright.yaml': `
stages:
  echo:
    cmd: node -e "require('fs').writeFileSync('out.txt', process.argv[1])" \${params.msg}
    params: [msg, size]
    outs: [out.txt]
`,
        'params.yaml': 'msg: plain\nsize: 3\n',
      });
      const { documents } = await compile(p, target);
      check(target, documents);
      const containers = target === 'kfp' ? kfpContainers(documents, { msg: tricky }) : argoContainers(documents[0]!, { msg: tricky });
      assert.ok(containers[0]!.args.includes(`msg=${tricky}`), 'one argument, the value inside it as given');
      await runContainers(containers, { mountPath: MOUNT, dir: p.dir });
      assert.equal(p.read('out.txt'), tricky);
    });
  }

  it('a dep that no stage makes and that is not here is named, once, with the stages that read it (exit 0)', async () => {
    const p = project({
      'pipewright.yaml': 'stages:\n  a:\n    cmd: cat raw.csv > a.txt\n    deps: [raw.csv]\n    outs: [a.txt]\n  b:\n    cmd: cat raw.csv a.txt > b.txt\n    deps: [raw.csv, a.txt]\n    outs: [b.txt]\n',
    });
    const r = await p.run('compile', '-t', 'argo', '-o', 'wf.yaml', '--image', 'i:1');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr.match(/warning: dep raw\.csv \(of stages "a", "b"\) is neither made by a stage nor here: its task fails on the cluster unless the volume holds it/g)?.length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /dep a\.txt/, 'a dep a stage makes is not named');
    p.write({ 'raw.csv': 'x\n' });
    assert.doesNotMatch((await p.run('compile', '-t', 'argo', '-o', 'wf.yaml', '--image', 'i:1')).stderr, /warning/);
  });

  it('many missing deps: the first 10 named, then how many more', async () => {
    const deps = Array.from({ length: 13 }, (_, i) => `in-${String(i).padStart(2, '0')}.csv`);
    const p = project({ 'pipewright.yaml': `stages:\n  a:\n    cmd: cat ${deps.join(' ')} > a.txt\n    deps: [${deps.join(', ')}]\n    outs: [a.txt]\n` });
    const r = await p.run('compile', '-t', 'kfp', '-o', 'wf.yaml', '--image', 'i:1');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stderr.match(/warning: dep (\S+) /g)?.map((w) => w.slice(13, -1)), deps.slice(0, 10));
    assert.match(r.stderr, /warning: 3 more deps are neither made by a stage nor here \(`pipewright status` lists them all\)/);
  });

  it('resources ask only what is written: gpus alone set no CPU limit, memory alone no other limit', async () => {
    const p = project({
      'pipewright.yaml': 'stages:\n  gpu:\n    cmd: echo g > g.txt\n    outs: [g.txt]\n    resources: { gpus: 1 }\n  mem:\n    cmd: echo m > m.txt\n    outs: [m.txt]\n    resources: { memory: 2Gi }\n',
    });
    const kfp = await p.run('compile', '-t', 'kfp', '-o', '-', '--image', 'i:1');
    const argo = await p.run('compile', '-t', 'argo', '-o', '-', '--image', 'i:1');
    assert.equal(kfp.code, 0, kfp.stderr);
    assert.equal(argo.code, 0, argo.stderr);
    const [spec, platform] = yamlDocuments(kfp.stdout) as [Json, Json];
    check('kfp', [spec, platform]);
    assert.deepEqual(spec.deploymentSpec.executors['exec-gpu'].container.resources, { accelerator: { resourceCount: '1', resourceType: 'nvidia.com/gpu' } });
    assert.deepEqual(spec.deploymentSpec.executors['exec-mem'].container.resources, { resourceMemoryLimit: '2Gi' });
    const [workflow] = yamlDocuments(argo.stdout) as [Json];
    check('argo', [workflow]);
    const limits = (name: string) => workflow.spec.templates.find((t: Json) => t.name === name).container.resources;
    assert.deepEqual(limits('gpu'), { limits: { 'nvidia.com/gpu': '1' } });
    assert.deepEqual(limits('mem'), { limits: { memory: '2Gi' } });
  });

  it('retries, timeouts, resources and secrets become retryPolicy/retryStrategy, deadlines, limits and secret refs; no secret value is written', async () => {
    const SECRET = 'sk-live-do-not-print-4242';
    const p = project({
      'pipewright.yaml': `
stages:
  fetch:
    cmd: node -e "require('fs').writeFileSync('key-length.txt', String((process.env.NGC_KEY || '').length))"
    outs: [key-length.txt]
    secrets: { NGC_KEY: ngc/key }
    retry: { limit: 3, backoff: 10s, factor: 3 }
    timeout: 30m
    resources: { cpus: 2, memory: 8Gi, gpus: 1 }
`,
    });
    const env = { NGC_KEY: SECRET };
    const kfp = await p.runWithEnv(env, 'compile', '-t', 'kfp', '-o', '-', '--image', 'i:1', '--volume', `ws:${MOUNT}`);
    const argo = await p.runWithEnv(env, 'compile', '-t', 'argo', '-o', '-', '--image', 'i:1', '--volume', `ws:${MOUNT}`);
    for (const r of [kfp, argo]) {
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!r.stdout.includes(SECRET) && !r.stderr.includes(SECRET), 'the secret\'s value is not in the output');
    }
    const [spec, platform] = yamlDocuments(kfp.stdout) as [Json, Json];
    check('kfp', [spec, platform]);
    assert.deepEqual(spec.root.dag.tasks.fetch.retryPolicy, { backoffDuration: '10s', backoffFactor: 3, backoffMaxDuration: '3600s', maxRetryCount: 3 });
    assert.deepEqual(spec.deploymentSpec.executors['exec-fetch'].container.resources,
      { resourceCpuLimit: '2', resourceMemoryLimit: '8Gi', accelerator: { resourceCount: '1', resourceType: 'nvidia.com/gpu' } });
    const k8s = platform.platforms.kubernetes.deploymentSpec.executors['exec-fetch'];
    assert.deepEqual(k8s.secretAsEnv, [{ keyToEnv: [{ envVar: 'NGC_KEY', secretKey: 'key' }], secretName: 'ngc', secretNameParameter: { runtimeValue: { constant: 'ngc' } } }]);
    assert.equal(k8s.activeDeadlineSeconds, '1800');
    const [workflow] = yamlDocuments(argo.stdout) as [Json];
    check('argo', [workflow]);
    const template = workflow.spec.templates.find((t: Json) => t.name === 'fetch');
    assert.deepEqual(template.retryStrategy, { limit: '3', backoff: { duration: '10s', factor: '3' } });
    assert.equal(template.activeDeadlineSeconds, '1800');
    assert.deepEqual(template.container.resources, { limits: { cpu: '2', memory: '8Gi', 'nvidia.com/gpu': '1' } });
    assert.deepEqual(template.container.env, [{ name: 'NGC_KEY', valueFrom: { secretKeyRef: { name: 'ngc', key: 'key' } } }]);

    // Run from the YAML with the cluster's secret: the stage sees it, nothing written holds it.
    for (const [target, docs] of [['kfp', [spec, platform]], ['argo', [workflow]]] as const) {
      const containers = target === 'kfp' ? kfpContainers(docs) : argoContainers(docs[0]!);
      const outputs = await runContainers(containers, { mountPath: MOUNT, dir: p.dir, secrets: { 'ngc/key': SECRET } });
      assert.equal(p.read('key-length.txt'), String(SECRET.length), `${target}: the stage read the secret from its env var`);
      assert.ok(!outputs.some((o) => o.stdout.includes(SECRET) || o.stderr.includes(SECRET)));
    }
    // And locally: `pipewright run` with the secret in the environment, recorded in the run store.
    const local = await p.runWithEnv(env, 'run', '--force', '--gpus', '1');
    assert.equal(local.code, 0, local.stdout + local.stderr);
    assert.ok(!local.stdout.includes(SECRET) && !local.stderr.includes(SECRET));
    assert.ok(p.exists('.pipewright/runs.db'), 'the run was recorded');
    const written = walk(p.dir).filter((f) => !f.includes('node_modules'));
    assert.ok(written.some((f) => f.endsWith('pipewright.lock')), 'the lockfile is among the files searched');
    for (const file of written) assert.ok(!readFileSync(file).includes(SECRET), `${relative(p.dir, file)} does not hold the secret`);
  });

  it('names are DNS-1123 labels, unique after shortening; an Argo template is never called main by a stage', async () => {
    const long = 'Featurize_' + 'x'.repeat(80);
    const p = project({
      'pipewright.ts': `
import { pipeline, stage } from 'pipewright';
import { writeFile } from 'node:fs/promises';
const mk = (name: string, out: string) => stage(name, { outs: { o: out }, run: async ({ outs }) => { await writeFile(outs.o, name); } });
export default pipeline('My Pipeline!', [mk('main', 'a.txt'), mk('${long}A', 'b.txt'), mk('${long}B', 'c.txt'), mk('Train@Big', 'd.txt'), mk('train-big', 'e.txt')]);
`,
    });
    for (const target of TARGETS) {
      const { documents } = await compile(p, target);
      check(target, documents);
      const names = [...compiledTasks(target, documents).keys()];
      assert.equal(new Set(names).size, 5);
      for (const n of names) assert.match(n, /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, n);
      assert.ok(!names.includes('main'), 'main is the entry template');
      assert.deepEqual(graphProblems(compiledTasks(target, documents), await listing(p)), []);
      if (target === 'kfp') assert.equal(documents[0]!.pipelineInfo.name, 'my-pipeline');
      else assert.equal(documents[0]!.metadata.generateName, 'my-pipeline-');
    }
  });

  it('--tar writes NAME.yaml.tar.gz holding the YAML; -o FILE and the default name write files', async () => {
    const p = copyOf('yaml-wordcount', ['yaml']);
    const tar = await p.run('compile', '-t', 'kfp', '--tar', '-o', 'wc.yaml', '--image', 'i:1');
    assert.equal(tar.code, 0, tar.stderr);
    assert.match(tar.stderr, /wrote wc\.yaml\.tar\.gz: 4 tasks \(4 instances\), 2 parameters/);
    const archive = gunzipSync(readFileSync(p.path('wc.yaml.tar.gz')));
    assert.equal(archive.subarray(0, 7).toString(), 'wc.yaml');
    assert.equal(archive.subarray(257, 262).toString(), 'ustar');
    const size = parseInt(archive.subarray(124, 135).toString(), 8);
    const yaml = archive.subarray(512, 512 + size).toString();
    check('kfp', yamlDocuments(yaml));
    // The header's checksum is right: tar, which checks it, lists the file.
    assert.equal(execFileSync('tar', ['-tzf', p.path('wc.yaml.tar.gz')], { encoding: 'utf8' }), 'wc.yaml\n');
    const plain = await p.run('compile', '-t', 'argo', '--image', 'i:1');
    assert.equal(plain.code, 0, plain.stderr);
    const [, file] = /^wrote (\S+\.argo\.yaml):/m.exec(plain.stderr) ?? [];
    assert.ok(file, plain.stderr);
    check('argo', yamlDocuments(p.read(file)));
  });

  it('--tar with -o NAME.tar.gz or NAME.tgz writes exactly that file (never NAME.tar.gz.tar.gz), the YAML inside named without the ending', async () => {
    const p = copyOf('yaml-wordcount', ['yaml']);
    for (const [out, member] of [['wf.yaml.tar.gz', 'wf.yaml'], ['wf.yaml.tgz', 'wf.yaml'], ['flow.tgz', 'flow.yaml'], ['out/WF.YAML.TAR.GZ', 'WF.YAML']] as const) {
      if (out.includes('/')) mkdirSync(p.path('out'), { recursive: true });
      const r = await p.run('compile', '-t', 'kfp', '--tar', '-o', out, '--image', 'i:1');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`wrote ${out.replaceAll('.', '\\.')}: 4 tasks`));
      assert.equal(existsSync(p.path(`${out}.tar.gz`)), false, `${out}: nothing appended`);
      const archive = gunzipSync(readFileSync(p.path(out)));
      assert.equal(archive.subarray(0, 100).toString().replace(/\0+$/, ''), member);
      const size = parseInt(archive.subarray(124, 135).toString(), 8);
      check('kfp', yamlDocuments(archive.subarray(512, 512 + size).toString()));
      assert.equal(execFileSync('tar', ['-tzf', p.path(out)], { encoding: 'utf8' }), `${member}\n`);
    }
  });

  it('what cannot be compiled is a clear error, exit 2', async () => {
    const generated = project({
      'pipewright.ts': `
import { pipeline, stage } from 'pipewright';
import { z } from 'zod';
const s = stage('search', {
  params: z.object({ lr: z.number().default(0.1) }),
  sweep: { space: { lr: { kind: 'choice', options: [0.1, 0.2] } }, generate: async function* () { yield { lr: 0.1 }; } },
  outs: { o: 'o-\${params.lr}.txt' },
  run: async () => {},
});
export default pipeline('p', [s]);
`,
    });
    const r = await generated.run('compile', '-t', 'kfp', '-o', '-');
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /custom generator/);
    assert.match(r.stderr, /grid or a list of points/);
    const p = copyOf('yaml-wordcount', ['yaml']);
    const volume = await p.run('compile', '-t', 'argo', '--volume', 'Bad_Name', '-o', '-');
    assert.equal(volume.code, 2);
    assert.match(volume.stderr, /--volume Bad_Name: expected PVC:MOUNT/);
    const target = await p.run('compile', '-t', 'airflow');
    assert.equal(target.code, 2);
    assert.match(target.stderr, /Allowed choices are kfp, argo/);
  });

  it('examples/tao-classification: the TAO workflow compiles for both targets with its GPUs, params, volume and NGC secret', async () => {
    const p = copyOf('tao-classification');
    for (const target of TARGETS) {
      const result = await p.run('compile', '-t', target, '-o', '-', '--image', 'nvcr.example/tao-pw:1', '--volume', 'tao-workspace:/mnt/workspace');
      assert.equal(result.code, 0, result.stderr);
      const documents = yamlDocuments(result.stdout);
      check(target, documents);
      const tasks = compiledTasks(target, documents);
      assert.deepEqual(graphProblems(tasks, await listing(p)), []);
      assert.deepEqual([...tasks.keys()], ['download-model', 'train', 'evaluate', 'prune', 'retrain', 'evaluate-retrained', 'inference']);
      assert.deepEqual(tasks.get('evaluate')!.dependsOn, ['train'], 'evaluate and prune run in parallel');
      assert.deepEqual(tasks.get('prune')!.dependsOn, ['train']);
      assert.match(result.stdout, /nvidia\.com\/gpu/);
      assert.match(result.stdout, /ngc/);
      assert.match(result.stdout, /train_gpus/);
      assert.match(result.stdout, /model_name/);
    }
  });
});
