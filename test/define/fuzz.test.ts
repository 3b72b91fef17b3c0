/**
 * No crash on any input (issue 12): the real dvc.yaml and params files of the corpus
 * (test/fixtures/dvc-corpus) and the YAML example, mutated thousands of times (test/helpers/mutate.ts),
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
import { DVC_CORPUS as CORPUS } from '../helpers/fixtures.js';
import { CLI, REPO } from '../helpers/project.js';

const SEED = Number(process.env.PW_FUZZ_SEED ?? 20261201);
const CASES = Number(process.env.PW_FUZZ_CASES ?? 2000);
const CLI_CASES = Number(process.env.PW_FUZZ_CLI_CASES ?? 40);
const ONLY = process.env.PW_FUZZ_CASE === undefined ? undefined : Number(process.env.PW_FUZZ_CASE);

const EXAMPLES = join(REPO, 'examples');

interface FuzzProject {
  readonly name: string;
  /** The copy every case starts from, deps created so that `status` gets past "missing". */
  base: string;
  /** Relative to the project folder. */
  readonly pipeline: string;
  readonly paramsFiles: readonly string[];
  /**
   * How often it is picked. A project of thousands of generated stages (a matrix) takes a
   * quarter of a second to load and judge: it is mutated less often, so that the run stays short.
   * Set from its size, not from timings, so that a seed means the same cases on every machine.
   */
  weight: number;
}

/**
 * Every YAML-pipeline project: the corpus's folders, the examples with a YAML pipeline, and a DVC
 * project as a fresh clone has it (FRESH_CLONE), whose dvc.lock, `.dvc` file and config are
 * mutated too.
 */
function projects(fixtures: string): FuzzProject[] {
  const found: FuzzProject[] = [];
  const add = (dir: string, name: string, files?: string[]) => {
    const pipeline = ['dvc.yaml', 'pipewright.yaml'].find((f) => existsSync(join(dir, f)));
    if (!pipeline) return;
    const paramsFiles = files ?? filesUnder(dir).filter((f) => f !== pipeline && /\.(ya?ml|toml|json|py)$/.test(f) && !f.startsWith('scripts/'));
    found.push({ name, base: dir, pipeline, paramsFiles, weight: 1 });
  };
  for (const d of readdirSync(CORPUS).sort()) if (statSync(join(CORPUS, d)).isDirectory()) add(join(CORPUS, d), `corpus/${d}`);
  for (const d of readdirSync(EXAMPLES).sort()) add(join(EXAMPLES, d), `examples/${d}`);
  const fresh = join(fixtures, 'fresh-clone');
  for (const [path, text] of Object.entries(FRESH_CLONE)) {
    mkdirSync(dirname(join(fresh, path)), { recursive: true });
    writeFileSync(join(fresh, path), text);
  }
  add(fresh, 'fixture/fresh-clone', ['params.yaml', 'params.py', 'params.json', 'dvc.lock', 'data/raw.csv.dvc', '.dvc/config']);
  return found;
}

/**
 * A DVC project as cloned: `data/raw.csv` is tracked by its `.dvc` file and not pulled (so the
 * `.dvc` file is read to say so), `data/data.xml` is there (so dvc.lock's record is compared).
 */
