#!/usr/bin/env node
/**
 * Screenshots of `pipewright ui` for the README (docs/ui-*.png): a copy of the sweep example run
 * twice (as it is, then `--version small-vocab`), a small flow served beside it and fed items,
 * all shown by `pipewright ui` on a free port of 127.0.0.1 and photographed by Debian's chromium
 * through playwright-core.
 *
 *   npm run build && node scripts/screenshots.mjs
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CLI, startCli } from './start-cli.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const top = mkdtempSync(join(tmpdir(), 'pw-shots-'));
// The sweep example imports the spam example's stages, and `pipewright` and zod as an installed
// project would: both folders side by side, over a node_modules that has them.
for (const example of ['sweep', 'spam']) cpSync(join(REPO, 'examples', example), join(top, example), { recursive: true });
mkdirSync(join(top, 'node_modules'));
for (const name of readdirSync(join(REPO, 'node_modules'))) symlinkSync(join(REPO, 'node_modules', name), join(top, 'node_modules', name));
symlinkSync(REPO, join(top, 'node_modules', 'pipewright'));
const dir = join(top, 'sweep');
writeFileSync(join(dir, 'squares.flow.ts'), `import { cell, flow } from 'pipewright';
const parse = cell('parse', { run: (x: { n: number }) => x.n });
const square = cell('square', { scale: 2, run: async (n: number) => { await new Promise((r) => setTimeout(r, 8)); return n * n; } });
export default flow('squares', [parse, square]);
`);

const cli = (...args) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`pipewright ${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return r.stdout;
};
cli('run', '-j', '2', '-n', 'baseline');
cli('run', '-j', '2', '-n', 'small-vocab', '--version', 'small-vocab');

const ui = startCli(['ui', '--port', '0'], { cwd: dir, pattern: /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/ });
const served = startCli(['serve', 'squares.flow.ts', '--port', '0'], { cwd: dir, pattern: /on (http:\/\/127\.0\.0\.1:\d+)/ });
const [url, flowUrl] = await Promise.all([ui.found, served.found]);
let n = 0;
const feed = setInterval(() => {
  for (let i = 0; i < 15; i++) void fetch(flowUrl, { method: 'POST', body: JSON.stringify({ n: n++ }), headers: { 'content-type': 'application/json' } }).catch(() => {});
}, 100);

const browser = await chromium.launch({ executablePath: process.env.PIPEWRIGHT_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
const shot = (page, name, options = {}) => page.screenshot({ path: join(REPO, `docs/${name}.png`), ...options });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 640 } });
  await page.goto(url);
  await page.locator('table.runs tbody tr').nth(1).waitFor();
  await shot(page, 'ui-runs');

  await page.goto(`${new URL(url).origin}/#/runs/2`);
  await page.locator('svg.dag g.node[data-stage="train"]').click();
  await page.locator('table.instances tbody tr').first().waitFor();
  await page.waitForTimeout(300);
  await shot(page, 'ui-run');

  await page.goto(`${new URL(url).origin}/#/compare/1,2`);
  const sweep = page.locator('section.sweep[data-stage="train"]').first();
  await sweep.locator('.parallel svg').waitFor();
  await sweep.locator('button.significance').click();
  await sweep.locator('.significance svg').waitFor();
  await page.waitForTimeout(300);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.setViewportSize({ width: 1280, height: 1500 });
  await shot(page, 'ui-compare');
  await page.setViewportSize({ width: 1280, height: 640 });

  await page.goto(`${new URL(url).origin}/#/flows`);
  await page.waitForFunction(() => /\/s$/.test(document.querySelector('tr[data-cell="square"] td.rate')?.textContent ?? ''));
  await page.waitForTimeout(1200);
  await shot(page, 'ui-flows', { clip: { x: 0, y: 0, width: 1280, height: 320 } });
  console.log('wrote docs/ui-runs.png, docs/ui-run.png, docs/ui-compare.png, docs/ui-flows.png');
} finally {
  clearInterval(feed);
  await browser.close();
  ui.child.kill('SIGTERM');
  served.child.kill('SIGTERM');
  rmSync(top, { recursive: true, force: true });
}
