/**
 * A pipewright pipeline written out as a dvc.yaml (and params.yaml) that DVC itself can run, the
 * way ZnTrack's `write_graph` does: a team keeps DVC's tools (`dvc repro`, Studio, the VS Code
 * extension) while its stages are written in TypeScript.
 *
 * - A TS stage (and a collector) becomes `cmd: npx pipewright exec STAGE -S STAGE.key=${STAGE.key}`:
 *   its params live in params.yaml under the stage's name, and DVC inserts them into the command,
 *   so editing params.yaml (or `dvc exp run -S`) changes what runs. Its deps are the pipeline file,
 *   the local modules its code imports, its declared deps and the outs it reads.
 * - A cmd stage of pipewright.yaml keeps its command, `${params.x.y}` rewritten to DVC's `${x.y}`.
 * - A sweep becomes a `matrix` (a pure grid) or a `foreach` over its instances keyed by
 *   pipewright's instance suffix (random draws), so DVC names them `train@lr=0.0123,depth=4`.
 *
 * What DVC cannot express is refused with a PipelineError saying what and why; nothing here
 * writes files (the command does).
 */
import { existsSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { PipelineError } from '../errors.js';
import type { PipelineGraph } from '../graph/graph.js';
import { writtenPaths, type ResolvedStage } from '../graph/resolve.js';
import type { PathDeclaration, StageDeclaration } from './declaration.js';
import { DVC_STAGE_NAME, dimensionName, dvcText, isPureGrid, matrixOptions, sameText } from './dvc-spelling.js';
import { flattenParams, lookupPath, setPath } from './interpolate.js';
import type { StageYaml } from './yaml-pipeline.js';
import { displayPath, readYamlSource } from './yaml-source.js';

/** What is written: dvc.yaml's content, and params.yaml's when the pipeline's params live nowhere else. */
export interface DvcExport {
  readonly dvcYaml: Record<string, unknown>;
  /** Undefined when DVC reads the project's own params.yaml (a pipewright.yaml pipeline), or no stage has params. */
  readonly params?: Record<string, unknown>;
}

export interface ExportOptions {
  /** Absolute folder dvc.yaml is written to; stages get `wdir:` back to the project root when it is elsewhere. */
  readonly outDir: string;
  /** Stages left out (a custom search DVC cannot run, say); nothing exported may read from them. */
  readonly skip?: readonly string[];
  /** The local source files a TS stage's code is made of, root-relative (code-identity.ts finds them). */
  readonly codeFiles: (stage: StageDeclaration) => Promise<readonly string[]>;
}

/** The command DVC runs for a TS stage. `npx` finds the project's own pipewright. */
export const EXEC_COMMAND = 'npx pipewright exec';

type Entry = Record<string, unknown>;

export async function exportDvc(graph: PipelineGraph, options: ExportOptions): Promise<DvcExport> {
  const declaration = graph.declaration;
  const root = declaration.root;
  if (declaration.file.endsWith('dvc.yaml')) {
    throw notExportable(`${displayPath(declaration.file)} is a dvc.yaml already`, 'DVC runs it as it is; export writes pipewright.ts and pipewright.yaml pipelines out');
  }
  const skip = new Set(options.skip ?? []);
  for (const name of skip) {
    if (!declaration.stages.some((s) => s.name === name)) throw new PipelineError('unknown-stage', `--skip ${name}: no stage of that name`);
  }
  const stages = declaration.stages.filter((s) => !skip.has(s.name));
  for (const stage of stages) checkExportable(graph, stage, skip);

  const rawStages = declaration.format === 'yaml' ? rawYamlStages(declaration.file) : {};
  const context: Context = {
    graph,
    root,
    outDir: options.outDir,
    toRoot: posixRelative(options.outDir, root),
    pipelineFile: posixRelative(root, declaration.file),
    params: {},
    topPlots: [],
  };
  const dvcStages: Record<string, Entry> = {};
  for (const stage of stages) {
    const raw = rawStages[stage.name];
    dvcStages[stage.name] = stage.kind === 'cmd' && declaration.format === 'yaml' && raw
      ? commandStage(context, stage, raw)
      : execStage(context, stage, stage.builtin ? [] : await options.codeFiles(stage));
  }

  const dvcYaml: Record<string, unknown> = {};
  // A pipewright.yaml's params stay in the project's params.yaml: read from beside dvc.yaml, or
  // through `vars` when dvc.yaml is written elsewhere (DVC reads `${...}` from params.yaml and vars).
  const ownParams = declaration.format === 'yaml';
  if (ownParams && context.toRoot && existsSync(join(root, 'params.yaml'))) dvcYaml.vars = [posix.join(context.toRoot, 'params.yaml')];
  dvcYaml.stages = dvcStages;
  if (ownParams && !context.toRoot) {
    const top = readYamlSource(declaration.file).data as Record<string, unknown>;
    if (Array.isArray(top.metrics)) dvcYaml.metrics = top.metrics;
    if (Array.isArray(top.plots)) dvcYaml.plots = top.plots;
  } else if (declaration.metricsFiles?.length) {
    dvcYaml.metrics = declaration.metricsFiles.map((m) => fromOutDir(context, m));
  }
  if (context.topPlots.length) dvcYaml.plots = [...((dvcYaml.plots as unknown[] | undefined) ?? []), ...context.topPlots];
  return { dvcYaml, ...(ownParams || !Object.keys(context.params).length ? {} : { params: context.params }) };
}

interface Context {
  readonly graph: PipelineGraph;
  readonly root: string;
  readonly outDir: string;
  /** The project root seen from the folder of dvc.yaml ('' when they are one). */
  readonly toRoot: string;
  /** The pipeline file, root-relative. */
  readonly pipelineFile: string;
  /** params.yaml being built (TS pipelines): a section per stage. */
  readonly params: Record<string, unknown>;
  /** Top-level plot definitions for what a stage's plot entry cannot say (several y fields). */
  readonly topPlots: Record<string, unknown>[];
}

function notExportable(message: string, hint?: string): PipelineError {
  return new PipelineError('not-exportable', `cannot export to dvc.yaml: ${message}`, undefined, hint);
}

function checkExportable(graph: PipelineGraph, stage: StageDeclaration, skip: ReadonlySet<string>): void {
  if (!DVC_STAGE_NAME.test(stage.name)) {
    throw notExportable(`stage name "${stage.name}" has characters DVC does not allow in a stage name`,
      'DVC stage names use letters, digits, "_" and "-" only (and "@" separates a matrix or foreach instance); rename the stage');
  }
  if (stage.sweep?.generate) {
    throw notExportable(`stage "${stage.name}" is a custom search (\`generate\`): it picks each next point from the results so far, while it runs`,
      `a dvc.yaml fixes its stages before anything runs; leave it out with --skip ${stage.name}, or give it a grid or random space`);
  }
  const instances = graph.sweeps.get(stage.name) ?? [stage.name];
  for (const name of instances) {
    for (const up of graph.nodes.get(name)?.upstream ?? []) {
      const of = graph.nodes.get(up)!.of;
      if (skip.has(of)) throw notExportable(`stage "${stage.name}" reads from stage "${of}", which --skip leaves out`, `leave out "${stage.name}" too, or export "${of}"`);
    }
  }
}

/** The stages of a pipewright.yaml as written (commands and paths before `${params...}` are inserted). */
function rawYamlStages(file: string): Record<string, StageYaml> {
  const data = readYamlSource(file).data as { stages?: Record<string, StageYaml> } | null;
  return data?.stages ?? {};
}

/** Every instance of a declared stage, resolved, in order (the stage itself when it has no sweep). */
function instancesOf(context: Context, stage: StageDeclaration): ResolvedStage[] {
  return (context.graph.sweeps.get(stage.name) ?? [stage.name]).map((name) => context.graph.nodes.get(name)!);
}

/** Where a param comes from in the exported file: the sweep's item, or a params.yaml key. */
type Reference = (key: string) => string;

function referenceFor(stage: StageDeclaration, section: string | undefined): Reference {
  const swept = Object.keys(stage.sweep?.space ?? {});
  return (key) => {
    const top = swept.find((k) => key === k || key.startsWith(`${k}.`));
    if (top !== undefined) return `item.${dimensionName(top)}${key.slice(top.length)}`;
    return section ? `${section}.${key}` : key;
  };
}

const PARAM_REFERENCE = /\$\{\s*params\.([^}]*?)\s*\}/g;
const HAS_PARAM = /\$\{\s*params\./;

/** A path with `${params.k}` as DVC's `${k}` (or `${item.k}`); DVC inserts it as text, as pipewright does. */
function dvcPath(path: string, reference: Reference): string {
  return path.replace(PARAM_REFERENCE, (_all, key: string) => `\${${reference(key)}}`);
}

// ---------------------------------------------------------------------------------------------
// TS stages (and collectors): `npx pipewright exec STAGE -S ...`

function execStage(context: Context, stage: StageDeclaration, codeFiles: readonly string[]): Entry {
  const instances = instancesOf(context, stage);
  const first = instances[0]!;
  const sweep = stage.sweep;
  const swept = new Set(Object.keys(sweep?.space ?? {}));
  const reference = referenceFor(stage, stage.name);

  // Every leaf param becomes `-S stage.key=...`; those not swept are also params.yaml keys.
  const command = [`${EXEC_COMMAND} ${stage.name}`];
  const paramKeys: string[] = [];
  const section: Record<string, unknown> = {};
  for (const [key] of flattenParams(first.params)) {
    const values = instances.map((i) => lookupPath(i.params, key)).map((hit) => (hit.found ? hit.value : undefined));
    command.push(setOption(stage.name, key, reference(key), values));
    if (!swept.has(key.split('.')[0]!)) {
      paramKeys.push(`${stage.name}.${key}`);
      setPath(section, key, values[0]);
    }
  }
  if (paramKeys.length) context.params[stage.name] = section;

  const entry: Entry = {};
  if (stage.desc) entry.desc = stage.desc;
  entry.cmd = command.join(' ');
  if (context.toRoot) entry.wdir = context.toRoot;
  const deps = unique([
    context.pipelineFile,
    ...codeFiles,
    ...stage.deps.map((d) => dvcPath(d.path, reference)),
    ...Object.values(first.inputs).map((i) => i.path),
    ...collectedOuts(context, first),
  ]);
  entry.deps = deps;
  if (paramKeys.length) entry.params = context.toRoot ? [{ [posixRelative(context.root, join(context.outDir, 'params.yaml'))]: paramKeys }] : paramKeys;

  // Paths with params: templated by DVC when it writes the values as pipewright does, else (a
  // sweep) each instance's own paths are given in its item (DVC prints 0.00001 as 1e-05, JS as 0.00001).
  const templated = [...stage.outs, ...stage.metrics, ...stage.plots].filter((p) => HAS_PARAM.test(p.path));
  const inPaths = unique(templated.flatMap((p) => [...p.path.matchAll(PARAM_REFERENCE)].map((m) => m[1]!)));
  const misspelled = instances.flatMap((i) => inPaths.map((k) => [k, lookupPath(i.params, k)] as const))
    .find(([, hit]) => hit.found && !sameText(hit.value));
  if (misspelled && !sweep) {
    const value = (misspelled[1] as { value: unknown }).value;
    throw notExportable(`stage "${stage.name}": a path inserts param "${misspelled[0]}" = ${String(value)}, which DVC writes as ${dvcText(value)}`,
      'DVC prints numbers as Python does (1e-05 where JS prints 0.00001); use a value whose text is the same, or leave the param out of the path');
  }
  const ownPaths = misspelled ? templated : [];
  const pathOf = (p: PathDeclaration) => (ownPaths.includes(p) ? `\${item.paths[${ownPaths.indexOf(p)}]}` : dvcPath(p.path, reference));
  addPaths(context, entry, stage, pathOf);
  if (stage.alwaysChanged) entry.always_changed = true;
  if (stage.frozen) entry.frozen = true;
  if (!sweep) return entry;
  return sweepEntry(stage, instances, entry, ownPaths.length === 0, ownPaths);
}

/**
 * One `-S stage.key=value` option with DVC's `${...}` in place of the value. DVC inserts values
 * into a command unquoted; a number or boolean needs no quotes, and a string is put in YAML double
 * quotes inside shell single quotes, so that spaces survive and `-S` reads it back as a string
 * (not `8` as a number). A value that would break out of those quotes is refused.
 */
function setOption(stage: string, key: string, expression: string, values: readonly unknown[]): string {
  const target = `${stage}.${key}`;
  const types = new Set(values.map((v) => (v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v)));
  if (types.size === 1 && (types.has('number') || types.has('boolean'))) {
    const bad = values.find((v) => typeof v === 'number' && !Number.isFinite(v));
    if (bad !== undefined) throw notExportable(`stage "${stage}": param "${key}" is ${String(bad)}`, 'DVC writes it as Python does (inf, nan), which -S does not read back as a number');
    return `-S ${target}=\${${expression}}`;
  }
  if (types.size === 1 && types.has('string')) {
    const bad = values.find((v) => /['"\\\n\r\t]/.test(v as string));
    if (bad !== undefined) {
      throw notExportable(`stage "${stage}": param "${key}" = ${JSON.stringify(bad)} holds a quote, backslash or line break`,
        'DVC inserts param values into the command without quoting; with those characters the value cannot be passed safely. Change the value');
    }
    return `-S '${target}="\${${expression}}"'`;
  }
  throw notExportable(`stage "${stage}": param "${key}" is ${[...types].join(' or ')}`,
    'DVC can insert only strings, numbers and booleans into a command; make it one of those (or several params)');
}

/** The outs of every instance a collector reads: its deps, so that DVC sees the same edges. */
function collectedOuts(context: Context, node: ResolvedStage): string[] {
  const paths: string[] = [];
  for (const of of Object.values(node.collects)) {
    const declared = context.graph.declaration.stages.find((s) => s.name === of)!;
    for (const instance of instancesOf(context, declared)) {
      // A pipewright.yaml sweep is run by DVC, which writes its paths with its own text of values.
      if (declared.kind === 'cmd' && context.graph.declaration.format === 'yaml' && !Object.values(instance.values ?? {}).every(sameText)) {
        throw notExportable(`stage "${node.of}" collects "${of}", whose instance ${instance.name} has a value DVC writes as text differently from pipewright`,
          'DVC prints numbers as Python does (1e-05 where JS prints 0.00001), so its paths would not be the ones the collector reads');
      }
      paths.push(...writtenPaths(instance).map((o) => o.path));
    }
  }
  return paths;
}

// ---------------------------------------------------------------------------------------------
// cmd stages of pipewright.yaml: the command as written, with DVC's references

function commandStage(context: Context, stage: StageDeclaration, raw: StageYaml): Entry {
  const instances = instancesOf(context, stage);
  const swept = new Set(Object.keys(stage.sweep?.space ?? {}));
  const reference = referenceFor(stage, undefined);
  const declaredFiles = paramFiles(stage, raw);
  const used = new Set<string>();
  const insert = (text: string, where: string) => text.replace(PARAM_REFERENCE, (_all, key: string) => {
    used.add(key);
    const file = declaredFiles.get(key) ?? joinWdir(stage.wdir, 'params.yaml');
    if (file !== 'params.yaml' && !swept.has(key.split('.')[0]!)) {
      throw notExportable(`stage "${stage.name}": ${where} inserts \${params.${key}}, read from ${file}`,
        "DVC's ${...} reads only the params.yaml beside dvc.yaml (and `vars`); move the key to the project's params.yaml");
    }
    if (where !== 'cmd') return `\${${reference(key)}}`;
    return quotedForShell(stage.name, key, reference(key), instances.map((i) => lookupPath(i.params, key)).map((h) => (h.found ? h.value : undefined)));
  });

  const entry: Entry = {};
  if (raw.desc !== undefined) entry.desc = raw.desc;
  entry.cmd = typeof raw.cmd === 'string' ? insert(raw.cmd, 'cmd') : raw.cmd!.map((c) => insert(c, 'cmd'));
  const wdir = posixRelative(context.outDir, join(context.root, stage.wdir));
  if (wdir) entry.wdir = wdir;
  if (raw.deps) entry.deps = raw.deps.map((d) => insert(d, 'deps'));
  // Paths first: a key they insert is a param to list too.
  const paths: Entry = {};
  for (const field of ['outs', 'metrics', 'plots'] as const) {
    if (!raw[field]) continue;
    paths[field] = raw[field]!.map((p) => (typeof p === 'string' ? insert(p, field) : Object.fromEntries(Object.entries(p).map(([k, v]) => [insert(k, field), v]))));
  }
  // Swept keys come from the item; keys only inserted are listed, as pipewright reads them.
  const params: (string | Record<string, string[] | null>)[] = [];
  for (const p of raw.params ?? []) if (typeof p !== 'string' || !swept.has(p)) params.push(p);
  for (const key of used) {
    if (!swept.has(key.split('.')[0]!) && !declaredFiles.has(key)) params.push(key);
  }
  if (params.length) entry.params = params;
  Object.assign(entry, paths);
  // pipewright makes the folder of every out before a stage runs; DVC does not (`> counts/a.json`
  // would fail there), so the command makes them first.
  const folders = unique(Object.values(paths).flatMap((list) => (list as (string | Entry)[]).map((p) => posix.dirname(typeof p === 'string' ? p : Object.keys(p)[0]!))))
    .filter((d) => d !== '.' && d !== '/' && !d.startsWith('..'));
  if (folders.length) {
    const mkdir = `mkdir -p ${folders.map(shellWord).join(' ')}`;
    entry.cmd = typeof entry.cmd === 'string' ? `${mkdir} && ${entry.cmd}` : [mkdir, ...(entry.cmd as string[])];
  }
  for (const key of ['frozen', 'always_changed', 'meta'] as const) if (raw[key] !== undefined) entry[key] = raw[key];
  if (!stage.sweep) return entry;
  return sweepEntry(stage, instances, entry, true, []);
}

/** Each param key a stage lists, with the root-relative file it is read from. */
function paramFiles(stage: StageDeclaration, raw: StageYaml): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of raw.params ?? []) {
    if (typeof entry === 'string') files.set(entry, joinWdir(stage.wdir, 'params.yaml'));
    else for (const [file, keys] of Object.entries(entry)) for (const key of keys ?? []) files.set(key, joinWdir(stage.wdir, file));
  }
  return files;
}

/**
 * A param inserted into a command. pipewright shell-quotes the value; DVC inserts it as it is. A
 * number or boolean needs no quotes; a string gets single quotes around the reference (so spaces
 * survive), and one holding a single quote cannot be quoted that way and is refused.
 */
function quotedForShell(stage: string, key: string, expression: string, values: readonly unknown[]): string {
  if (values.every((v) => typeof v === 'number' || typeof v === 'boolean')) return `\${${expression}}`;
  if (values.every((v) => typeof v === 'string')) {
    const bad = values.find((v) => (v as string).includes("'"));
    if (bad !== undefined) {
      throw notExportable(`stage "${stage}": \${params.${key}} = ${JSON.stringify(bad)} holds a single quote`,
        'DVC inserts param values into the command without quoting; a value with a quote cannot be passed safely. Change the value');
    }
    return `'\${${expression}}'`;
  }
  const kinds = [...new Set(values.map((v) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v)))].join(' or ');
  throw notExportable(`stage "${stage}": the command inserts \${params.${key}}, which is ${kinds}`,
    "DVC can insert only strings, numbers and booleans into a command (a mapping becomes --key value options); insert the list's items one by one");
}

