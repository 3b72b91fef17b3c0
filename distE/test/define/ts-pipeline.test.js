import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { useProjects } from '../helpers/project.js';
const project = useProjects();
const pipelineTs = `
import { writeFileSync } from 'node:fs';
import { pipeline, stage } from 'pipewright';
import { z } from 'zod';
import { describe as label } from './helper.ts';

export const train = stage('train', {
  params: z.object({ lr: z.number().positive().default(0.1), layers: z.array(z.number()).default([4]), name: z.string().default('base') }),
  outs: { model: 'model.txt' },
  metrics: 'metrics.json',
  run: ({ params, outs, log }) => {
    log('training', params.name);
    writeFileSync(outs.model, label(params));
    return { loss: params.lr * 2, layers: params.layers.length };
  },
});
export const report = stage('report', {
  params: z.object({ title: z.string().default('Report') }),
  inputs: { model: train.outs.model },
  outs: { text: 'report.txt' },
  cmd: 'cat model.txt > report.txt && echo \${params.title} >> report.txt',
});
export default pipeline('typed', [train, report]);
`;
const helperTs = `export const describe = (p: { lr: number; layers: number[]; name: string }) => \`lr=\${p.lr} layers=\${p.layers.join('x')} name=\${p.name}\`;\n`;
describe('TypeScript pipelines', () => {
    it('run with typed params and defaults, local imports, returned metrics and a cmd stage', async () => {
        const p = project({ 'pipewright.ts': pipelineTs, 'helper.ts': helperTs });
        const result = await p.run('run');
        assert.equal(result.code, 0, result.stdout + result.stderr);
        assert.equal(p.read('model.txt'), 'lr=0.1 layers=4 name=base');
        assert.equal(p.read('report.txt'), 'lr=0.1 layers=4 name=baseReport\n');
        assert.deepEqual(JSON.parse(p.read('metrics.json')), { loss: 0.2, layers: 1 });
        assert.match(result.stdout, /Metrics\n {2}train: loss=0\.2 layers=1\n/);
        assert.equal(p.read('.pipewright/logs/train.log'), 'training base\n');
    });
    it('-S overrides are parsed as YAML values and validated by the schema', async () => {
        const p = project({ 'pipewright.ts': pipelineTs, 'helper.ts': helperTs });
        let result = await p.run('run', '-S', 'train.lr=0.5', '-S', 'train.layers=[8, 2]', '-S', 'train.name=a b', '-S', 'report.title=$(id)');
        assert.equal(result.code, 0, result.stdout + result.stderr);
        assert.equal(p.read('report.txt'), 'lr=0.5 layers=8x2 name=a b$(id)\n');
        result = await p.run('run', '-S', 'train.lr=-1');
        assert.equal(result.code, 2);
        assert.match(result.stderr, /stage "train": param "lr" Too small: expected number to be >0[\s\S]*fix the value given with -S train\.lr=/);
        result = await p.run('run', '-S', 'train.lr=fast');
        assert.equal(result.code, 2);
        assert.match(result.stderr, /param "lr" Invalid input: expected number, received string/);
        result = await p.run('run', '-S', 'train.momentum=1');
        assert.equal(result.code, 2);
        assert.match(result.stderr, /stage "train" has no param "momentum"[\s\S]*its params are: lr, layers, name/);
    });
    it('runs a TS stage inline and in a child process as well as on a thread', async () => {
        for (const executor of ['inline', 'processes', 'threads']) {
            const p = project({
                'pipewright.ts': `
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { pipeline, stage } from 'pipewright';
const where = stage('where', { executor: '${executor}', outs: { out: 'where.txt' }, run: ({ outs }) => {
  console.log('printed by the stage');
  writeFileSync(outs.out, JSON.stringify({ pid: process.pid, main: isMainThread, cwd: process.cwd() }));
} });
export default pipeline('w', [where]);
`,
            });
            const run = p.start(['run']);
            const result = await run.done;
            assert.equal(result.code, 0, result.stdout + result.stderr);
            const seen = JSON.parse(p.read('where.txt'));
            assert.equal(seen.main, executor !== 'threads', executor);
            assert.equal(seen.pid === run.child.pid, executor !== 'processes', executor);
            if (executor !== 'inline') {
                assert.equal(p.read('.pipewright/logs/where.log'), 'printed by the stage\n');
                assert.doesNotMatch(result.stdout, /printed by the stage/);
            }
        }
    });
    it('reports a pipeline file that does not compile or exports no pipeline', async () => {
        let result = await project({ 'pipewright.ts': 'export const x: number = ;\n' }).run('list');
        assert.equal(result.code, 2);
        assert.match(result.stderr, /error: pipewright\.ts: cannot load pipewright\.ts/);
        result = await project({ 'pipewright.ts': 'export const x = 1;\n' }).run('list');
        assert.equal(result.code, 2);
        assert.match(result.stderr, /pipewright\.ts exports no pipeline[\s\S]*export default pipeline/);
    });
});
//# sourceMappingURL=ts-pipeline.test.js.map