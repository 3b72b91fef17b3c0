/**
 * What the fuzz test (fuzz.test.ts) found, one test each, through the real CLI: a pipeline file
 * that used to end in a TypeError and a stack trace (or worse, loaded wrongly) now ends in exit 2
 * with the file, the line and what to change.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { useProjects, type CliResult } from '../helpers/project.js';

const project = useProjects();

/** `list --json` and `status` both refuse the files with exit 2, a message matching `message`, and no stack. */
async function refused(files: Record<string, string>, message: RegExp): Promise<void> {
  const p = project(files);
  for (const args of [['list', '--json'], ['status']]) {
    const result = await p.run(...args);
    assert.equal(result.code, 2, `${args.join(' ')}: exit ${result.code}\n${result.stdout}${result.stderr}`);
    assert.match(result.stderr, message, args.join(' '));
    assertNoStack(result);
  }
}

function assertNoStack(result: CliResult): void {
  assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
}

describe('inputs the fuzz test found', () => {
  it('a dvc.yaml stage written as the command alone is refused at its line, with the fix', async () => {
    await refused({ 'dvc.yaml': 'stages:\n  a: echo hi\n' },
      /dvc\.yaml:2:6: stage "a" must be a mapping of stage keys \(cmd, deps, outs, \.\.\.\), not text[\s\S]*hint: write the command under `cmd:`/);
    await refused({ 'dvc.yaml': 'stages:\n  a:\n  b:\n    cmd: echo\n' }, /dvc\.yaml:2:3: stage "a" is empty/);
    await refused({ 'dvc.yaml': 'stages:\n  a: [echo hi]\n' }, /dvc\.yaml:2:6: stage "a" must be a mapping .* not a list/);
    await refused({ 'dvc.yaml': 'stages:\n  a: 3\n' }, /dvc\.yaml:2:6: stage "a" must be a mapping .* not a number/);
  });

  it("a top-level plot whose y is a number is refused at its line (was: TypeError: v is not iterable)", async () => {
    await refused({ 'dvc.yaml': 'stages:\n  a:\n    cmd: echo\nplots:\n  - p.json:\n      y: 0\n' },
      /dvc\.yaml:6:10: plot "p\.json": y must be a field name, a list of them, or a mapping of files to them/);
    await refused({ 'pipewright.yaml': 'stages:\n  a:\n    cmd: echo\nplots:\n  - ROC:\n      x: fpr\n      y: {a.json: [1]}\n' },
      /pipewright\.yaml:7:10: plot "ROC": y must be/);
    await refused({ 'dvc.yaml': 'stages:\n  a:\n    cmd: echo\nplots:\n  - p.json: [x]\n' }, /dvc\.yaml:5:13: plot "p\.json": its properties must be a mapping/);
  });

  it('top-level metrics and params of dvc.yaml must be paths (a number was dropped without a word)', async () => {
    await refused({ 'dvc.yaml': 'stages:\n  a:\n    cmd: echo\nmetrics:\n  - m.json\n  - 3\n' }, /dvc\.yaml:6:5: `metrics`\[1\] must be a file path/);
    await refused({ 'dvc.yaml': 'stages:\n  a:\n    cmd: echo\nparams: [{a: 1}]\n' }, /dvc\.yaml:4:10: `params`\[0\] must be a file path/);
  });

  it('a cycle is reported at the dep that closes it (was: no file at all)', async () => {
    await refused({
      'pipewright.yaml': 'stages:\n  a:\n    cmd: cat c.txt > a.txt\n    deps: [c.txt]\n    outs: [a.txt]\n  b:\n    cmd: cat a.txt > c.txt\n    deps:\n      - a.txt\n    outs: [c.txt]\n',
    }, /pipewright\.yaml:9:9: the pipeline has a cycle: a -> b -> a[\s\S]*here "b" reads what "a" writes/);
  });

  it('a param named after an Object method is looked up in the file, not found on every object', async () => {
    // Missing from the file, it blocks its stage (as DVC reports a missing param when the stage runs).
    const p = project({ 'dvc.yaml': 'stages:\n  a:\n    cmd: echo\n    params: [constructor]\n', 'params.yaml': 'x: 1\n' });
    const status = await p.run('status');
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /a +blocked: param constructor missing from params\.yaml/);
  });

  it('a param under __proto__ is a param like any other, and reaches no other object', async () => {
    const p = project({
      'dvc.yaml': 'stages:\n  a:\n    cmd: echo ${__proto__.polluted}\n    params: [__proto__.polluted]\n',
      'params.yaml': '__proto__:\n  polluted: yes\n',
    });
    const result = await p.run('list', '--json');
    assert.equal(result.code, 0, result.stderr);
    const [listing] = JSON.parse(result.stdout) as { cmd: string; params: Record<string, unknown> }[];
    assert.deepEqual(Object.entries(listing!.params), [['__proto__', { polluted: 'yes' }]]);
    assert.equal(listing!.cmd, 'echo yes');
    // And set with -S, as any other param is.
    const overridden = await p.run('list', '--json', '-S', 'a.__proto__.polluted=no');
    assert.equal(overridden.code, 0, overridden.stderr);
    assert.deepEqual((JSON.parse(overridden.stdout) as { params: unknown }[])[0]!.params, { ['__proto__']: { polluted: 'no' } });
    // In-process, the loader leaves Object.prototype as it was.
    const { setPath, lookupPath } = await import('../../src/define/interpolate.js');
    const params: Record<string, unknown> = {};
    setPath(params, '__proto__.polluted', 'yes');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(lookupPath(params, '__proto__.polluted'), { found: true, value: 'yes' });
    assert.deepEqual(lookupPath({}, 'constructor'), { found: false });
  });

  it('stages named "constructor", "toString" and "__proto__" are judged, run and recorded like any other', async () => {
    const p = project({ 'dvc.yaml': 'stages:\n  constructor:\n    cmd: echo a > a.txt\n    outs: [a.txt]\n  toString:\n    cmd: echo b > b.txt\n    outs: [b.txt]\n  __proto__:\n    cmd: echo c > c.txt\n    outs: [c.txt]\n' });
    const result = await p.run('status', '--json');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual((JSON.parse(result.stdout) as { state: string }[]).map((s) => s.state), ['will-run', 'will-run', 'will-run']);
    const run = await p.run('run');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match((await p.run('run')).stdout, /0 ran, 3 up to date/);
  });
});
