/**
 * DVC's own parser tests (iterative/dvc, tests/func/parsing/), rewritten as pipewright fixtures:
 * each test builds the dvc.yaml and vars files DVC's test builds and expects what DVC's test
 * expects: the resolved stages (names, cmd, wdir, deps, outs, ...), the merged vars, or a refusal.
 * A refusal is a PipelineError naming dvc.yaml and a line, and exit code 2 through the CLI.
 * Each test is named `file::test[parameters]` after the DVC test it ports.
 *
 * Where DVC's test builds a Context by hand (`Context(models=...)`), the fixture gives the same
 * values as a `vars:` mapping; where it asserts `tracked_vars` (the params DVC records in
 * dvc.lock) or mocks, see the notes at each test: pipewright records the resolved command instead.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import jsYaml from 'js-yaml';
import { resolveDvcFile } from '../../src/define/dvc-pipeline.js';
import { isPipelineError } from '../../src/errors.js';
import { useProjects, type TestProject } from '../helpers/project.js';

const project = useProjects();

type Files = Record<string, unknown>;
type Data = Record<string, unknown>;

/** Writes files: text as it is, data as YAML (or JSON for .json), as DVC's `.dump()` does by extension. */
function make(files: Files): TestProject {
  const text: Record<string, string> = {};
  for (const [path, value] of Object.entries(files)) {
    text[path] = typeof value === 'string' ? value : path.endsWith('.json') ? JSON.stringify(value) : jsYaml.dump(value);
  }
  return project(text);
}

interface Resolved {
  stages: Record<string, Data>;
  values: Data;
  params: unknown[];
  metrics: unknown[];
  plots: unknown[];
  artifacts: Data;
  datasets: unknown[];
}

function resolve(files: Files, dvcYaml = 'dvc.yaml'): Resolved {
  const r = resolveDvcFile(make(files).path(dvcYaml));
  return {
    stages: Object.fromEntries(r.stages.map((s) => [s.name, s.definition])),
    values: JSON.parse(JSON.stringify(r.values)) as Data,
    params: r.params,
    metrics: r.metrics,
    plots: r.plots,
    artifacts: r.artifacts,
    datasets: r.datasets,
  };
}

/** DVC refuses: so do we, in-process and through the CLI, naming dvc.yaml's line. */
async function refuses(files: Files, message: RegExp, dvcYaml = 'dvc.yaml'): Promise<void> {
  const p = make(files);
  assert.throws(() => resolveDvcFile(p.path(dvcYaml)), (err: unknown) => {
    assert.ok(isPipelineError(err), `not a PipelineError: ${String(err)}`);
    assert.match(err.message, message);
    assert.ok(err.where?.file.endsWith(dvcYaml), `${err.where?.file} is not ${dvcYaml}`);
    assert.equal(typeof err.where?.line, 'number', 'no line');
    return true;
  });
  const dir = dvcYaml.includes('/') ? dvcYaml.slice(0, dvcYaml.lastIndexOf('/')) : '.';
  const cli = await p.run('list', '-C', dir);
  assert.equal(cli.code, 2, cli.stdout + cli.stderr);
  assert.match(cli.stderr, /dvc\.yaml:\d+:\d+: /);
  assert.match(cli.stderr.replace(/\n\s+/g, ' '), message);
}

// tests/func/parsing/__init__.py
const TEMPLATED_DVC_YAML_DATA = {
  stages: {
    stage1: { cmd: 'python script.py ${dict.foo} --out ${dict.bar}', outs: ['${dict.bar}'], deps: ['${dict.foo}'], frozen: '${freeze}' },
    stage2: { cmd: 'echo ${dict.foo} ${dict.bar}' },
  },
};
const CONTEXT_DATA = { dict: { foo: 'foo', bar: 'bar' }, list: ['param1', 'param2'], freeze: true };
const RESOLVED_DVC_YAML_DATA = {
  stage1: { cmd: 'python script.py foo --out bar', outs: ['bar'], deps: ['foo'], frozen: true },
  stage2: { cmd: 'echo foo bar' },
};
const DATA = { models: { bar: 'bar', foo: 'foo' } };

// ---------------------------------------------------------------- test_foreach.py

test('test_foreach.py::test_with_simple_list_data', () => {
  const r = resolve({ 'dvc.yaml': { stages: { build: { foreach: ['foo', 'bar', 'baz'], do: { cmd: 'echo ${item}' } } } } });
  assert.deepEqual(r.stages, { 'build@foo': { cmd: 'echo foo' }, 'build@bar': { cmd: 'echo bar' }, 'build@baz': { cmd: 'echo baz' } });
  assert.deepEqual(r.values, {}, 'item and key leave nothing behind');
});

test('test_foreach.py::test_with_dict_data', () => {
  const r = resolve({ 'dvc.yaml': { stages: { build: { foreach: { model1: 'foo', model2: 'bar' }, do: { cmd: 'echo ${key} ${item}' } } } } });
  assert.deepEqual(r.stages, { 'build@model1': { cmd: 'echo model1 foo' }, 'build@model2': { cmd: 'echo model2 bar' } });
  assert.deepEqual(r.values, {});
});

test('test_foreach.py::test_with_dict_with_non_str_keys', () => {
  const r = resolve({ 'dvc.yaml': 'stages:\n  build:\n    foreach:\n      2021: {thresh: foo}\n      2022: {thresh: bar}\n    do:\n      cmd: echo ${key} ${item.thresh}\n' });
  assert.deepEqual(r.stages, { 'build@2021': { cmd: 'echo 2021 foo' }, 'build@2022': { cmd: 'echo 2022 bar' } });
});