// ---------------------------------------------------------------------------------------------
// outs, metrics, plots; sweeps

function addPaths(context: Context, entry: Entry, stage: StageDeclaration, pathOf: (p: PathDeclaration) => string): void {
  const plain = (p: PathDeclaration): unknown => {
    const options: Entry = {};
    if (p.cache === false) options.cache = false;
    if (p.persist) options.persist = true;
    return Object.keys(options).length ? { [pathOf(p)]: options } : pathOf(p);
  };
  if (stage.outs.length) entry.outs = stage.outs.map(plain);
  if (stage.metrics.length) entry.metrics = stage.metrics.map(plain);
  if (!stage.plots.length) return;
  entry.plots = stage.plots.map((p) => {
    const plot = p.plot;
    const options: Entry = {};
    if (p.cache === false) options.cache = false;
    if (plot?.x) options.x = plot.x;
    // A stage's plot entry takes one y field; a chart of several is a top-level plot definition.
    if (plot?.y?.length === 1) options.y = plot.y[0];
    if (plot?.title) options.title = plot.title;
    if (plot?.xLabel) options.x_label = plot.xLabel;
    if (plot?.yLabel) options.y_label = plot.yLabel;
    if (plot?.y && plot.y.length > 1) {
      if (HAS_PARAM.test(p.path)) {
        throw notExportable(`stage "${stage.name}": plot ${p.path} draws several y fields from a templated path`, 'DVC draws several y fields only in a top-level plot, which names one file');
      }
      context.topPlots.push({ [fromOutDir(context, p.path)]: { ...(plot.x ? { x: plot.x } : {}), y: [...plot.y], ...(plot.title ? { title: plot.title } : {}) } });
    }
    return Object.keys(options).length ? { [pathOf(p)]: options } : pathOf(p);
  });
}

