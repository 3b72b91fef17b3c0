#!/usr/bin/env node
/**
 * The test command of one mutant (stryker.config.mjs's commandRunner): the test files named in
 * PW_MUTATE_TESTS, one `node --test` each, in the order given, stopping at the first that fails.
 * A killed mutant costs the files up to the first one that catches it, not the whole set (node 20's
 * test runner has no bail option); a surviving one costs the whole set, as before. Name the fastest
 * and most pointed files first (`npm run mutate -- src/x.ts --tests fast.test.ts,slow.test.ts`).
 */
import { spawnSync } from 'node:child_process';

const files = (process.env.PW_MUTATE_TESTS ?? '').split('\n').filter(Boolean);
if (files.length === 0) {
  console.error('PW_MUTATE_TESTS names no test file');
  process.exit(2);
}
for (const file of files) {
  // Force-exit: a mutant that leaves a timer or a child behind fails its test (the tests' own
  // timeouts) and is then counted at once, not after Stryker's timeout of twice the whole set.
  const run = spawnSync(process.execPath, ['--test', '--test-force-exit', file], { stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`mutant caught by ${file} (exit ${run.status ?? run.signal})`);
    process.exit(1);
  }
}
