/**
 * Every numeric option refuses a value that is not a number in its range, and every `-o DIR`
 * refuses a folder it cannot write to: exit 2, the option and the value named, no stack trace.
 */
import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';
import { useProjects, type CliResult, type TestProject } from '../helpers/project.js';

const project = useProjects();

function assertUsage(result: CliResult, message: RegExp, what: string): void {
  assert.equal(result.code, 2, `${what}: exit ${result.code}\n${result.stdout}${result.stderr}`);
  assert.match(result.stderr, message, what);
  assert.doesNotMatch(result.stderr, /^\s+at /m, `${what}: no stack trace`);
}

/** A sweep of twelve instances with a metric (analyze needs ten), run once: what `analyze` and `plots` read. */
const sweep = {
  'train.cjs': `const [lr, out] = process.argv.slice(2);
require('fs').mkdirSync(require('path').dirname(out), { recursive: true });
require('fs').writeFileSync(out, JSON.stringify({ f1: Number(lr) / 10 }));
require('fs').writeFileSync(out.replace('.json', '.csv'), 'step,loss\\n1,' + lr + '\\n2,' + lr / 2 + '\\n');`,
  'params.yaml': 'lr: 1\ndepth: 1\n',
  'pipewright.yaml': `stages:
  train:
    cmd: node train.cjs \${params.lr} out/m-\${params.lr}-\${params.depth}.json
    deps: [train.cjs]
    params: [lr, depth]
    metrics:
      - out/m-\${params.lr}-\${params.depth}.json
    plots:
      - out/m-\${params.lr}-\${params.depth}.csv
    sweep:
      space:
        lr: {grid: [1, 2, 3, 4]}
        depth: {grid: [1, 2, 3]}
`,
  'a-file': 'not a folder\n',
};

describe('option values', () => {
  let p: TestProject;
  before(async () => {
    p = project(sweep);
    const run = await p.run('run', '-j', '2');
    assert.equal(run.code, 0, run.stdout + run.stderr);
  });

  it('numeric options refuse what is not a whole number in their range', async () => {
    const cases: [string[], RegExp][] = [
      [['analyze', '--stage', 'train', '--metric', 'f1', '--trees'], /option '--trees <n>' argument '.*' is invalid\. expected a whole number from 10 to 10000/],
      [['runs', '-n'], /option '-n, --limit <n>' argument '.*' is invalid\. expected a positive whole number/],
      [['run', '-j'], /option '-j, --jobs <n>' argument '.*' is invalid\. expected a positive whole number/],
      [['queue', 'start', '-j'], /option '-j, --jobs <n>' argument '.*' is invalid\. expected a positive whole number/],
    ];
    for (const [args, message] of cases) {
      for (const bad of ['abc', '0', '-1', '2.5', '1e3x', '']) {
        assertUsage(await p.run(...args, bad), message, `${args.join(' ')} ${JSON.stringify(bad)}`);
      }
    }
    // Out of range at the top too: a billion trees is a typo, not a wish.
    assertUsage(await p.run('analyze', '--stage', 'train', '--metric', 'f1', '--trees', '1000000000'), /from 10 to 10000, got "1000000000"/, '--trees 1e9');
  });

  it('analyze --trees in range is used', async () => {
    const result = await p.run('analyze', '--stage', 'train', '--metric', 'f1', '--trees', '10', '-o', 'plots-out', '--json');
    assert.equal(result.code, 0, result.stderr);
    assert.equal((JSON.parse(result.stdout) as { instances: number }).instances, 12);
  });

  it('-o refuses a file, or a path through one, naming why', async () => {
    const commands = [['analyze', '--stage', 'train', '--metric', 'f1'], ['plots'], ['export', 'dvc']];
    for (const command of commands) {
      assertUsage(await p.run(...command, '-o', 'a-file'), /error: -o a-file: cannot write there: a file of that name is in the way[\s\S]*hint: give -o a folder/, `${command.join(' ')} -o a-file`);
      assertUsage(await p.run(...command, '-o', 'a-file/sub'), /error: -o a-file\/sub: cannot write there: a file is in the way of that path/, `${command.join(' ')} -o a-file/sub`);
    }
  });
});
