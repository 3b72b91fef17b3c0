/**
 * `pipewright export dvc` checked by DVC's own rules, written out here from DVC's code, without
 * pipewright's dvc.yaml loader (which could share a misreading with the exporter). The exported
 * dvc.yaml is parsed with the `yaml` package and checked against:
 *
 * - dvc/schema.py (iterative/dvc at 9f901e5, Nov 2025): MULTI_STAGE_SCHEMA (the top-level keys),
 *   SINGLE_PIPELINE_STAGE_SCHEMA (each stage is a STAGE_DEFINITION, or FOREACH_IN when it has
 *   `foreach`/`do`: `either_or`), STAGE_DEFINITION (its keys and their types; `cmd` required),
 *   OUT_PSTAGE_DETAILED_SCHEMA (an out's options, `persist` and `cache` booleans, with
 *   ANNOTATION_SCHEMA from dvc/annotations.py) and PLOT_PROPS.
 * - dvc/stage/__init__.py: INVALID_STAGENAME_CHARS = set(string.punctuation) - {"_", "-"}, which
 *   dvc/stage/utils.py is_valid_name() checks (`dvc stage add` raises InvalidStageName, "Stage name
 *   cannot contain punctuation characters."). Instances of a matrix or foreach are named
 *   `<stage>@<key>` (JOIN = "@" in dvc/parsing/__init__.py): only the stage's own key is checked.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { useProjects } from '../helpers/project.js';

const project = useProjects();

/** Python's string.punctuation, less "_" and "-". */
const INVALID_STAGENAME_CHARS = new Set([...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'].filter((c) => c !== '_' && c !== '-'));
const isValidName = (name: string) => ![...name].some((c) => INVALID_STAGENAME_CHARS.has(c));

type Check = (value: unknown, at: string) => void;
const fail = (at: string, what: string): never => assert.fail(`${at}: ${what}`);
const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str: Check = (v, at) => void (typeof v === 'string' || fail(at, `not a string: ${JSON.stringify(v)}`));
const bool: Check = (v, at) => void (typeof v === 'boolean' || fail(at, `not a boolean: ${JSON.stringify(v)}`));
const any: Check = () => {};
const anyOf = (...checks: Check[]): Check => (v, at) => {
  const errors: string[] = [];
  for (const check of checks) {
    try {
      return check(v, at);
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  fail(at, `matches none of: ${errors.join(' | ')}`);
};
const listOf = (check: Check): Check => (v, at) => {
  if (!Array.isArray(v)) fail(at, `not a list: ${JSON.stringify(v)}`);
  (v as unknown[]).forEach((item, i) => check(item, `${at}[${i}]`));
};
/** voluptuous's dict schema: only these keys, each checked; `required` ones must be there. */
const mapping = (keys: Record<string, Check>, required: string[] = []): Check => (v, at) => {
  if (!isMap(v)) return fail(at, `not a mapping: ${JSON.stringify(v)}`);
  for (const key of required) if (!(key in v)) fail(at, `required key "${key}" is missing`);
  for (const [key, value] of Object.entries(v)) {
    const check = keys[key] ?? fail(at, `extra key "${key}" not allowed`);
    check(value, `${at}.${key}`);
  }
};
/** {str: check}: any string keys. */
const mapOf = (check: Check): Check => (v, at) => {
  if (!isMap(v)) return fail(at, `not a mapping: ${JSON.stringify(v)}`);
  for (const [key, value] of Object.entries(v)) check(value, `${at}.${key}`);
};

// dvc/annotations.py ANNOTATION_SCHEMA, dvc/schema.py OUT_PSTAGE_DETAILED_SCHEMA and PLOT_PROPS.
const ANNOTATION = { desc: str, type: str, labels: listOf(str), meta: any };
const OUT_OPTIONS = { ...ANNOTATION, cache: bool, persist: bool, checkpoint: bool, remote: str, push: bool };
const OUT_PSTAGE_DETAILED = mapOf(mapping(OUT_OPTIONS));
const PLOT_PROPS_SCHEMA = mapping({ ...OUT_OPTIONS, template: str, x: str, y: str, x_label: str, y_label: str, title: str, header: bool });
const PLOT_PSTAGE = mapOf(anyOf(PLOT_PROPS_SCHEMA, listOf(PLOT_PROPS_SCHEMA)));
const VARS = listOf(anyOf(str, mapOf(any)));
const STAGE_DEFINITION = mapping({
  matrix: mapOf(anyOf(str, listOf(any))),
  cmd: anyOf(str, listOf(any)),
  wdir: str,
  deps: listOf(str),
  params: listOf(anyOf(str, mapOf(any))),
  vars: VARS,
  frozen: bool,
  meta: any,
  desc: str,
  always_changed: bool,
  outs: listOf(anyOf(str, OUT_PSTAGE_DETAILED)),
  metrics: listOf(anyOf(str, OUT_PSTAGE_DETAILED)),
  plots: listOf(anyOf(str, PLOT_PSTAGE)),
}, ['cmd']);
const FOREACH_IN = mapping({ foreach: anyOf(mapOf(any), listOf(any), str), do: STAGE_DEFINITION }, ['foreach', 'do']);
/** either_or(STAGE_DEFINITION, FOREACH_IN, ["foreach", "do"]). */
const PIPELINE_STAGE: Check = (v, at) => (isMap(v) && ('foreach' in v || 'do' in v) ? FOREACH_IN : STAGE_DEFINITION)(v, at);
const SINGLE_PLOT = mapOf(anyOf(mapping({ x: anyOf(str, mapOf(str)), y: anyOf(str, listOf(str), mapOf(anyOf(str, listOf(str)))), x_label: str, y_label: str, title: str, template: str }), (v, at) => void (v === null || fail(at, 'not null'))));
const MULTI_STAGE_SCHEMA = mapping({
  datasets: any,
  plots: listOf(anyOf(str, SINGLE_PLOT)),
  stages: (v, at) => {
    mapOf(PIPELINE_STAGE)(v, at);
    for (const name of Object.keys(v as object)) assert.ok(isValidName(name), `${at}: stage name "${name}" has punctuation DVC refuses (InvalidStageName)`);
  },
  vars: VARS,
  params: listOf(str),
  metrics: listOf(str),
  artifacts: any,
});

const PIPELINE = `stages:
  prepare:
    cmd: echo x >> data/cache.txt && echo p > data/p.txt
    outs:
      - data/cache.txt:
          persist: true
      - data/p.txt:
          cache: false
  fit_model-2:
    cmd: echo \${params.lr} \${params.depth} > models/fit-\${params.lr}-\${params.depth}.txt
    params: [lr, depth]
    deps: [data/p.txt]
    sweep:
      space:
        lr: {grid: [0.1, 0.5]}
        depth: {grid: [4, 8]}
    outs:
      - models/fit-\${params.lr}-\${params.depth}.txt
  draw:
    cmd: echo \${params.lr} > draws/\${params.lr}.txt
    params: [lr]
    sweep:
      samples: 3
      seed: 1
      space:
        lr: {uniform: [0, 1]}
    outs:
      - draws/\${params.lr}.txt
`;

describe('export dvc, by DVC\'s rules (dvc/schema.py, INVALID_STAGENAME_CHARS), without pipewright\'s loader', () => {
  it('the written dvc.yaml passes DVC\'s schema; stage names have no punctuation but "_" and "-"; `persist` and `cache` are kept as DVC spells them', async () => {
    const p = project({ 'pipewright.yaml': PIPELINE, 'params.yaml': 'lr: 0.1\ndepth: 4\n' });
    const result = await p.run('export', 'dvc');
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const dvc = parse(p.read('dvc.yaml')) as { stages: Record<string, Record<string, unknown>> };
    MULTI_STAGE_SCHEMA(dvc, 'dvc.yaml');
    assert.deepEqual(Object.keys(dvc.stages), ['prepare', 'fit_model-2', 'draw']);
    // persist: a boolean under the out's path (OUT_PSTAGE_DETAILED_SCHEMA), as `dvc stage add --outs-persist` writes it.
    assert.deepEqual(dvc.stages.prepare!.outs, [{ 'data/cache.txt': { persist: true } }, { 'data/p.txt': { cache: false } }]);
    // A grid sweep is a matrix; random draws a foreach/do (FOREACH_IN).
    assert.deepEqual(Object.keys(dvc.stages['fit_model-2']!.matrix as object), ['lr', 'depth']);
    assert.deepEqual(Object.keys(dvc.stages.draw!).sort(), ['do', 'foreach']);
    assert.equal(Object.keys(dvc.stages.draw!.foreach as object).length, 3);
  });

  it('a stage name DVC refuses (punctuation: "train.v2", valid in pipewright.yaml) is refused by the export, exit 2, nothing written', async () => {
    for (const name of ['train.v2']) {
      assert.equal(isValidName(name), false, `DVC refuses ${name}`);
      const p = project({ 'pipewright.yaml': `stages:\n  ${name}:\n    cmd: echo ok > out.txt\n    outs: [out.txt]\n` });
      const result = await p.run('export', 'dvc');
      // Written anyway: DVC's rules say why it must not have been.
      if (p.exists('dvc.yaml')) MULTI_STAGE_SCHEMA(parse(p.read('dvc.yaml')), 'dvc.yaml');
      assert.equal(result.code, 2, `${name}: ${result.stdout}${result.stderr}${p.exists('dvc.yaml') ? `\ndvc.yaml:\n${p.read('dvc.yaml')}` : ''}`);
      assert.match(result.stderr, new RegExp(`stage name "${name.replace('.', '\\.')}" has characters DVC does not allow`));
      assert.equal(p.exists('dvc.yaml'), false);
    }
  });
});
