/**
 * No crash on any input (issue 12): the real dvc.yaml and params files of the corpus
 * (../shared/corpus/dvc) and the YAML example, mutated thousands of times (test/helpers/mutate.ts),
 * are loaded as `list --json` and `status` load them. Whatever the file says, the answer is a
 * listing or a PipelineError that names a file, never another exception; through the real CLI,
 * exit code 0 or 2 and no stack trace.
 *
 * Seeded: PW_FUZZ_SEED=n changes the seed, PW_FUZZ_CASES=n the number of in-process cases,
 * PW_FUZZ_CASE=i replays one case (with the seed printed by the failing run).
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { StageCache } from '../../src/cache/stage-cache.js';
import { pipelineStatus } from '../../src/cache/status.js';
import { formatPipelineError } from '../../src/cli/format-error.js';
import { isPipelineError } from '../../src/errors.js';
import { listStages } from '../../src/graph/listing.js';
import { selectStages } from '../../src/graph/select.js';
import { openProject } from '../../src/run/project.js';
import { caseRandom, mutate } from '../helpers/mutate.js';
import { CLI, REPO } from '../helpers/project.js';

const SEED = Number(process.env.PW_FUZZ_SEED ?? 20261201);
const CASES = Number(process.env.PW_FUZZ_CASES ?? 2500);
const CLI_CASES = Number(process.env.PW_FUZZ_CLI_CASES ?? 60);
const ONLY = process.env.PW_FUZZ_CASE === undefined ? undefined : Number(process.env.PW_FUZZ_CASE);

const CORPUS = join(REPO, '../shared/corpus/dvc');
const EXAMPLES = join(REPO, 'examples');

interface FuzzProject {
  readonly name: string;
  /** The copy every case starts from, deps created so that `status` gets past "missing". */
  base: string;
  /** Relative to the project folder. */
  readonly pipeline: string;
  readonly paramsFiles: readonly string[];
}

/** Every YAML-pipeline project: the corpus's folders and the examples with a YAML pipeline. */
function projects(): FuzzProject[] {
  const found: FuzzProject[] = [];
  const add = (dir: string, name: string) => {
    const pipeline = ['dvc.yaml', 'pipewright.yaml'].find((f) => existsSync(join(dir, f)));
    if (!pipeline) return;
    const paramsFiles = filesUnder(dir).filter((f) => f !== pipeline && /\.(ya?ml|toml|json|py)$/.test(f) && !f.startsWith('scripts/'));
    found.push({ name, base: dir, pipeline, paramsFiles });
  };
  if (existsSync(CORPUS)) for (const d of readdirSync(CORPUS).sort()) if (statSync(join(CORPUS, d)).isDirectory()) add(join(CORPUS, d), `corpus/${d}`);
  for (const d of readdirSync(EXAMPLES).sort()) add(join(EXAMPLES, d), `examples/${d}`);
  return found;
}

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.name.startsWith('.') || e.name === 'node_modules') return [];
    return e.isDirectory() ? filesUnder(dir, rel) : [rel];
  });
}

interface FuzzCase {
  readonly index: number;
  readonly project: FuzzProject;
  /** The mutated file, relative to the project folder. */
  readonly file: string;
  readonly text: string;
  readonly steps: readonly string[];
}

function makeCase(all: readonly FuzzProject[], seed: number, index: number): FuzzCase {
  const random = caseRandom(seed, index);
  const project = random.pick(all);
  // The pipeline file most of the time: it is where most mistakes are made.
  const file = project.paramsFiles.length && random.chance(0.35) ? random.pick(project.paramsFiles) : project.pipeline;
  const { text, steps } = mutate(readFileSync(join(project.base, file), 'utf8'), random);
  return { index, project, file, text, steps };
}

function describeCase(c: FuzzCase, seed: number): string {
  return `case ${c.index} (PW_FUZZ_SEED=${seed} PW_FUZZ_CASE=${c.index}): ${c.project.name}/${c.file}: ${c.steps.join('; ')}`;
}

/** A fresh folder per case: the loader keeps each pipeline file it loaded, by path, for the process. */
function materialize(c: FuzzCase, into: string): string {
  const dir = join(into, `case-${c.index}`);
  cpSync(c.project.base, dir, { recursive: true });
  writeFileSync(join(dir, c.file), c.text);
  return dir;
}

/**
 * What a user sees must point somewhere: the error's position is a file, or its text names one.
 * For a mutated params file, the error may be where the value is used (dvc.yaml's line).
 */
function namesAFile(shown: string, c: FuzzCase): boolean {
  const names = [c.file, c.project.pipeline];
  return names.some((n) => shown.includes(n));
}