test('test_foreach.py::test_with_composite_list', () => {
  const r = resolve({ 'dvc.yaml': { stages: { build: { foreach: [{ thresh: 'foo' }, { thresh: 'bar' }], do: { cmd: 'echo ${item.thresh}' } } } } });
  assert.deepEqual(r.stages, { 'build@0': { cmd: 'echo foo' }, 'build@1': { cmd: 'echo bar' } });
  assert.deepEqual(r.values, {});
});

test('test_foreach.py::test_foreach_interpolated_simple_list', () => {
  const r = resolve({ 'dvc.yaml': { vars: [{ models: ['foo', 'bar', 'baz'] }], stages: { build: { foreach: '${models}', do: { cmd: 'echo ${item}' } } } } });
  assert.deepEqual(r.stages, { 'build@foo': { cmd: 'echo foo' }, 'build@bar': { cmd: 'echo bar' }, 'build@baz': { cmd: 'echo baz' } });
  assert.deepEqual(r.values, { models: ['foo', 'bar', 'baz'] });
});

for (const foreachDef of ['${item.thresh}', '${item[thresh]}']) {
  const cases: [string, unknown, Data][] = [
    ['dict', { model1: { thresh: 'foo' }, model2: { thresh: 'bar' } }, { 'build@model1': { cmd: 'echo foo' }, 'build@model2': { cmd: 'echo bar' } }],
    ['list', [{ thresh: 'foo' }, { thresh: 'bar' }], { 'build@0': { cmd: 'echo foo' }, 'build@1': { cmd: 'echo bar' } }],
  ];
  for (const [kind, data, result] of cases) {
    test(`test_foreach.py::test_foreach_interpolate_with_composite_data[${kind}-${foreachDef}]`, () => {
      const r = resolve({ 'dvc.yaml': { vars: [{ models: data }], stages: { build: { foreach: '${models}', do: { cmd: `echo ${foreachDef}` } } } } });
      assert.deepEqual(r.stages, result);
      assert.deepEqual(r.values, { models: data });
    });
  }
}

// DVC's next two tests also assert tracked_vars (params DVC writes to dvc.lock); pipewright
// records the resolved command instead, so only the resolution is ported.
test('test_foreach.py::test_params_file_with_dict_tracked', () => {
  const models = { model1: { thresh: 'foo' }, model2: { thresh: 'bar' } };
  const r = resolve({ 'params.yaml': { models }, 'dvc.yaml': { stages: { build: { foreach: '${models}', do: { cmd: 'echo ${item.thresh}' } } } } });
  assert.deepEqual(r.stages, { 'build@model1': { cmd: 'echo foo' }, 'build@model2': { cmd: 'echo bar' } });
  assert.deepEqual(r.values, { models });
});

test('test_foreach.py::test_params_file_tracked_for_composite_list', () => {
  const models = [{ thresh: 'foo' }, { thresh: 'bar' }];
  const r = resolve({ 'params.yaml': { models }, 'dvc.yaml': { stages: { build: { foreach: '${models}', do: { cmd: 'echo ${item.thresh}' } } } } });
  assert.deepEqual(r.stages, { 'build@0': { cmd: 'echo foo' }, 'build@1': { cmd: 'echo bar' } });
  assert.deepEqual(r.values, { models });
});

test('test_foreach.py::test_foreach_data_from_nested_vars', () => {
  const vars = { models: { lst: [{ thresh: 10 }, { thresh: 15 }] } };
  const r = resolve({ 'dvc.yaml': { vars: [vars], stages: { build: { foreach: '${models.lst}', do: { cmd: 'echo ${item.thresh}' } } } } });
  assert.deepEqual(r.stages, { 'build@0': { cmd: 'echo 10' }, 'build@1': { cmd: 'echo 15' } });
  assert.deepEqual(r.values, vars);
});

test('test_foreach.py::test_foreach_partial_interpolations', () => {
  const r = resolve({ 'dvc.yaml': { vars: [{ bar: 'bar' }], stages: { build: { foreach: { model1: 'foo', model2: '${bar}' }, do: { cmd: 'echo ${item}' } } } } });
  assert.deepEqual(r.stages, { 'build@model1': { cmd: 'echo foo' }, 'build@model2': { cmd: 'echo bar' } });
  assert.deepEqual(r.values, { bar: 'bar' });
});

test('test_foreach.py::test_mixed_vars_for_foreach_data', () => {
  const r = resolve({
    'params.yaml': { models: { model1: 'foo' } },
    'test_params.yaml': { models: { model2: 'bar' } },
    'dvc.yaml': { vars: ['test_params.yaml'], stages: { build: { foreach: '${models}', do: { cmd: 'echo ${item}' } } } },
  });
  assert.deepEqual(r.stages, { 'build@model1': { cmd: 'echo foo' }, 'build@model2': { cmd: 'echo bar' } });
  assert.deepEqual(r.values, { models: { model1: 'foo', model2: 'bar' } });
});

test('test_foreach.py::test_mixed_vars_for_foreach_data_2', () => {
  const r = resolve({
    'params.yaml': { models: { model1: { thresh: 10 }, model2: { thresh: 15 } } },
    'test_params.yaml': { models: { model1: { epochs: 5 }, model2: { epochs: 10 } } },
    'dvc.yaml': { vars: ['test_params.yaml'], stages: { build: { foreach: '${models}', do: { cmd: 'echo ${item.thresh} ${item.epochs}' } } } },
  });
  assert.deepEqual(r.stages, { 'build@model1': { cmd: 'echo 10 5' }, 'build@model2': { cmd: 'echo 15 10' } });
  assert.deepEqual(r.values, { models: { model1: { thresh: 10, epochs: 5 }, model2: { thresh: 15, epochs: 10 } } });
});

