#!/usr/bin/env node
/**
 * Debian packages some tests need (redis-server for distributed runs, chromium for the UI, btrfs-progs for
 * reflinks), installed before `npm test`
 * where this process may (root with apt-get, as in CI); elsewhere it says what to install, and
 * each of those tests is skipped with that reason (counted in the runner's `# skipped`).
 *
 * Under CI=true a package that is still missing (apt-get failed, or could not be run) exits 1: CI
 * fails rather than passing with those tests skipped (the tests fail too: test/helpers/needs.ts).
 */
import { spawnSync } from 'node:child_process';

const NEEDED = [
  { command: 'redis-server', pkg: 'redis-server' },
  // The `pipewright ui` browser test drives Debian's chromium through playwright-core (no download).
  { command: 'chromium', pkg: 'chromium' },
  // Placing cache files by reflink is tested on a btrfs image the test mounts (root only; where
  // mounting is not allowed, those tests are skipped with the reason).
  { command: 'mkfs.btrfs', pkg: 'btrfs-progs' },
];

const inCI = ['true', '1'].includes((process.env.CI ?? '').toLowerCase());
const missing = NEEDED.filter(({ command }) => spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0);
if (missing.length === 0) process.exit(0);
const packages = missing.map((m) => m.pkg);
const canInstall = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
if (!canInstall) {
  if (inCI) {
    console.error(`error: ${packages.join(', ')} missing, and apt-get cannot be run here (not root, or no apt-get); CI=true, so this fails the run (install: apt-get install -y ${packages.join(' ')})`);
    process.exit(1);
  }
  console.error(`note: ${packages.join(', ')} missing; the tests that need them will be skipped (install: apt-get install -y ${packages.join(' ')})`);
  process.exit(0);
}
console.error(`installing ${packages.join(', ')} (apt-get) for the tests that need them`);
const run = (args) => spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
if (run(['update']).status !== 0 || run(['install', '-y', '--no-install-recommends', ...packages]).status !== 0) {
  if (inCI) {
    console.error(`error: apt-get could not install ${packages.join(', ')}; CI=true, so this fails the run`);
    process.exit(1);
  }
  console.error(`note: could not install ${packages.join(', ')}; the tests that need them will be skipped`);
}
