/**
 * The compare page in a real browser (chromium.ts): two runs ticked in the runs table and compared, a metric's change, their plot
 * drawn by vega (under the page's no-eval policy), a sweep's parallel coordinates and its
 * significance bars, and no console error or CSP violation on the way.
 */
import { strict as assert } from 'node:assert';
import { describe } from 'node:test';
import { useProjects } from '../helpers/project.js';
import { chromiumUi, consoleProblems, withChromium } from './chromium.js';
import { COMPARE_FILES, recordCompareRuns } from './compare-fixture.js';

const project = useProjects();

const { it } = withChromium;

describe('pipewright ui: the compare page in Chromium', () => {
  const { ui, browser } = chromiumUi(async () => {
    const p = project(COMPARE_FILES);
    await recordCompareRuns(p);
    return p;
  });

  it('compares two ticked runs: a metric delta, their plot, a sweep in parallel coordinates and its significance bars', async () => {
    const page = await browser().newPage();
    const problems = consoleProblems(page);

    await page.goto(ui().url);
    const rows = page.locator('table.runs tbody tr');
    await rows.nth(1).waitFor();
    // A sweep's run says its size and the range of its first metric, as `pipewright runs` does.
    assert.ok((await page.locator('table.runs thead th').allTextContents()).includes('sweeps'));
    await page.locator('tr[data-run="2"] td', { hasText: /^fit: 16, score \d+(\.\d+)?–\d+(\.\d+)?$/ }).waitFor();
    const compare = page.locator('button#compare');
    assert.equal(await compare.isDisabled(), true, 'two runs are needed');
    await page.locator('tr[data-run="1"] input.pick').check();
    await page.locator('tr[data-run="2"] input.pick').check();
    assert.equal(await compare.textContent(), 'compare selected (2)');
    await compare.click();
    await page.waitForURL(/#\/compare\/1,2$/);

    // The metric's change from the first run, and the param that made it.
    const acc = page.locator('table.metrics tr[data-key="evaluate.acc"]');
    await acc.waitFor();
    assert.deepEqual(await acc.locator('td').allTextContents(), ['evaluate', 'acc', '0.9', '0.7', '-0.2']);
    assert.equal(await acc.locator('td.delta').getAttribute('class'), 'delta down');
    assert.deepEqual(await page.locator('table.params tr[data-key="evaluate.evaluate.lr"] td').allTextContents(), ['evaluate', 'evaluate.lr', '0.1', '0.3', '+0.2']);

    // The plot, both runs overlaid, drawn as SVG by vega.
    const plot = page.locator('#plots figure.plot[data-plot="curve.json"]');
    await plot.locator('svg').first().waitFor();
    const legend = await plot.locator('svg').first().textContent();
    assert.match(legend ?? '', /#1 first/);
    assert.match(legend ?? '', /#2 second/);

    // Run #2's sweep: parallel coordinates for the metric picked, then which params matter.
    const sweep = page.locator('section.sweep[data-run="2"][data-stage="fit"]');
    await sweep.locator('.parallel svg').waitFor();
    assert.deepEqual(await sweep.locator('select.metric option').allTextContents(), ['score', 'size']);
    assert.equal(await sweep.locator('select.metric').inputValue(), 'score');
    await sweep.locator('button.significance').click();
    const bars = sweep.locator('.significance svg');
    await bars.waitFor();
    // vega's SVG: a path per bar, one for each param that varies.
    assert.equal(await sweep.locator('.significance svg g.mark-rect path').count(), 2);
    assert.match(await sweep.locator('.significance p.meta').textContent() ?? '', /score over 16 instances: out-of-bag R² 0\.\d\d/);

    // Another metric redraws the lines (size is constant: its axis sits mid-height).
    await sweep.locator('select.metric').selectOption('size');
    await sweep.locator('.parallel svg', { hasText: 'params and size' }).waitFor();

    // A run's own page: the stage's plot under its instances; a stage without plots draws none.
    await page.goto(`${ui().base}/#/runs/1`);
    await page.locator('svg.dag g.node[data-stage="evaluate"]').click();
    const own = page.locator('#stage-plots figure.plot[data-plot="curve.json"] svg').first();
    await own.waitFor();
    assert.match(await own.textContent() ?? '', /Loss by step/);
    await page.locator('svg.dag g.node[data-stage="fit"]').click();
    await page.locator('#stage h2', { hasText: 'stage fit' }).waitFor();
    await page.waitForFunction(() => document.querySelector('#stage-plots')?.childElementCount === 0);
    assert.equal(await page.locator('table.instances tbody tr').count(), 16, "the sweep's points");

    assert.deepEqual(problems, []);
  });
});