test('test_foreach.py::test_foreach_with_interpolated_wdir', () => {
  const r = resolve({ 'data/dvc.yaml': { stages: { build: { foreach: ['foo', 'bar'], do: { wdir: '${item}', cmd: 'echo hello' } } } } }, 'data/dvc.yaml');
  // wdir stays relative to the dvc.yaml's folder: `foo`, not `data/foo`.
  assert.deepEqual(r.stages, { 'build@foo': { wdir: 'foo', cmd: 'echo hello' }, 'build@bar': { wdir: 'bar', cmd: 'echo hello' } });
  assert.deepEqual(r.values, {});
});

test('test_foreach.py::test_foreach_with_local_vars', () => {
  const r = resolve({ 'data/dvc.yaml': { stages: { build: { foreach: ['foo', 'bar'], do: { vars: [{ foobar: 'foobar' }], cmd: 'echo ${item} ${foobar}' } } } } }, 'data/dvc.yaml');
  assert.deepEqual(r.stages, { 'build@foo': { cmd: 'echo foo foobar' }, 'build@bar': { cmd: 'echo bar foobar' } });
  assert.deepEqual(r.values, {}, 'a stage\'s vars stay in the stage');
});

for (const localImport of ['test_params.yaml', 'test_params.yaml:train', 'test_params.yaml:train,prepare']) {
  test(`test_foreach.py::test_foreach_with_imported_vars[${localImport}]`, () => {
    const r = resolve({
      'params.yaml': { models: { model1: { thresh: 'foo' } } },
      'test_params.yaml': { train: { epochs: 10 }, prepare: { nums: 25 } },
      'dvc.yaml': { stages: { build: { foreach: ['foo', 'bar'], do: { vars: [localImport], cmd: 'echo ${item} ${train.epochs}' } } } },
    });
    assert.deepEqual(r.stages, { 'build@foo': { cmd: 'echo foo 10' }, 'build@bar': { cmd: 'echo bar 10' } });
    assert.deepEqual(r.values, { models: { model1: { thresh: 'foo' } } });
  });
}

for (const localImport of ['params.yaml', 'params.yaml:train,prepare']) {
  test(`test_foreach.py::test_foreach_with_interpolated_wdir_and_local_vars[${localImport}]`, () => {
    const files: Files = {
      'params.yaml': { models: { model1: { thresh: 'foo' } } },
      'dvc.yaml': { stages: { build: { foreach: [0, 1, 2, 3, 4], do: { wdir: 'model-${item}', vars: [localImport], cmd: 'echo ${item} ${train.epochs} ${prepare.nums}' } } } },
    };
    for (let i = 0; i < 5; i++) files[`model-${i}/params.yaml`] = { train: { epochs: 1 + i }, prepare: { nums: 10 * i } };
    const r = resolve(files);
    assert.deepEqual(r.stages, {
      'build@0': { wdir: 'model-0', cmd: 'echo 0 1 0' },
      'build@1': { wdir: 'model-1', cmd: 'echo 1 2 10' },
      'build@2': { wdir: 'model-2', cmd: 'echo 2 3 20' },
      'build@3': { wdir: 'model-3', cmd: 'echo 3 4 30' },
      'build@4': { wdir: 'model-4', cmd: 'echo 4 5 40' },
    });
    assert.deepEqual(r.values, { models: { model1: { thresh: 'foo' } } });
  });
}

// Not ported, as they test no behaviour: test_foreach.py::test_foreach_do_syntax_is_checked_once
// (asserts with a mock that an internal check runs once; a syntax error in `do` is covered by
// test_errors.py::test_foreach_do_syntax_errors) and test_foreach.py::test_foreach_data_is_only_resolved_once
// (asserts with a spy that an internal step runs once).

// ---------------------------------------------------------------- test_matrix.py

const MATRIX_DATA = {
  os: ['win', 'linux'],
  pyv: [3.7, 3.8],
  dict: [{ arg1: 1 }, { arg2: 2 }],
  list: [['out1', 'out11'], ['out2', 'out22']],
};
const MATRIX_INTERPOLATED = { os: '${os}', pyv: '${pyv}', dict: '${dict}', list: '${list}' };
const MATRIX_KEYS = ['win', 'linux'].flatMap((os) => ['3.7', '3.8'].flatMap((pyv) => ['dict0', 'dict1'].flatMap((d) => ['list0', 'list1'].map((l) => `${os}-${pyv}-${d}-${l}`))));

for (const [id, matrix] of [['literal', MATRIX_DATA], ['interpolated', MATRIX_INTERPOLATED]] as const) {
  test(`test_matrix.py::test_matrix_interpolated[${id}]`, () => {
    const r = resolve({ 'params.yaml': MATRIX_DATA, 'dvc.yaml': { stages: { build: { matrix, cmd: 'echo ${item.os} ${item.pyv} ${item.dict} -- ${item.list.0} ${item.list.1}' } } } });
    const expected = Object.fromEntries(MATRIX_KEYS.map((key) => {
      const [os, pyv, d, l] = key.split('-') as [string, string, string, string];
      const args = d === 'dict0' ? '--arg1 1' : '--arg2 2';
      const outs = l === 'list0' ? 'out1 out11' : 'out2 out22';
      return [`build@${key}`, { cmd: `echo ${os} ${pyv} ${args} -- ${outs}` }];
    }));
    assert.deepEqual(r.stages, expected);
    assert.deepEqual(Object.keys(r.stages), Object.keys(expected), 'in DVC\'s order');
  });

  test(`test_matrix.py::test_matrix_key_present[${id}]`, () => {
    const r = resolve({ 'params.yaml': MATRIX_DATA, 'dvc.yaml': { stages: { build: { matrix, cmd: 'echo ${key}' } } } });
    assert.deepEqual(r.stages, Object.fromEntries(MATRIX_KEYS.map((key) => [`build@${key}`, { cmd: `echo ${key}` }])));
  });
}

