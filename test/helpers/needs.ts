/**
 * Tests that need a program of the machine (redis-server, chromium): each such test is skipped on
 * its own with the reason, so the runner's closing `# skipped N` counts every one of them (a
 * skipped `describe` counts as 0 tests, and hid up to ~60). Under CI=true a missing program fails
 * each of those tests instead: CI installs them (scripts/system-deps.mjs), and a run that could not
 * is a failed run, not a green one with fewer tests.
 *
 * `needs(reason)` gives `it` and the hooks for a file's tests: node:test's own where `reason` is
 * false; otherwise an `it` that skips (or, in CI, fails) with the reason, and hooks that do
 * nothing (a suite's `before` runs even when all its tests are skipped, and would start the
 * program that is missing).
 *
 * PIPEWRIGHT_TEST_PRETEND_MISSING=redis-server,chromium makes `missing` say so for those programs
 * even where they are installed: how the skip and the CI failure are tested by hand.
 */
import * as nodeTest from 'node:test';

type TestFn = (t: nodeTest.TestContext) => void | Promise<void>;
type HookFn = Parameters<typeof nodeTest.before>[0];

export const inCI = ['true', '1'].includes((process.env.CI ?? '').toLowerCase());

/** Why `program` cannot be used here, or false: `installed` says whether it was found; `install` says how to get it. */
export function missing(program: string, installed: boolean, install: string): string | false {
  const pretend = (process.env.PIPEWRIGHT_TEST_PRETEND_MISSING ?? '').split(',').map((s) => s.trim()).includes(program);
  if (installed && !pretend) return false;
  return `${program} ${pretend ? 'is missing (PIPEWRIGHT_TEST_PRETEND_MISSING)' : 'is not installed'}: ${install}`;
}

export interface Needing {
  it(name: string, fn: TestFn): void;
  it(name: string, options: nodeTest.TestOptions, fn: TestFn): void;
  before(fn: HookFn): void;
  after(fn: HookFn): void;
  beforeEach(fn: HookFn): void;
  afterEach(fn: HookFn): void;
}

/** The `it` and hooks for tests that cannot run while `reason` is a string (see above). */
export function needs(reason: string | false): Needing {
  if (reason === false) {
    return {
      it: (name: string, a: nodeTest.TestOptions | TestFn, b?: TestFn) => (b ? nodeTest.it(name, a as nodeTest.TestOptions, b) : nodeTest.it(name, a as TestFn)),
      before: (fn) => nodeTest.before(fn),
      after: (fn) => nodeTest.after(fn),
      beforeEach: (fn) => nodeTest.beforeEach(fn),
      afterEach: (fn) => nodeTest.afterEach(fn),
    } as Needing;
  }
  const nothing = () => {};
  return {
    it: (name: string, a: nodeTest.TestOptions | TestFn, b?: TestFn) => {
      const options = b ? (a as nodeTest.TestOptions) : {};
      if (inCI) {
        nodeTest.it(name, { ...options, skip: false }, () => {
          throw new Error(`${reason} (CI=true: a missing system dependency fails the run; scripts/system-deps.mjs installs it)`);
        });
      } else {
        nodeTest.it(name, { ...options, skip: reason }, nothing);
      }
    },
    before: nothing,
    after: nothing,
    beforeEach: nothing,
    afterEach: nothing,
  } as Needing;
}
