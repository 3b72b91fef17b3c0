/** `pipewright ui` in a real browser (chromium.ts): the runs table, a run and its log. */
import { strict as assert } from 'node:assert';
import { describe } from 'node:test';
import { useProjects } from '../helpers/project.js';
import { chromiumUi, consoleProblems, withChromium } from './chromium.js';
import { FILES, recordTwoRuns } from './helpers.js';

const project = useProjects();

const { it } = withChromium;

describe('pipewright ui in Chromium', () => {
  const { ui, browser } = chromiumUi(async () => {
    const p = project(FILES);
    await recordTwoRuns(p);
    return p;
  });

  it('shows both runs with their metrics, sorts them, opens a run and its log, with no console errors', async () => {
    const page = await browser().newPage();
    const problems = consoleProblems(page);

    await page.goto(ui().url);
    assert.equal(new URL(page.url()).search, '', 'the token is gone from the address bar');
    const rows = page.locator('table.runs tbody tr');
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    assert.deepEqual(await page.locator('table.runs thead th').allTextContents(),
      ['', 'run', 'name', 'status', 'started', 'took', 'evaluate.evaluate.lr', 'evaluate.acc', 'evaluate.loss'].map((h, i) => (i === 1 ? `${h} ▼` : h)));
    // The first column is the compare checkbox (compare.test.ts).
    const cells = async (n: number) => (await rows.nth(n).locator('td').allTextContents()).slice(1);
    assert.deepEqual((await cells(0)).slice(1, 3), ['second', 'succeeded']);
    assert.deepEqual((await cells(0)).slice(5), ['0.3', '0.7', '0.3']);
    assert.deepEqual((await cells(1)).slice(5), ['0.1', '0.9', '0.1']);

    // Sorting by a metric column goes to the server and comes back in that order.
    await page.locator('th[data-key="metrics.evaluate.acc"]').click();
    await page.locator('th.sorted', { hasText: 'evaluate.acc ▲' }).waitFor();
    assert.deepEqual((await cells(0)).slice(1, 2), ['second']);
    await page.locator('th[data-key="metrics.evaluate.acc"]').click();
    await page.locator('th.sorted', { hasText: 'evaluate.acc ▼' }).waitFor();
    assert.deepEqual((await cells(0)).slice(1, 2), ['first']);

    // The text filter.
    await page.fill('#filter', 'seco');
    await page.locator('#range', { hasText: '1–1 of 1' }).waitFor();
    assert.equal(await rows.count(), 1);

    // A run: its DAG, a stage's instances, then its log.
    await rows.nth(0).locator('a').first().click();
    await page.locator('h1', { hasText: 'second' }).waitFor();
    await page.locator('svg.dag g.node[data-stage="evaluate"][data-state="succeeded"]').click();
    const instance = page.locator('table.instances tr[data-instance="evaluate"]');
    assert.equal(await instance.locator('td.status').textContent(), 'ran');
    await instance.locator('button.open-log').click();
    await page.locator('pre.log-text', { hasText: 'evaluating at lr 0.3' }).waitFor();

    assert.deepEqual(problems, []);
  });

  it('a page without the cookie gets 401, not the runs', async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    const response = await page.goto(ui().base + '/');
    assert.equal(response?.status(), 401);
    await context.close();
  });
});