// ---------------------------------------------------------------- test_interpolated_entry.py
// DVC's tests here also assert tracked_vars; see the note above test_params_file_with_dict_tracked.

test('test_interpolated_entry.py::test_simple', () => {
  const r = resolve({ 'params.yaml': CONTEXT_DATA, 'dvc.yaml': TEMPLATED_DVC_YAML_DATA });
  assert.deepEqual(r.stages, RESOLVED_DVC_YAML_DATA);
});

test('test_interpolated_entry.py::test_vars_import', () => {
  const r = resolve({ 'params2.yaml': CONTEXT_DATA, 'dvc.yaml': { vars: ['params2.yaml'], ...TEMPLATED_DVC_YAML_DATA } });
  assert.deepEqual(r.stages, RESOLVED_DVC_YAML_DATA);
});

test('test_interpolated_entry.py::test_vars_and_params_import', () => {
  const r = resolve({
    'params.yaml': { dict: { bar: 'bar' } },
    'dvc.yaml': { vars: ['params.yaml', { dict: { foo: 'foobar' } }], stages: { stage1: { cmd: 'echo ${dict.foo} ${dict.bar}' } } },
  });
  assert.deepEqual(r.stages, { stage1: { cmd: 'echo foobar bar' } });
});

test('test_interpolated_entry.py::test_stage_with_wdir', () => {
  const r = resolve({
    'params.yaml': { dict: { bar: 'bar' } },
    'data/params.yaml': { dict: { foo: 'foo' } },
    'dvc.yaml': { stages: { stage1: { cmd: 'echo ${dict.foo} ${dict.bar}', params: ['value1'], wdir: 'data', vars: ['params.yaml'] } } },
  });
  assert.deepEqual(r.stages, { stage1: { cmd: 'echo foo bar', wdir: 'data', params: ['value1'] } });
});

test('test_interpolated_entry.py::test_with_templated_wdir', () => {
  const r = resolve({
    'params.yaml': { dict: { bar: 'bar', ws: 'data' } },
    'data/params.yaml': { dict: { foo: 'foo' } },
    'dvc.yaml': { stages: { stage1: { cmd: 'echo ${dict.foo} ${dict.bar}', params: ['value1'], wdir: '${dict.ws}', vars: ['params.yaml'] } } },
  });
  assert.deepEqual(r.stages, { stage1: { cmd: 'echo foo bar', wdir: 'data', params: ['value1'] } });
  assert.deepEqual(r.values, { dict: { bar: 'bar', ws: 'data' } });
});

test('test_interpolated_entry.py::test_resolve_local_tries_to_load_globally_used_files', () => {
  const r = resolve({
    'params.json': { bar: 'bar', foo: 'foo' },
    'dvc.yaml': { vars: ['params.json'], stages: { build: { cmd: 'command --value ${bar}', params: [{ 'params.json': ['foo'] }], vars: ['params.json'] } } },
  });
  assert.deepEqual(r.stages, { build: { cmd: 'command --value bar', params: [{ 'params.json': ['foo'] }] } });
});

test('test_interpolated_entry.py::test_resolve_local_tries_to_load_globally_used_params_yaml', () => {
  const r = resolve({
    'params.yaml': { bar: 'bar', foo: 'foo' },
    'dvc.yaml': { stages: { build: { cmd: 'command --value ${bar}', params: [{ 'params.yaml': ['foo'] }], vars: ['params.yaml'] } } },
  });
  assert.deepEqual(r.stages, { build: { cmd: 'command --value bar', params: [{ 'params.yaml': ['foo'] }] } });
});

test('test_interpolated_entry.py::test_vars_relpath_overwrite', () => {
  // `../params.yaml` from wdir `data` is the params.yaml already loaded: not loaded twice (which would be a redefinition).
  const r = resolve({
    'params.yaml': { bar: 'bar', foo: 'foo' },
    'dvc.yaml': { vars: ['params.yaml'], stages: { build: { wdir: 'data', cmd: 'echo ${bar}', vars: ['../params.yaml'] } } },
  });
  assert.deepEqual(r.stages, { build: { wdir: 'data', cmd: 'echo bar' } });
});

for (const local of [true, false]) {
  for (const vars of [['test_params.yaml:bar', 'test_params.yaml:foo'], ['test_params.yaml:foo,bar'], ['test_params.yaml'], ['test_params.yaml', 'test_params.yaml']]) {
    test(`test_interpolated_entry.py::test_vars_load_partial[${vars.join('|')}-${local}]`, () => {
      const stage: Data = { cmd: 'echo ${bar}', ...(local ? { vars } : {}) };
      const r = resolve({ 'test_params.yaml': { bar: 'bar', foo: 'foo' }, 'dvc.yaml': { ...(local ? {} : { vars }), stages: { build: stage } } });
      assert.deepEqual(r.stages, { build: { cmd: 'echo bar' } });
    });
  }
}

