// @ts-check
/**
 * StrykerJS's configuration for `npm run mutate -- <src folder or file>` (scripts/mutate.mjs), which
 * picks the files to mutate and the test files that cover them and passes them here in the
 * environment (PW_MUTATE_TESTS, PW_MUTATE_REPORT). Not part of CI: a module takes minutes.
 *
 * Runner: Stryker's command runner. The tests run compiled JS from dist/ and the esbuild bundle in
 * dist/bin, so Stryker's instrumented sources (every mutant of the mutated files, behind a switch)
 * are built once in the sandbox (buildCommand); each mutant is then the test files run one by one until one fails (scripts/mutate-tests.mjs) with
 * __STRYKER_ACTIVE_MUTANT__ set in the environment, which the instrumented code reads, in the test
 * process and in every CLI process a test spawns (they inherit it). No rebuild per mutant.
 *
 * No type checker: @stryker-mutator/typescript-checker drives the TypeScript compiler API, and
 * TypeScript 7 (the native compiler, this repo's) ships none (`require('typescript')` has only
 * `version`). Mutants that do not type-check still run (Stryker marks mutated files @ts-nocheck);
 * they are killed or survive by the tests like any other.
 */
const report = process.env.PW_MUTATE_REPORT ?? 'reports/mutation/mutation';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'command',
  // `npm run build` of the instrumented sandbox, once (tsc's complaints reported, not fatal).
  buildCommand: 'node scripts/mutate.mjs --sandbox-build',
  // The files in PW_MUTATE_TESTS one by one, stopping at the first failure (scripts/mutate-tests.mjs).
  commandRunner: { command: 'node scripts/mutate-tests.mjs' },
  coverageAnalysis: 'off',
  checkers: [],
  // Two cores here and others' tests beside ours: one mutant at a time unless told otherwise (--concurrency).
  concurrency: 1,
  timeoutMS: 10000,
  timeoutFactor: 2,
  incremental: true,
  incrementalFile: `${report}.incremental.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `${report}.html` },
  jsonReporter: { fileName: `${report}.json` },
  // dist/ is rebuilt in the sandbox; .node24 is npm test's second Node.
  ignorePatterns: ['dist', '.node24', '.pipewright', 'reports', '*.log'],
  // Stryker rewrites the sandbox's tsconfig.json (paths that point outside it) with the TypeScript
  // compiler API, which TypeScript 7 does not have (ts.parseConfigFileTextToJson is not a function).
  // Ours has no `extends` or `references` to rewrite: naming a file that does not exist skips it.
  tsconfigFile: 'tsconfig.stryker-skip.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  thresholds: { high: 80, low: 60, break: null },
};