const FRESH_CLONE: Record<string, string> = {
  '.dvc/config': "[core]\n    remote = storage\n['remote \"storage\"']\n    url = s3://bucket/path\n[parsing]\n    bool = store_true\n",
  'data/data.xml': '<posts/>\n',
  'data/raw.csv.dvc': 'outs:\n- md5: 22a1a2931c8370d3aeedd7183606fd7f\n  size: 14445097\n  hash: md5\n  path: raw.csv\n',
  'src/prepare.py': '',
  'src/train.py': '',
  'src/evaluate.py': '',
  'params.yaml': 'prepare:\n  split: 0.2\n  seed: 20170428\ntrain:\n  seed: 20170428\n  n_est: 50\n  min_split: 0.01\n',
  'params.py': 'LR = 0.1  # learning rate\nLAYERS = [64, 32]\nNAME = "small"\n\nclass Eval:\n    threshold = 0.5\n    flags = {"fast": True, "seed": None}\n\n    def skip(self):\n        x = 1\n',
  'params.json': '{"eval": {"batch": 32, "metrics": ["f1", "auc"]}, "tag": "v1"}\n',
  'dvc.yaml': `stages:
  prepare:
    cmd: python src/prepare.py data/data.xml data/raw.csv
    deps:
    - data/data.xml
    - data/raw.csv
    - src/prepare.py
    params:
    - prepare.seed
    - prepare.split
    outs:
    - data/prepared
  train:
    cmd: python src/train.py data/prepared model.pkl \${train.n_est}
    deps:
    - data/prepared
    - src/train.py
    params:
    - train.seed
    - train.n_est
    - train.min_split
    outs:
    - model.pkl
    metrics:
    - eval/metrics.json:
        cache: false
  evaluate:
    cmd: python src/evaluate.py model.pkl
    deps:
    - model.pkl
    params:
    - params.py:
      - LR
      - Eval.threshold
      - Eval.flags
    - params.json:
    outs:
    - eval/plots
plots:
- eval/plots/prc.json:
    template: simple
    x: recall
    y: precision
- ROC:
    x: fpr
    y:
      eval/plots/train.json: tpr
      eval/plots/test.json: tpr
`,
  'dvc.lock': `schema: '2.0'
stages:
  prepare:
    cmd: python src/prepare.py data/data.xml data/raw.csv
    deps:
    - path: data/data.xml
      hash: md5
      md5: 0e7e6c3a0b4ac4bd2ae6a2e07c3e3d5f
      size: 9
    - path: data/raw.csv
      hash: md5
      md5: 22a1a2931c8370d3aeedd7183606fd7f
      size: 14445097
    - path: src/prepare.py
      hash: md5
      md5: d41d8cd98f00b204e9800998ecf8427e
      size: 0
    params:
      params.yaml:
        prepare.seed: 20170428
        prepare.split: 0.2
    outs:
    - path: data/prepared
      hash: md5
      md5: 153aad06d376b6595932470e459ef42a.dir
      size: 8437363
      nfiles: 2
  train:
    cmd: python src/train.py data/prepared model.pkl 50
    deps:
    - path: data/prepared
      hash: md5
      md5: 153aad06d376b6595932470e459ef42a.dir
      size: 8437363
      nfiles: 2
    outs:
    - path: model.pkl
      hash: md5
      md5: 9d6c7b2a8fe1c6b1c0d3c1e5d1c2b3a4
      size: 1845
    - path: eval/metrics.json
      hash: md5
      md5: 4c2b8f1e0a7d6c5b4a3f2e1d0c9b8a7f
      size: 90
      cache: false
`,
};

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
  const project = random.weighted(all, all.map((p) => p.weight));
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
  const dir = join(into, `case-${c.index}`, PROJECT_FOLDER);
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

/**
 * Each copy sits in a folder named `dvc`: a corpus file written in its repository's `dvc/`
 * folder names its params as `../dvc/params.yaml`, which then resolves.
 */
const PROJECT_FOLDER = 'dvc';

/** What V8 says when code meets a value it did not expect: a bug, not a message for a user. */
const ENGINE_ERROR = /Cannot (read|set|use|convert|destructure|access)|is not (a function|iterable|a constructor|defined)|of (undefined|null)\b|Maximum call stack|Invalid (array|string) length|(undefined|null) is not/;

/** Object.prototype's own keys before any case ran: a key added by loading a file is pollution. */
const PROTOTYPE_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