for (const [boolConfig, listConfig] of [[undefined, undefined], ['store_true', 'nargs'], ['boolean_optional', 'append']] as const) {
  test(`test_interpolated_entry.py::test_cmd_dict[${boolConfig ?? 'None'}-${listConfig ?? 'None'}]`, () => {
    const mixed = `quote"'d`;
    const quotedMixed = `'quote"'"'"'d'`; // Python's shlex.quote(mixed)
    const config = ['[core]', ...(boolConfig || listConfig ? ['[parsing]'] : []), ...(boolConfig ? [`    bool = ${boolConfig}`] : []), ...(listConfig ? [`    list = ${listConfig}`] : [])].join('\n') + '\n';
    const r = resolve({
      '.dvc/config': config,
      'params.yaml': { dict: { foo: 'foo', bar: 2, string: 'spaced string', mixed_quote_string: mixed, bool: true, 'bool-false': false, list: [1, 2, 'foo', mixed], nested: { foo: 'foo' } } },
      'dvc.yaml': { stages: { stage1: { cmd: 'python script.py ${dict}' } } },
    });
    const bools = boolConfig === 'boolean_optional' ? ' --bool --no-bool-false' : ' --bool';
    const lists = listConfig === 'append' ? ` --list 1 --list 2 --list foo --list ${quotedMixed}` : ` --list 1 2 foo ${quotedMixed}`;
    assert.deepEqual(r.stages, {
      stage1: { cmd: `python script.py --foo foo --bar 2 --string 'spaced string' --mixed_quote_string ${quotedMixed}${bools}${lists} --nested.foo foo` },
    });
  });
}

// ---------------------------------------------------------------- test_resolver.py

test('test_resolver.py::test_resolver', () => {
  const r = resolve({ 'dvc.yaml': { vars: [CONTEXT_DATA], ...TEMPLATED_DVC_YAML_DATA } });
  assert.deepEqual(r.stages, RESOLVED_DVC_YAML_DATA);
});

test('test_resolver.py::test_default_params_file_not_exist', () => {
  assert.deepEqual(resolve({ 'dvc.yaml': { vars: [DATA.models] } }).values, DATA.models);
});

test('test_resolver.py::test_no_params_yaml_and_vars', () => {
  assert.deepEqual(resolve({ 'dvc.yaml': {} }).values, {});
});

test('test_resolver.py::test_local_vars', () => {
  assert.deepEqual(resolve({ 'dvc.yaml': { vars: [{ foo: 'bar', bar: 'foo' }] } }).values, { foo: 'bar', bar: 'foo' });
});

for (const [id, vars] of [['file', '${file}_params.yaml'], ['dict', { foo: '${foo}' }]] as const) {
  test(`test_resolver.py::test_vars_interpolation_errors[${id}]`, async () => {
    await refuses({ 'dvc.yaml': { vars: [vars, { bar: 'foo' }] } }, /`vars`: interpolating is not allowed/);
  });
}

for (const [id, d] of [['no vars', {}], ['empty vars', { vars: [] }], ['params.yaml', { vars: ['params.yaml'] }]] as const) {
  test(`test_resolver.py::test_default_params_file[${id}]`, () => {
    assert.deepEqual(resolve({ 'params.yaml': DATA, 'dvc.yaml': d }).values, DATA);
  });
}

test('test_resolver.py::test_load_vars_from_file', () => {
  const r = resolve({ 'params.yaml': DATA, 'params.json': { datasets: ['foo', 'bar'] }, 'dvc.yaml': { vars: ['params.yaml', 'params.json'] } });
  assert.deepEqual(r.values, { ...DATA, datasets: ['foo', 'bar'] });
});

// DVC's test also reads the file at git HEAD through its brancher; pipewright reads the work tree only.
test('test_resolver.py::test_load_vars_with_relpath', () => {
  const r = resolve({ 'params.yaml': DATA, 'subdir/dvc.yaml': { vars: ['../params.yaml'] } }, 'subdir/dvc.yaml');
  assert.deepEqual(r.values, DATA);
});

test('test_resolver.py::test_partial_vars_doesnot_exist', async () => {
  await refuses({ 'test_params.yaml': { sub1: 'sub1' }, 'dvc.yaml': { vars: ['test_params.yaml:sub2'] } }, /`vars`: could not find 'sub2' in 'test_params.yaml'/);
});

test('test_resolver.py::test_global_overwrite_error_on_imports', async () => {
  await refuses({ 'params.yaml': DATA, 'params.json': DATA, 'dvc.yaml': { vars: ['params.yaml', 'params.json'] } },
    /cannot redefine 'models\.bar' from 'params\.json' as it already exists in 'params\.yaml'/);
});

test('test_resolver.py::test_global_overwrite_vars', async () => {
  await refuses({ 'params.yaml': DATA, 'dvc.yaml': { vars: [DATA] } }, /cannot redefine 'models\.bar' from 'vars\[0\]' as it already exists in 'params\.yaml'/);
});

test('test_resolver.py::test_local_declared_vars_overwrite', async () => {
  await refuses({ 'params.yaml': DATA, 'dvc.yaml': { vars: [DATA.models, DATA.models] } }, /cannot redefine 'bar' from 'vars\[1\]' as it already exists in 'vars\[0\]'/);
});

test('test_resolver.py::test_specified_params_file_not_exist', async () => {
  await refuses({ 'dvc.yaml': { vars: ['not_existing_params.yaml'] } }, /vars file not_existing_params\.yaml not found/);
});

for (const local of [true, false]) {
  for (const vars of [['test_params.yaml', 'test_params.yaml:sub1'], ['test_params.yaml:sub1', 'test_params.yaml'], ['test_params.yaml:sub1', 'test_params.yaml:sub1,sub2']]) {
    test(`test_resolver.py::test_vars_already_loaded_message[${vars.join('|')}-${local}]`, async () => {
      const stage: Data = { cmd: 'echo ${sub1} ${sub2}', ...(local ? { vars } : {}) };
      await refuses({ 'test_params.yaml': { sub1: 'sub1', sub2: 'sub2' }, 'dvc.yaml': { ...(local ? {} : { vars }), stages: { build: stage } } }, /partially/);
    });
  }
}

