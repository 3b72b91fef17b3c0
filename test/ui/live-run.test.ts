/**
 * The run page of a run that is going on: a real `pipewright run` of three chained stages, each
 * held by a gate file the test creates, watched in Chromium. The DAG's nodes change state as the
 * stages start and finish (Server-Sent Events from the run's events), a running stage's log is
 * followed, and a later no-op run shows every stage as a cache hit.
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'node:test';
import { useProjects, type TestProject } from '../helpers/project.js';
import { chromiumUi, consoleProblems, withChromium } from './chromium.js';

const project = useProjects();

/** A stage prints, waits for its gate file (not a dep: it does not change what is cached), then writes its out. */
const FILES = {
  'stage.cjs': `const fs = require('fs');
const [name, gate] = process.argv.slice(2);
console.log(name + ' is waiting for ' + gate);
const timer = setInterval(() => {
  if (!fs.existsSync(gate)) return;
  clearInterval(timer);
  console.log(name + ' passed its gate');
  fs.writeFileSync(name + '.out', name + '\\n');
}, 50);`,
  'pipewright.yaml': `stages:
  prepare:
    cmd: node stage.cjs prepare gate-prepare
    deps: [stage.cjs]
    outs: [prepare.out]
  train:
    cmd: node stage.cjs train gate-train
    deps: [stage.cjs, prepare.out]
    outs: [train.out]
  evaluate:
    cmd: node stage.cjs evaluate gate-evaluate
    deps: [stage.cjs, train.out]
    outs: [evaluate.out]
`,
};

const { it, after } = withChromium;

describe('a live run in the UI (Chromium)', () => {
  let p: TestProject;
  // The UI is up before the first run: it must pick the store up once the run makes it.
  const { ui, browser } = chromiumUi(async () => (p = project(FILES)));
  let run: ReturnType<TestProject['start']> | undefined;
  // A failed check leaves the run waiting at a gate: it must not outlive the test.
  after(() => {
    if (run?.child.exitCode === null) run.child.kill('SIGKILL');
  });

  it('colours the DAG as stages start and finish, follows a running log, and shows cache hits on a no-op', async () => {
    const page = await browser().newPage();
    const problems = consoleProblems(page);
    const gate = (name: string) => writeFileSync(join(p.dir, `gate-${name}`), '');
    const node = (stage: string) => page.locator(`svg.dag g.node[data-stage="${stage}"]`);
    const state = (stage: string, expected: string) => page.locator(`svg.dag g.node[data-stage="${stage}"][data-state="${expected}"]`).waitFor({ timeout: 20_000 });

    // The runs page open before the run starts: the run appears in it, running, without a reload.
    await page.goto(ui().url);
    await page.locator('p.empty', { hasText: 'No runs recorded yet' }).waitFor();
    run = p.start(['run', '--name', 'gated']);
    await page.locator('table.runs tr[data-run="1"].status-running').waitFor({ timeout: 20_000 });
    await page.locator('table.runs tr[data-run="1"] a').first().click();

    // The graph as the run declared it: three nodes, two edges.
    await state('prepare', 'running');
    assert.equal(await page.locator('svg.dag g.node').count(), 3);
    assert.deepEqual(await page.locator('svg.dag path.edge').evaluateAll((edges) => edges.map((e) => `${e.getAttribute('data-from')}->${e.getAttribute('data-to')}`).sort()),
      ['prepare->train', 'train->evaluate']);
    assert.equal(await node('train').getAttribute('data-state'), 'pending');
    assert.equal(await page.locator('#run-status').textContent(), 'running');

    // The running stage: why it runs, and its log followed as it grows.
    await node('prepare').click();
    const row = page.locator('table.instances tr[data-instance="prepare"]');
    await row.locator('td.status', { hasText: 'running' }).waitFor();
    assert.equal(await row.locator('td.reason').textContent(), 'never run');
    assert.equal(await row.locator('td.cache').textContent(), 'miss: ran');
    // Its time so far goes on while it runs.
    const tookBefore = await row.locator('td.took').textContent();
    await page.waitForFunction((before) => document.querySelector('tr[data-instance="prepare"] td.took')?.textContent !== before, tookBefore);
    await row.locator('button.open-log').click();
    const log = page.locator('pre.log-text');
    await log.filter({ hasText: 'prepare is waiting for gate-prepare' }).waitFor();
    gate('prepare');
    await log.filter({ hasText: 'prepare passed its gate' }).waitFor({ timeout: 20_000 });

    await state('prepare', 'succeeded');
    await state('train', 'running');
    assert.equal(await node('evaluate').getAttribute('data-state'), 'pending');
    gate('train');
    await state('train', 'succeeded');
    await state('evaluate', 'running');
    gate('evaluate');
    await state('evaluate', 'succeeded');
    await page.locator('#run-status', { hasText: 'succeeded' }).waitFor();
    assert.equal((await run.done).code, 0);

    // A run with nothing to do: every stage up to date, each a cache hit.
    const again = await p.run('run', '--name', 'again');
    assert.equal(again.code, 0, again.stderr);
    await page.goto(`${ui().base}/#/runs/2`);
    for (const stage of ['prepare', 'train', 'evaluate']) await state(stage, 'cached');
    await node('train').click();
    assert.equal(await page.locator('table.instances tr[data-instance="train"] td.cache').textContent(), 'hit: up to date, not run');

    assert.deepEqual(problems, []);
  });
});
