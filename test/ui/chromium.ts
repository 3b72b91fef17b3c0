/**
 * The UI in a real browser: Debian's chromium driven by playwright-core (no browser download),
 * with a project's runs served by the real CLI. Where chromium is not installed, each test written
 * with `withChromium.it` is skipped saying why, or fails under CI=true (../helpers/needs.ts);
 * scripts/system-deps.mjs installs it before `npm test` when it can.
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { missing, needs } from '../helpers/needs.js';
import type { TestProject } from '../helpers/project.js';
import { startUi, type RunningUi } from './helpers.js';

const CHROMIUM = process.env.PIPEWRIGHT_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumMissing = missing('chromium', existsSync(CHROMIUM), `no chromium at ${CHROMIUM} (apt-get install -y chromium, or set PIPEWRIGHT_CHROMIUM)`);
/** `it` and hooks for tests that need chromium: skipped one by one (failed under CI=true) without it. */
export const withChromium = needs(chromiumMissing);
const { before, after } = withChromium;

/** Inside a describe: before its tests, the project `setup` records served by `pipewright ui`, and chromium; both stopped after. */
export function chromiumUi(setup: () => Promise<TestProject>): { ui: () => RunningUi; browser: () => Browser } {
  let ui: RunningUi | undefined;
  let browser: Browser | undefined;
  before(async () => {
    ui = await startUi(await setup());
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await ui?.stop();
  });
  return { ui: () => ui!, browser: () => browser! };
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

/** The page's console errors and warnings (a CSP violation is one) and uncaught errors, as they come. */
export function consoleProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  return problems;
}