for (const [vars, loc] of [[DATA, 'build.vars[0]'], ['params.json', 'params.json']] as const) {
  test(`test_resolver.py::test_local_overwrite_error[${loc}]`, async () => {
    await refuses({ 'params.yaml': DATA, 'params.json': DATA, 'dvc.yaml': { stages: { build: { cmd: 'echo ${models.foo}', vars: [vars] } } } },
      new RegExp(`stage "build": cannot redefine 'models\\.bar' from '${loc.replace(/[.[\]]/g, '\\$&')}' as it already exists in 'params\\.yaml'`));
  });
}

// ---------------------------------------------------------------- test_top_level.py

test('test_top_level.py::test_params', () => {
  const r = resolve({ 'params.yaml': { params: { param1: 'params.json', param2: 'params.toml' } }, 'dvc.yaml': { params: ['${params.param1}', 'param11', '${params.param2}'] } });
  assert.deepEqual(r.params, ['params.json', 'param11', 'params.toml']);
});

test('test_top_level.py::test_metrics', () => {
  const r = resolve({ 'params.yaml': { metrics: { metric1: 'metrics.json', metric2: 'metrics.toml' } }, 'dvc.yaml': { metrics: ['${metrics.metric1}', 'metric11', '${metrics.metric2}'] } });
  assert.deepEqual(r.metrics, ['metrics.json', 'metric11', 'metrics.toml']);
});

test('test_top_level.py::test_plots', () => {
  const r = resolve({
    'params.yaml': { plots: { x_cls: 'actual_class', y_train_cls: 'predicted_class', y_test_cls: 'predicted_class2', plot1_name: 'eval/importance1.png', plot3_name: 'eval/importance3.png', plot5_name: 'eval/importance5.png' } },
    'dvc.yaml': {
      plots: [
        {
          '${plots.plot1_name}': {
            x: '${plots.x_cls}',
            y: { 'train_classes.csv': '${plots.y_train_cls}', 'test_classes.csv': ['${plots.y_train_cls}', '${plots.y_test_cls}'] },
            title: 'Compare test vs train confusion matrix', template: 'confusion', x_label: 'Actual class', y_label: 'Predicted class',
          },
        },
        { 'eval/importance2.png': null },
        { '${plots.plot3_name}': null },
        'eval/importance4.png',
        '${plots.plot5_name}',
      ],
    },
  });
  assert.deepEqual(r.plots, [
    {
      'eval/importance1.png': {
        x: 'actual_class',
        y: { 'train_classes.csv': 'predicted_class', 'test_classes.csv': ['predicted_class', 'predicted_class2'] },
        title: 'Compare test vs train confusion matrix', template: 'confusion', x_label: 'Actual class', y_label: 'Predicted class',
      },
    },
    { 'eval/importance2.png': null },
    { 'eval/importance3.png': null },
    'eval/importance4.png',
    'eval/importance5.png',
  ]);
});

test('test_top_level.py::test_artifacts', () => {
  const r = resolve({
    'params.yaml': { artifacts: { name: 'cv-classification', path: 'models/resnet.pt', label1: 'resnet50', label2: 'classification', framework: 'pytorch' } },
    'dvc.yaml': {
      artifacts: {
        '${artifacts.name}': {
          path: '${artifacts.path}', type: 'model', desc: 'CV classification model, ResNet50',
          labels: ['${artifacts.label1}', '${artifacts.label2}'], meta: { framework: '${artifacts.framework}' },
        },
      },
    },
  });
  assert.deepEqual(r.artifacts, {
    'cv-classification': { path: 'models/resnet.pt', type: 'model', desc: 'CV classification model, ResNet50', labels: ['resnet50', 'classification'], meta: { framework: 'pytorch' } },
  });
});

test('test_top_level.py::test_datasets', () => {
  const r = resolve({
    'params.yaml': {
      ds1: { name: 'dogs', url: 'dc://dogs' },
      ds2: { name: 'example-get-started', url: 'git@github.com:iterative/example-get-started.git', path: 'path' },
      ds3: { name: 'cloud-versioning-demo', url: 's3://cloud-versioning-demo' },
    },
    'dvc.yaml': {
      datasets: [
        { name: '${ds1.name}', url: '${ds1.url}', type: 'dc' },
        { name: '${ds2.name}', url: '${ds2.url}', type: 'dvc', path: '${ds2.path}' },
        { name: '${ds3.name}', url: '${ds3.url}', type: 'url' },
      ],
    },
  });
  assert.deepEqual(r.datasets, [
    { name: 'dogs', url: 'dc://dogs', type: 'dc' },
    { name: 'example-get-started', url: 'git@github.com:iterative/example-get-started.git', type: 'dvc', path: 'path' },
    { name: 'cloud-versioning-demo', url: 's3://cloud-versioning-demo', type: 'url' },
  ]);
});

// ---------------------------------------------------------------- test_errors.py

/** DVC's make_entry_definition: one stage `build`, the hand-built Context given as a vars mapping. */
const entry = (definition: Data, context?: Data): Files => ({ 'dvc.yaml': { ...(context ? { vars: [context] } : {}), stages: { build: definition } } });
const foreach = (data: unknown, doData: Data, context?: Data): Files => entry({ foreach: data, do: doData }, context);

for (const [id, vars] of [['file', '${file}_params.yaml'], ['dict', { foo: '${foo}' }]] as const) {
  test(`test_errors.py::test_vars_interpolation_errors[${id}]`, async () => {
    await refuses(entry({ vars: [vars], cmd: 'echo' }), /stage "build" vars: interpolating is not allowed/);
  });
}

