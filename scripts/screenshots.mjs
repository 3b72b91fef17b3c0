#!/usr/bin/env node
/**
 * Screenshots of `pipewright ui` for the README (docs/ui-*.png): a copy of the yaml-wordcount
 * example run three times with different params, served by `pipewright ui` on a free port of
 * 127.0.0.1, photographed by Debian's chromium through playwright-core.
 *
 *   npm run build && node scripts/screenshots.mjs
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(REPO, 'dist/bin/pipewright.cjs');
const dir = mkdtempSync(join(tmpdir(), 'pw-shots-'));
cpSync(join(REPO, 'examples/yaml-wordcount'), dir, { recursive: true });
// Its scripts import the yaml package, as an installed project would have it.
symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
const cli = (...args) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`pipewright ${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return r.stdout;
};
cli('run', '-n', 'baseline');
cli('run', '-n', 'longer-words', '-S', 'count.min_length=6');
cli('run', '-n', 'short-words', '-S', 'count.min_length=2');

const ui = spawn(process.execPath, [CLI, 'ui', '--port', '0'], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolveUrl) => {
  let out = '';
  ui.stdout.on('data', (d) => {
    out += d;
    const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
    if (m) resolveUrl(m[1]);
  });
});
const browser = await chromium.launch({ executablePath: process.env.PIPEWRIGHT_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 520 } });
  await page.goto(url);
  await page.locator('table.runs tbody tr').nth(2).waitFor();
  await page.screenshot({ path: join(REPO, 'docs/ui-runs.png') });
  await page.locator('table.runs tbody tr').first().locator('a').first().click();
  await page.locator('text=count').first().waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(REPO, 'docs/ui-run.png'), fullPage: true });
  console.log('wrote docs/ui-runs.png, docs/ui-run.png');
} finally {
  await browser.close();
  ui.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
