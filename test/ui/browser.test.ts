/**
 * `pipewright ui` in a real browser: Debian's chromium driven by playwright-core (no browser
 * download). Skips, saying why, where chromium is not installed (scripts/system-deps.mjs installs
 * it before `npm test` when it can).
 */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { useProjects } from '../helpers/project.js';
import { FILES, recordTwoRuns, startUi, type RunningUi } from './helpers.js';

const CHROMIUM = process.env.PIPEWRIGHT_CHROMIUM ?? '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `no chromium at ${CHROMIUM} (apt-get install -y chromium, or set PIPEWRIGHT_CHROMIUM)`;
const project = useProjects();

describe('pipewright ui in Chromium', { skip }, () => {
  let ui: RunningUi;
  let browser: import('playwright-core').Browser;

  before(async () => {
    const p = project(FILES);
    await recordTwoRuns(p);
    ui = await startUi(p);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  after(async () => {
    await browser?.close();
    await ui?.stop();
  });

  it('shows both runs with their metrics, sorts them, opens a run and its log, with no console errors', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));

    await page.goto(ui.url);
    assert.equal(new URL(page.url()).search, '', 'the token is gone from the address bar');
    const rows = page.locator('table.runs tbody tr');
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    assert.deepEqual(await page.locator('table.runs thead th').allTextContents(),
      ['run', 'name', 'status', 'started', 'took', 'evaluate.evaluate.lr', 'evaluate.acc', 'evaluate.loss'].map((h, i) => (i === 0 ? `${h} ▼` : h)));
    const cells = async (n: number) => (await rows.nth(n).locator('td').allTextContents());
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
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(ui.base + '/');
    assert.equal(response?.status(), 401);
    await context.close();
  });
});