test('test_errors.py::test_failed_to_interpolate', async () => {
  await refuses(entry({ cmd: 'echo ${models.foo.}' }, { models: { foo: 'bar' } }), /stage "build" cmd: cannot read \$\{models\.foo\.\}: unexpected "\." at character 13/);
});

test('test_errors.py::test_local_vars_params_file_not_exist', async () => {
  await refuses(entry({ vars: ['not_existing_params.yaml'], cmd: 'echo ${models.foo}' }), /stage "build": vars file not_existing_params\.yaml not found/);
});

test('test_errors.py::test_specified_key_does_not_exist', async () => {
  await refuses(entry({ cmd: 'echo ${models.foobar}' }, { models: { foo: 'foo' } }), /stage "build" cmd: .*could not find 'models\.foobar'/);
});

for (const [wdir, message] of [
  ['${models[foobar]}', /stage "build" wdir: .*could not find 'models\.foobar'/],
  ['${models.foo]}', /stage "build" wdir: cannot read \$\{models\.foo\]\}: unexpected "\]" at character 13/],
] as const) {
  test(`test_errors.py::test_wdir_failed_to_interpolate[${wdir}]`, async () => {
    await refuses(entry({ wdir, cmd: 'echo ${models.bar}' }, { models: { bar: 'bar' } }), message);
  });
}

test('test_errors.py::test_interpolate_non_string', async () => {
  await refuses(entry({ cmd: 'echo', outs: '${models}' }, { models: {} }), /stage "build" outs: \$\{models\} is a dictionary, and DVC cannot interpolate a dictionary here/);
});

test('test_errors.py::test_interpolate_nested_iterable', async () => {
  await refuses(entry({ cmd: 'echo ${models}' }, { models: { list: [1, [2, 3]] } }), /stage "build" cmd: \$\{models\} holds a nested list or mapping in "list"/);
});

test('test_errors.py::test_partial_vars_doesnot_exist', async () => {
  await refuses({ 'test_params.yaml': { sub1: 'sub1', sub2: 'sub2' }, ...entry({ vars: ['test_params.yaml:sub3'], cmd: 'echo ${sub1} ${sub2}' }) },
    /stage "build": could not find 'sub3' in 'test_params\.yaml'/);
});

