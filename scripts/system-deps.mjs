#!/usr/bin/env node
/**
 * Debian packages some tests need (redis-server for distributed runs, chromium for the UI), installed before `npm test`
 * where this process may (root with apt-get, as in CI); elsewhere it says what to install, and
 * those tests skip with that reason.
 */
import { spawnSync } from 'node:child_process';

const NEEDED = [
  { command: 'redis-server', pkg: 'redis-server' },
  // The `pipewright ui` browser test drives Debian's chromium through playwright-core (no download).
  { command: 'chromium', pkg: 'chromium' },
];

const missing = NEEDED.filter(({ command }) => spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0);
if (missing.length === 0) process.exit(0);
const packages = missing.map((m) => m.pkg);
const canInstall = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
if (!canInstall) {
  console.error(`note: ${packages.join(', ')} missing; the tests that need them will be skipped (install: apt-get install -y ${packages.join(' ')})`);
  process.exit(0);
}
console.error(`installing ${packages.join(', ')} (apt-get) for the tests that need them`);
const run = (args) => spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
if (run(['update']).status !== 0 || run(['install', '-y', '--no-install-recommends', ...packages]).status !== 0) {
  console.error(`note: could not install ${packages.join(', ')}; the tests that need them will be skipped`);
}