let scratch: string;
let all: FuzzProject[];

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'pw-fuzz-'));
  all = projects(join(scratch, 'fixtures'));
  // Copies with every dep a stage reads made (empty), so that status hashes and plans rather
  // than stopping at "dep missing".
  for (const project of all) {
    const base = join(scratch, 'base', project.name, PROJECT_FOLDER);
    cpSync(project.base, base, { recursive: true, filter: (src) => !/\/(\.pipewright|node_modules)(\/|$)/.test(src) });
    project.base = base;
    try {
      const { graph } = await openProject(base);
      // Loading and judging a project costs about a millisecond per ten paths (deps and outs).
      const paths = [...graph.nodes.values()].reduce((n, node) => n + node.deps.length + node.outs.length, 0);
      project.weight = 10 / (10 + paths / 10);
      for (const node of graph.nodes.values()) {
        for (const dep of node.missing ?? []) {
          // Not above the copy, nor what a `.dvc` file tracks: that one stays "not pulled".
          if (dep.path.startsWith('..') || existsSync(join(base, `${dep.path}.dvc`))) continue;
          mkdirSync(dirname(join(base, dep.path)), { recursive: true });
          if (!existsSync(join(base, dep.path))) writeFileSync(join(base, dep.path), '');
        }
      }
    } catch {
      // A corpus file DVC itself rejects: mutated all the same, less often (most cases give its one error).
      project.weight = 0.3;
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
    assert.ok(all.some((p) => p.name.startsWith('corpus/')), `no corpus projects in ${CORPUS}`);
    t.diagnostic(`seed ${SEED} (set PW_FUZZ_SEED to change it); ${all.length} projects`);
  });

  it('list and status load every mutated file, or fail with a PipelineError naming a file', async (t) => {
    const failures = new Map<string, string>();
    const outcomes = { listed: 0, refused: 0 };
    const slowest: [number, string][] = [];
    const indexes = ONLY !== undefined ? [ONLY] : Array.from({ length: CASES }, (_, i) => i);
    for (const index of indexes) {
      const c = makeCase(all, SEED, index);
      const dir = materialize(c, scratch);
      const started = performance.now();
      process.chdir(dir);
      try {
        const project = await openProject(dir);
        JSON.stringify(listStages(project.graph));
        const cache = new StageCache(project.declaration, { warn: () => {} });
        try {
          const status = await pipelineStatus(project.graph, selectStages(project.graph, { targets: [] }), cache);
          // status reports a stage it cannot judge as `error` with the message: a crash hides there too.
          for (const s of status) {
            if (s.state !== 'error' || !ENGINE_ERROR.test(s.message ?? '')) continue;
            const kind = `status: ${s.message!.replace(/'[^']*'/g, '_')}`;
            if (!failures.has(kind)) failures.set(kind, `${describeCase(c, SEED)}\nstatus of stage "${s.stage}" crashed: ${s.message}`);
          }
        } finally {
          cache.close();
        }
        outcomes.listed++;
      } catch (err) {
        outcomes.refused++;
        // One example per kind of failure: a crash by where it was thrown, a message by its code.
        if (!isPipelineError(err)) {
          const stack = (err as Error)?.stack ?? String(err);
          const kind = stack.split('\n').slice(0, 2).join(' ').replace(/\d+/g, '_');
          if (!failures.has(kind)) failures.set(kind, `${describeCase(c, SEED)}\ncrashed: ${stack}`);
        } else {
          // Formatting reads the file again for the line shown, and positions are found lazily: it may not throw either.
          let shown: string;
          try {
            shown = formatPipelineError(err);
          } catch (formatting) {
            shown = '';
            failures.set('format', `${describeCase(c, SEED)}\nformatting "${err.message}" crashed: ${(formatting as Error).stack}`);
          }
          if (shown && !namesAFile(shown, c) && !failures.has(err.code)) failures.set(err.code, `${describeCase(c, SEED)}\nnames no file: ${shown}`);
        }
      } finally {
        const polluted = Object.getOwnPropertyNames(Object.prototype).filter((k) => !PROTOTYPE_KEYS.has(k));
        if (polluted.length) {
          failures.set('pollution', `${describeCase(c, SEED)}\nset ${polluted.join(', ')} on Object.prototype, so on every object`);
          for (const k of polluted) delete (Object.prototype as Record<string, unknown>)[k];
        }
        process.chdir(scratch);
        rmSync(dirname(dir), { recursive: true, force: true });
        slowest.push([performance.now() - started, `case ${index} ${c.project.name}`]);
        slowest.sort((a, b) => b[0] - a[0]).splice(5);
      }
    }
    t.diagnostic(`slowest: ${slowest.map(([ms, what]) => `${what} ${Math.round(ms)} ms`).join(', ')}`);
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
      rmSync(dirname(dir), { recursive: true, force: true });
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