let scratch: string;
let all: FuzzProject[];

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'pw-fuzz-'));
  all = projects();
  // Copies with every dep a stage reads made (empty), so that status hashes and plans rather
  // than stopping at "dep missing".
  for (const project of all) {
    const base = join(scratch, 'base', project.name);
    cpSync(project.base, base, { recursive: true, filter: (src) => !src.includes('/.pipewright') && !src.includes('/node_modules') });
    project.base = base;
    try {
      const { graph } = await openProject(base);
      for (const node of graph.nodes.values()) {
        for (const dep of node.missing ?? []) {
          if (dep.path.startsWith('..')) continue;
          mkdirSync(dirname(join(base, dep.path)), { recursive: true });
          if (!existsSync(join(base, dep.path))) writeFileSync(join(base, dep.path), '');
        }
      }
    } catch {
      // A corpus file DVC itself rejects: mutated all the same.
    }
    rmSync(join(base, '.pipewright'), { recursive: true, force: true });
  }
});

after(() => {
  process.chdir(REPO);
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('no crash on any input', () => {
  it('has projects to mutate', (t) => {
    // The corpus lies beside the repository; without it only the examples are mutated, and the test says so.
    if (!existsSync(CORPUS)) t.diagnostic(`no corpus at ${CORPUS}: mutating the examples only`);
    assert.ok(all.length > 0);
    t.diagnostic(`seed ${SEED} (set PW_FUZZ_SEED to change it); ${all.length} projects`);
  });

  it('list and status load every mutated file, or fail with a PipelineError naming a file', async (t) => {
    const failures = new Map<string, string>();
    const outcomes = { listed: 0, refused: 0 };
    const indexes = ONLY !== undefined ? [ONLY] : Array.from({ length: CASES }, (_, i) => i);
    for (const index of indexes) {
      const c = makeCase(all, SEED, index);
      const dir = materialize(c, scratch);
      process.chdir(dir);
      try {
        const project = await openProject(dir);
        JSON.stringify(listStages(project.graph));
        const cache = new StageCache(project.declaration, { warn: () => {} });
        try {
          await pipelineStatus(project.graph, selectStages(project.graph, { targets: [] }), cache);
        } finally {
          cache.close();
        }
        outcomes.listed++;
      } catch (err) {
        outcomes.refused++;
        const problem = !isPipelineError(err) ? `crashed: ${(err as Error)?.stack ?? String(err)}`
          : (() => {
            const shown = formatPipelineError(err);
            return namesAFile(shown, c) ? undefined : `names no file: ${shown}`;
          })();
        if (problem) {
          // One example per kind of failure: the first line of the message, numbers and names blurred.
          const kind = problem.split('\n').slice(0, 2).join(' ').replace(/"[^"]*"|'[^']*'|\d+/g, '_').slice(0, 200);
          if (!failures.has(kind)) failures.set(kind, `${describeCase(c, SEED)}\n${problem}`);
        }
      } finally {
        process.chdir(scratch);
        rmSync(dir, { recursive: true, force: true });
      }
    }
    t.diagnostic(`${indexes.length} cases: ${outcomes.listed} loaded, ${outcomes.refused} refused with a message`);
    assert.equal(failures.size, 0, `${failures.size} kinds of failure:\n\n${[...failures.values()].join('\n\n')}`);
  });

  it('the CLI answers a sample of them with exit 0 or 2, no stack trace, and the file named', { skip: ONLY !== undefined }, async () => {
    const failures: string[] = [];
    // Another seed's cases: different mutations from the in-process ones.
    const cases = Array.from({ length: CLI_CASES }, (_, i) => makeCase(all, SEED + 1, i));
    const check = async (c: FuzzCase) => {
      const dir = materialize(c, join(scratch, 'cli'));
      for (const args of [['list', '--json'], ['status']]) {
        const { code, stderr } = await cli(dir, args);
        const problems = [
          code === 0 || code === 2 ? undefined : `exit code ${code}`,
          /^\s+at /m.test(stderr) ? 'a stack trace' : undefined,
          code === 2 && !namesAFile(stderr, c) ? 'no file named' : undefined,
        ].filter(Boolean);
        if (problems.length) failures.push(`${describeCase(c, SEED + 1)}\n\`pipewright ${args.join(' ')}\`: ${problems.join(', ')}\n${stderr}`);
      }
      rmSync(dir, { recursive: true, force: true });
    };
    // Two at a time: the machine has two cores.
    for (let i = 0; i < cases.length; i += 2) await Promise.all(cases.slice(i, i + 2).map(check));
    assert.deepEqual(failures, []);
  });
});

function cli(cwd: string, args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined };
  for (const key of Object.keys(env)) if (key === 'CI' || key.startsWith('NODE_TEST')) delete env[key];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}