test('test_errors.py::test_foreach_data_syntax_error', async () => {
  await refuses(foreach('${syntax.[error}', {}), /stage "build" foreach: cannot read \$\{syntax\.\[error\}: unexpected "\." at character 9/);
});

for (const key of ['modelss', 'modelss.123']) {
  test(`test_errors.py::test_foreach_data_key_does_not_exists[${key}]`, async () => {
    await refuses(foreach(`\${${key}}`, {}), new RegExp(`stage "build" foreach: .*could not find '${key.replace('.', '\\.')}'`));
  });
}

for (const data of ['${foo}', '${dct.model1}', '${lst.0}', 'foobar']) {
  test(`test_errors.py::test_foreach_data_expects_list_or_dict[${data}]`, async () => {
    await refuses(foreach(data, { cmd: 'echo' }, { foo: 'bar', dct: { model1: 'a-out' }, lst: ['foo', 'bar'] }), /stage "build": `foreach` expects a list or a mapping, got text/);
  });
}

// DVC also logs a warning here; pipewright has no warnings channel at load time, so only the
// outcome is ported: the generated stages see their own item and key.
for (const [globalData, where] of [[{ item: 10, key: 10 }, 'item and key are'], [{ item: 10 }, 'item is'], [{ key: 5 }, 'key is']] as const) {
  test(`test_errors.py::test_foreach_overwriting_item_in_list[${where}]`, () => {
    const r = resolve(foreach({ model1: 10, model2: 5 }, { cmd: 'echo ${key} ${item}' }, globalData));
    assert.deepEqual(r.stages, { 'build@model1': { cmd: 'echo model1 10' }, 'build@model2': { cmd: 'echo model2 5' } });
    assert.deepEqual(r.values, globalData);
  });
}

test('test_errors.py::test_foreach_do_syntax_errors', async () => {
  await refuses(foreach(['foo', 'bar'], { cmd: 'echo ${syntax.[error}' }), /stage "build" cmd: cannot read \$\{syntax\.\[error\}: unexpected "\." at character 9/);
});

for (const [key, loc] of [['item.thresh', 'build@1'], ['foo.bar', 'build@0']] as const) {
  test(`test_errors.py::test_foreach_do_definition_item_does_not_exist[${key}]`, async () => {
    await refuses(foreach([{ thresh: '10' }, {}], { cmd: `\${${key}}` }, { foo: 'bar' }), new RegExp(`stage "${loc}" cmd: .*could not find '${key.replace('.', '\\.')}'`));
  });
}

for (const redefine of [{ item: 5 }, { key: 5 }, { item: 5, key: 10 }, { item: { epochs: 10 } }]) {
  for (const fromFile of [true, false]) {
    const keys = Object.keys(redefine);
    test(`test_errors.py::test_item_key_in_generated_stage_vars[${fromFile}-${JSON.stringify(redefine)}]`, async () => {
      const files: Files = foreach({ model1: { thresh: '10' }, model2: { thresh: 5 } }, { vars: [fromFile ? 'test_params.yaml' : redefine], cmd: '${item}' }, { foo: 'bar' });
      if (fromFile) files['test_params.yaml'] = redefine;
      const named = keys.length > 1 ? `keys ${keys.join(' and ')}` : `key ${keys[0]}`;
      await refuses(files, new RegExp(`stage "build@model1": attempted to modify reserved ${named}${fromFile ? " in 'test_params\\.yaml'" : ''}`));
    });
  }
}

test('test_errors.py::test_foreach_wdir_key_does_not_exist', async () => {
  await refuses(foreach('${models}', { wdir: '${ite}', cmd: 'echo ${item}' }, { models: ['foo', 'bar'] }), /stage "build@foo" wdir: .*could not find 'ite'/);
});

// ---------------------------------------------------------------- beyond DVC's tests
// Behaviour DVC has but its parser tests do not pin down, and how `.dvc/config` is read.

test('DVC refuses a list put into a string, in cmd too (only a mapping unpacks into options)', async () => {
  await refuses(entry({ cmd: 'echo ${models}' }, { models: ['a', 'b'] }), /stage "build" cmd: \$\{models\} is a list, and DVC cannot interpolate a list here/);
});

test('null is written as DVC writes it (Python\'s None); small floats as Python prints them', () => {
  const r = resolve(entry({ cmd: 'echo ${nothing} ${lr} ${big}' }, { nothing: null, lr: 0.00001, big: 0.5 }));
  assert.deepEqual(r.stages, { build: { cmd: 'echo None 1e-05 0.5' } });
});

test('a value listed twice in foreach names one stage, as in DVC', () => {
  const r = resolve(foreach(['a', 'b', 'a'], { cmd: 'echo ${item}' }));
  assert.deepEqual(Object.keys(r.stages), ['build@a', 'build@b']);
});

test('.dvc/config: section and key names in any case, quoted values, # comments; config.local wins', () => {
  const files = (local?: string): Files => ({
    '.dvc/config': "[core]\n    remote = storage\n['remote \"storage\"']\n    url = s3://bucket\n[Parsing]  # how dicts unpack\n    BOOL = \"Boolean_Optional\"\n    list = append # one flag per item\n",
    ...(local ? { '.dvc/config.local': local } : {}),
    'params.yaml': { opts: { fast: false, n: [1, 2] } },
    'dvc.yaml': { stages: { build: { cmd: 'run ${opts}' } } },
  });
  assert.deepEqual(resolve(files()).stages, { build: { cmd: 'run --no-fast --n 1 --n 2' } });
  assert.deepEqual(resolve(files('[parsing]\n  list = nargs\n')).stages, { build: { cmd: 'run --no-fast --n 1 2' } });
});

test('.dvc/config is found above a dvc.yaml in a subfolder', () => {
  const r = resolve({ '.dvc/config': '[parsing]\nbool = boolean_optional\n', 'sub/params.yaml': { o: { x: false } }, 'sub/dvc.yaml': { stages: { s: { cmd: 'run ${o}' } } } }, 'sub/dvc.yaml');
  assert.deepEqual(r.stages, { s: { cmd: 'run --no-x' } });
});

for (const [id, line, message] of [
  ['an unknown value', 'bool = yes', /parsing\.bool is "yes"; DVC accepts store_true or boolean_optional/],
  ['a ; comment (configobj has none)', 'bool = store_true ; note', /parsing\.bool is "store_true ; note"/],
  ['a list', 'list = nargs, append', /parsing\.list is a list/],
  ['an unknown option', 'dict = flat', /DVC's config has no option parsing\.dict/],
] as const) {
  test(`.dvc/config: [parsing] with ${id} is refused, naming the config's line`, async () => {
    const p = make({ '.dvc/config': `[core]\n    autostage = true\n[parsing]\n    ${line}\n`, 'dvc.yaml': { stages: { build: { cmd: 'echo' } } } });
    assert.throws(() => resolveDvcFile(p.path('dvc.yaml')), (err: unknown) =>
      isPipelineError(err) && message.test(err.message) && err.where?.file.endsWith('.dvc/config') === true && err.where.line === 4);
    const cli = await p.run('list');
    assert.equal(cli.code, 2);
    assert.match(cli.stderr, /\.dvc\/config:4:5: /);
  });
}

test('a changed vars file or .dvc/config reruns the stages it templates (the no-op check reads them)', async () => {
  const p = make({
    '.dvc/config': '[core]\n',
    'models.yaml': { greeting: 'hello' },
    'dvc.yaml': { vars: ['models.yaml'], stages: { say: { cmd: 'echo ${greeting} ${flags} > said.txt', outs: ['said.txt'] } } },
    'params.yaml': { flags: { loud: false } },
  });
  // Each second run finds everything up to date and records it: the next run may answer from that record.
  const runTwice = async () => {
    assert.equal((await p.run('run')).code, 0);
    assert.match((await p.run('run')).stdout, /up to date/);
  };
  await runTwice();
  assert.equal(p.read('said.txt'), 'hello\n');
  p.write({ 'models.yaml': 'greeting: bye\n' });
  await runTwice();
  assert.equal(p.read('said.txt'), 'bye\n');
  p.write({ '.dvc/config': '[parsing]\nbool = boolean_optional\n' });
  await runTwice();
  assert.equal(p.read('said.txt'), 'bye --no-loud\n');
});

test('-S sets a key of params.yaml before templating, as `dvc exp run -S` does', async () => {
  const p = make({
    'params.yaml': { train: { lr: 0.5 } },
    'dvc.yaml': { stages: { fit: { cmd: 'echo ${train.lr} > lr.txt', params: ['train.lr'], outs: ['lr.txt'] } } },
  });
  const result = await p.run('run', '-S', 'train.lr=0.1');
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.equal(p.read('lr.txt'), '0.1\n');
  assert.equal((await p.run('run')).code, 0);
  assert.equal(p.read('lr.txt'), '0.5\n');
});
