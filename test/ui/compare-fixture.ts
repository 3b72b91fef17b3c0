/**
 * A project for the compare page: `evaluate` (a param, metrics and a plot file, differing between
 * the two runs) and `fit`, a sweep of 16 instances whose score depends strongly on b, weakly on a.
 */
import type { TestProject } from '../helpers/project.js';
import { FILES } from './helpers.js';

export const COMPARE_FILES = {
  'params.yaml': 'evaluate:\n  lr: 0.1\na: 0\nb: 0\n',
  // The runs table's evaluate stage (helpers.ts), with a loss curve as its plot.
  'evaluate.cjs': `${FILES['evaluate.cjs']}
require('fs').writeFileSync('curve.json', JSON.stringify([0, 1, 2, 3].map((step) => ({ step, loss: 1 / (1 + lr * 10 * step) }))));`,
  'score.cjs': `const [a, b, out] = process.argv.slice(2);
require('fs').mkdirSync(out, { recursive: true });
require('fs').writeFileSync(out + '/m.json', JSON.stringify({ score: 10 * Number(b) + Number(a), size: 3 }));`,
  'pipewright.yaml': `${FILES['pipewright.yaml']}    plots:
      - curve.json: {x: step, y: loss, title: Loss by step}
  fit:
    cmd: node score.cjs \${params.a} \${params.b} out/\${params.a}-\${params.b}
    params: [a, b]
    deps: [score.cjs]
    sweep:
      samples: 16
      seed: 3
      space:
        a: {uniform: [0, 1]}
        b: {uniform: [0, 1]}
    outs:
      - out/\${params.a}-\${params.b}
    metrics:
      - out/\${params.a}-\${params.b}/m.json
`,
};

/** Run #1 at lr 0.1, run #2 at lr 0.3 (the sweep cached from the first). */
export async function recordCompareRuns(p: TestProject): Promise<void> {
  for (const [lr, name] of [['0.1', 'first'], ['0.3', 'second']] as const) {
    p.write({ 'params.yaml': `evaluate:\n  lr: ${lr}\na: 0\nb: 0\n` });
    const result = await p.run('run', '-j', '2', '--name', name);
    if (result.code !== 0) throw new Error(`run failed: ${result.stdout}${result.stderr}`);
  }
}