/** A root-relative path as seen from the folder of dvc.yaml. */
function fromOutDir(context: Context, path: string): string {
  return context.toRoot ? posix.join(context.toRoot, path) : path;
}

/**
 * A swept stage: a `matrix` when its space is a pure grid (and DVC writes its values as pipewright
 * does), else a `foreach` keyed by pipewright's instance suffix, each item holding the instance's
 * values (and, when DVC would write them differently, its paths).
 */
function sweepEntry(stage: StageDeclaration, instances: readonly ResolvedStage[], entry: Entry, matrixAllowed: boolean, ownPaths: readonly PathDeclaration[]): Entry {
  const sweep = stage.sweep!;
  const keys = Object.keys(sweep.space);
  const names = new Set(keys.map(dimensionName));
  if (names.size !== keys.length || names.has('paths')) {
    throw notExportable(`stage "${stage.name}": sweep keys ${keys.join(', ')} would share a name in DVC's item`, 'DVC reads ${item.a.b} as a path: rename the keys so that they differ in letters, digits or "_"');
  }
  if (matrixAllowed && isPureGrid(sweep)) {
    const matrix = Object.fromEntries(keys.map((k) => [dimensionName(k), [...matrixOptions(sweep.space[k]!)]]));
    return { matrix, ...entry };
  }
  const foreach: Record<string, Entry> = {};
  for (const instance of instances) {
    const suffix = instance.name.slice(stage.name.length + 1);
    const item: Entry = Object.fromEntries(keys.map((k) => [dimensionName(k), instance.values?.[k]]));
    if (ownPaths.length) {
      const all = [...instance.outs, ...instance.metrics, ...instance.plots];
      const declared = [...stage.outs, ...stage.metrics, ...stage.plots];
      item.paths = ownPaths.map((p) => all[declared.indexOf(p)]!.path);
    }
    foreach[suffix] = item;
  }
  return { foreach, do: entry };
}

/** A path as one shell word: bare when plain, else in single quotes (DVC's `${...}` is inserted inside them). */
function shellWord(path: string): string {
  return /^[A-Za-z0-9_.\/@%+=:,-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`;
}

function unique(paths: readonly string[]): string[] {
  return [...new Set(paths)];
}

function joinWdir(wdir: string, path: string): string {
  return wdir ? posix.join(wdir, path) : path;
}

/** `to` seen from `from`, posix separators; '' when they are one folder. */
function posixRelative(from: string, to: string): string {
  return relative(from, to).split(sep).join('/');
}
