/**
 * A real-valued param whose default is whole (`lr: 1.0` in params.yaml, `z.number().default(1)` in a TS
 * stage) is a NUMBER_DOUBLE parameter of the compiled Kubeflow pipeline, so that its run form takes 0.5;
 * whole numbers written as such, and `.int()` params, stay NUMBER_INTEGER.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { useProjects } from '../helpers/project.js';
import { compile } from './compiled.js';

const project = useProjects();

const types = (documents: Record<string, any>[]) => Object.fromEntries(Object.entries(documents[0]!.root.inputDefinitions.parameters as Record<string, { parameterType: string; defaultValue: unknown }>)
  .map(([name, p]) => [name, [p.parameterType, p.defaultValue]]));

describe('compiled parameter types', () => {
  it('params.yaml: 1.0 and 2e3 are reals, 10 an integer, 0.5 a real, in a pipewright.yaml and a dvc.yaml', async () => {
    const params = 'train:\n  lr: 1.0\n  epochs: 10\n  scale: 2e3\n  dropout: 0.5\n';
    const stage = 'cmd: echo ${train.lr} ${train.epochs} ${train.scale} ${train.dropout} > out.txt\n    params: [train.lr, train.epochs, train.scale, train.dropout]\n    outs: [out.txt]\n';
    for (const file of ['pipewright.yaml', 'dvc.yaml']) {
      const p = project({ 'params.yaml': params, [file]: `stages:\n  fit:\n    ${stage.replace(/\$\{/g, file === 'dvc.yaml' ? '${' : '${params.')}` });
      const { documents } = await compile(p, 'kfp');
      assert.deepEqual(types(documents), {
        train_lr: ['NUMBER_DOUBLE', 1], train_epochs: ['NUMBER_INTEGER', 10], train_scale: ['NUMBER_DOUBLE', 2000], train_dropout: ['NUMBER_DOUBLE', 0.5],
      }, file);
    }
  });

  it('a TS stage: z.number() is a real even with a whole default, .int() an integer', async () => {
    const p = project({
      'pipewright.ts': `import { z } from 'zod';
import { pipeline, stage } from 'pipewright';
export default pipeline('typed', [stage('fit', {
  params: z.object({ lr: z.number().default(1), epochs: z.number().int().default(3), name: z.string().default('m') }),
  outs: { out: 'out.txt' },
  run: async ({ params, outs }) => { const { writeFile } = await import('node:fs/promises'); await writeFile(outs.out, JSON.stringify(params)); },
})]);
`,
    });
    const { documents } = await compile(p, 'kfp');
    assert.deepEqual(types(documents), { fit_lr: ['NUMBER_DOUBLE', 1], fit_epochs: ['NUMBER_INTEGER', 3], fit_name: ['STRING', 'm'] });
  });
});
