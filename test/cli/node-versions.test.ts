/**
 * The CLI on whichever Node runs the tests (`npm test` runs them on the machine's Node, then on
 * Node 24: scripts/test.mjs): a start says nothing on stderr, and the V8 flag the entry sets only
 * where V8 has it (src/cli/v8-flags.ts) agrees with this Node's own list of flags.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { hasInterruptBudgetFlag } from '../../src/cli/v8-flags.js';
import { useProjects } from '../helpers/project.js';

const project = useProjects();

describe(`the CLI on Node ${process.version}`, () => {
  it('--version and --help answer with nothing on stderr', async () => {
    const p = project();
    for (const args of [['--version'], ['--help'], ['run', '--help']]) {
      const r = await p.run(...args);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.ok(r.stdout.length > 0, `${args.join(' ')} answers on stdout`);
      assert.equal(r.stderr, '', `${args.join(' ')} says nothing on stderr`);
    }
  });

  it("sets --interrupt-budget exactly where this Node's V8 has it", () => {
    const listed = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
    assert.equal(listed.status, 0, listed.stderr);
    const has = /^\s+--interrupt-budget \(/m.test(listed.stdout);
    assert.equal(hasInterruptBudgetFlag(process.versions.v8), has, `V8 ${process.versions.v8} ${has ? 'has' : 'has no'} --interrupt-budget`);
  });

  it('the version rule: V8 11.3 (Node 20) has the flag; 11.8, 12.4, 12.9 and 13.6 (Node 21 to 24) do not', () => {
    assert.equal(hasInterruptBudgetFlag('11.3.244.8-node.38'), true);
    assert.equal(hasInterruptBudgetFlag('10.2.154.26-node.36'), true);
    for (const v of ['11.8.172.17-node.20', '12.4.254.21-node.57', '12.9.202.28-node.14', '13.6.233.17-node.63', '14.1.0']) {
      assert.equal(hasInterruptBudgetFlag(v), false, v);
    }
  });
});
