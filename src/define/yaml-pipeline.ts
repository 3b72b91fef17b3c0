/**
 * The `pipewright.yaml` front end. Its shape is dvc.yaml's (a `stages:` mapping with `cmd`, `deps`,
 * `params`, `outs`, `metrics`, `plots`, `wdir`), params come from `params.yaml`, and `${params.x}`
 * is inserted into `cmd` shell-quoted.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseToml } from 'smol-toml';
import { parsePythonParams } from './python-params.js';
import { basename, dirname, join, posix } from 'node:path';
import * as z from '../zod.js';
import { isExternal } from './external.js';
import { controlsShape, stageControls, type ControlsInput } from './controls.js';
import { PipelineError, closestName, type SourcePosition } from '../errors.js';
import type { MissingParam, OutDeclaration, Params, PathDeclaration, PipelineDeclaration, PlotOptions, StageDeclaration, StageOverrides } from './declaration.js';
import { flattenParams, interpolate, lookupPath, referencedParams, setPath } from './interpolate.js';
import { writeCollection } from './collect.js';
import { parsePlotDefinitions, plotsProblem } from './plot-definitions.js';
import { EXECUTOR_KINDS, type CollectedInstance } from './stage.js';
import type { SpaceEntry, SweepDeclaration } from './sweep.js';
import { displayPath, readYamlSource, schemaError, type YamlSource } from './yaml-source.js';

const nonEmpty = () => z.string().check(z.minLength(1));

const pathEntry = z.union([
  nonEmpty(),
  z.record(nonEmpty(), z.union([z.null(), z.strictObject({
    cache: z.optional(z.boolean()),
    persist: z.optional(z.boolean()),
    desc: z.optional(z.string()),
    // DVC's remote options and plot properties: accepted, not used by pipewright yet.
    push: z.optional(z.boolean()),
    remote: z.optional(z.string()),
    type: z.optional(z.string()),
    labels: z.optional(z.array(z.string())),
    meta: z.optional(z.unknown()),
    x: z.optional(z.unknown()),
    y: z.optional(z.unknown()),
    template: z.optional(z.string()),
    title: z.optional(z.string()),
    x_label: z.optional(z.string()),
    y_label: z.optional(z.string()),
    header: z.optional(z.boolean()),
  })])).check(z.refine((r) => Object.keys(r).length === 1, 'an entry with options is a mapping of one path to its options')),
]);

/** A key of params.yaml, or `file: [keys]`; `file:` with no keys means the whole file (as in DVC). */
const paramsEntry = z.union([nonEmpty(), z.record(nonEmpty(), z.union([z.null(), z.array(nonEmpty())]))]);

const stageShape = {
  cmd: z.union([nonEmpty(), z.array(nonEmpty()).check(z.minLength(1))], { error: 'cmd must be a command or a list of commands' }),
  desc: z.optional(z.string()),
  wdir: z.optional(z.string()),
  deps: z.optional(z.array(nonEmpty())),
  params: z.optional(z.array(paramsEntry)),
  outs: z.optional(z.array(pathEntry)),
  metrics: z.optional(z.array(pathEntry)),
  plots: z.optional(z.array(pathEntry)),
  executor: z.optional(z.enum(EXECUTOR_KINDS as [string, ...string[]])),
  frozen: z.optional(z.boolean()),
  always_changed: z.optional(z.boolean()),
  meta: z.optional(z.unknown()),
};

/** A dvc.yaml stage. */
const stageSchema = z.strictObject(stageShape);

/** A pipewright.yaml stage: dvc.yaml's, plus sweeps and the built-in collector. */
const pipewrightStageSchema = z.strictObject({
  ...stageShape,
  cmd: z.optional(stageShape.cmd),
  /** The built-in collector: gathers every instance of the named stage into its outs (.csv, .json). */
  collect: z.optional(nonEmpty()),
  ...controlsShape,
  sweep: z.optional(z.strictObject({
    samples: z.optional(z.int().check(z.positive())),
    seed: z.optional(z.int()),
    space: z.record(nonEmpty(), z.unknown()),
  })),
}).check(z.refine((s) => (s.cmd === undefined) !== (s.collect === undefined), 'a stage needs exactly one of `cmd` and `collect`'));

/** Override keys (as for `-S`) → values. */
const overridesSchema = z.record(nonEmpty(), z.unknown());

const fileSchema = z.strictObject({
  name: z.optional(z.string()),
  stages: z._default(z.record(z.string().check(z.regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'stage names use letters, digits, "_", "-" and "."')), pipewrightStageSchema), {}),
  versions: z.optional(z.record(nonEmpty(), overridesSchema)),
  dev: z.optional(overridesSchema),
  /** Charts across stages' files, in dvc.yaml's form. */
  plots: z.optional(z.array(z.unknown())),
  /** Metrics files written inside stages' outs, as dvc.yaml lists them. */
  metrics: z.optional(z.array(nonEmpty())),
});

export type StageYaml = z.infer<typeof stageSchema> & Partial<Pick<z.infer<typeof pipewrightStageSchema>, 'collect' | 'sweep'>>;
export { stageSchema };

export const DEFAULT_PARAMS_FILE = 'params.yaml';

export function loadYamlPipeline(file: string): PipelineDeclaration {
  const source = readYamlSource(file);
  const parsed = fileSchema.safeParse(source.data ?? {});
  if (!parsed.success) {
    throw schemaError(source, parsed.error.issues, (path) =>
      path[0] === 'stages' && path.length >= 2 ? `stage "${String(path[1])}"${path.length > 2 ? ` ${path.slice(2).join('.')}` : ''}` : path.join('.') || 'file');
  }
  const plots = plotsProblem(parsed.data.plots);
  if (plots) throw new PipelineError('yaml-schema', plots.message, source.positionOf(['plots', ...plots.path]));
  const root = dirname(file);
  const extra = {
    versions: parsed.data.versions ?? {}, dev: parsed.data.dev ?? {}, plots: parsePlotDefinitions(parsed.data.plots),
    metricsFiles: (parsed.data.metrics ?? []).map((m) => posix.normalize(m)),
  };
  return buildDeclaration(file, root, source, parsed.data.stages as Record<string, StageYaml>, parsed.data.name, {}, extra);
}

function buildDeclaration(
  file: string, root: string, source: YamlSource, stages: Record<string, StageYaml>, name: string | undefined,
  globalOverrides: Readonly<Record<string, unknown>>, extra: Pick<PipelineDeclaration, 'versions' | 'dev' | 'plots' | 'metricsFiles'>,
): PipelineDeclaration {
  const paramFiles = new ParamFiles(root, globalOverrides);
  const declaration: PipelineDeclaration = {
    name: name ?? basename(root),
    ...(name === undefined ? { namedAfterFolder: true } : {}),
    format: 'yaml',
    file,
    root,
    stages: Object.entries(stages).map(([stageName, yaml]) => yamlStage(stageName, yaml, source, paramFiles)),
    withGlobalOverrides: (overrides) =>
      buildDeclaration(file, root, source, stages, name, { ...globalOverrides, ...overrides }, extra),
    sourceFiles: () => [file, ...paramFiles.filesRead()],
    ...extra,
  };
  return declaration;
}

/**
 * One stage of a pipewright.yaml or (already templated) dvc.yaml. `sourcePath` is where it was
 * written in the file: a generated stage points at the template it came from.
 */
export function yamlStage(
  name: string, yaml: StageYaml, source: YamlSource, paramFiles: ParamFiles, sourcePath: (string | number)[] = ['stages', name],
  /** False for dvc.yaml, whose templating is done before: its commands are final. */
  paramsInCommand = true,
  /** The command as written before templating, when that happened elsewhere (dvc.yaml). */
  writtenCommand?: string,
): StageDeclaration {
  const at = (...path: (string | number)[]): SourcePosition => source.positionOf([...sourcePath, ...path]);
  const wdir = posix.normalize(yaml.wdir ?? '.').replace(/^\.$/, '');
  const commands = yaml.cmd === undefined ? [] : typeof yaml.cmd === 'string' ? [yaml.cmd] : yaml.cmd;

  // Each param: the file it comes from and its dotted key. Params named in the command count too.
  // A param named in the command (`${params.x}`) must be there when the command is made: an error
  // at load, as a `${...}` DVC cannot resolve is. One only listed is needed when the stage runs.
  const declared: { file: string; key: string; where: SourcePosition; inCommand?: boolean }[] = [];
  (yaml.params ?? []).forEach((entry, i) => {
    // Params files are found in the stage's wdir, as DVC finds them.
    if (typeof entry === 'string') declared.push({ file: joinWdir(wdir, DEFAULT_PARAMS_FILE), key: entry, where: at('params', i) });
    else for (const [paramsFile, keys] of Object.entries(entry)) {
      const file = joinWdir(wdir, paramsFile);
      if (!keys || keys.length === 0) declared.push({ file, key: '*', where: at('params', i, paramsFile) });
      else keys.forEach((key, j) => declared.push({ file, key, where: at('params', i, paramsFile, j) }));
    }
  });
  for (const [i, command] of paramsInCommand ? commands.entries() : []) {
    for (const key of referencedParams(command)) {
      const listed = declared.find((d) => d.key === key);
      if (listed) listed.inCommand = true;
      else declared.push({ file: joinWdir(wdir, DEFAULT_PARAMS_FILE), key, where: at('cmd', ...(typeof yaml.cmd === 'string' ? [] : [i])), inCommand: true });
    }
  }
  const paramKeys = declared.map((d) => d.key);
  const sweepKeys = new Set(Object.keys(yaml.sweep?.space ?? {}));

  const paths = (field: 'outs' | 'metrics' | 'plots'): OutDeclaration[] =>
    (yaml[field] ?? []).map((entry, i) => {
      const path = typeof entry === 'string' ? entry : Object.keys(entry)[0]!;
      const options = typeof entry === 'string' ? null : entry[path];
      const plot = field === 'plots' && options ? plotOptions(options) : undefined;
      return { name: path, path: joinWdir(wdir, path), where: at(field, i), cache: options?.cache !== false, persist: options?.persist === true, ...(plot ? { plot } : {}) };
    });

  const collected = yaml.collect;
  return {
    name,
    kind: collected === undefined ? 'cmd' : 'ts',
    desc: yaml.desc,
    where: source.positionOf(sourcePath, 'key'),
    wdir,
    deps: (yaml.deps ?? []).map((path, i): PathDeclaration => ({ path: joinWdir(wdir, path), where: at('deps', i) })),
    inputs: collected === undefined ? {} : { runs: { stage: collected } },
    ...(collected === undefined ? {} : {
      builtin: 'collect@1',
      executor: 'inline' as const,
      run: (ctx) => writeCollection(ctx.inputs.runs as readonly CollectedInstance[], Object.values(ctx.outs), ctx.root),
    }),
    sweep: yaml.sweep && yamlSweep(yaml.sweep, (...path) => at('sweep', ...path)),
    outs: paths('outs'),
    metrics: paths('metrics'),
    plots: paths('plots'),
    ...(yaml.executor ? { executor: yaml.executor as StageDeclaration['executor'] } : {}),
    ...('retries' in yaml || 'retry' in yaml || 'timeout' in yaml || 'resources' in yaml || 'secrets' in yaml || 'labels' in yaml || 'kubernetes' in yaml ? { controls: stageControls(yaml as ControlsInput) } : {}),
    alwaysChanged: yaml.always_changed === true,
    frozen: yaml.frozen === true,
    codeFiles: [],
    paramKeys,
    ...(Object.keys(paramFiles.overrides).length ? { fileOverrides: paramFiles.overrides } : {}),
    resolveParams(overrides: StageOverrides, onMissing?: (missing: MissingParam) => void): Params {
      const params: Params = {};
      for (const { file, key, where, inCommand } of declared) {
        // A value an override or the sweep gives need not be in the file (a sweep-only param).
        const given = Object.hasOwn(overrides, key) || sweepKeys.has(key);
        const deferred = onMissing && !inCommand ? onMissing : undefined;
        if (!paramFiles.has(file)) {
          if (given) continue;
          if (deferred) {
            deferred({ file, key, where, noFile: true });
            continue;
          }
        }
        const data = paramFiles.read(file, where);
        if (key.includes('*')) {
          // A whole file (`file:`) or a wildcard key (`train.*`): every matching leaf.
          const pattern = new RegExp(`^${key.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
          for (const [leaf, value] of flattenParams((data ?? {}) as Params)) {
            if (pattern.test(leaf)) setPath(params, leaf, value);
          }
          continue;
        }
        const hit = lookupPath(data, key);
        if (!hit.found) {
          if (given) continue;
          if (deferred) {
            deferred({ file, key, where });
            continue;
          }
          throw new PipelineError('params-file', `stage "${name}": param "${key}" is not in ${file}`, where,
            `add "${key}" to ${file}, or remove it from the stage's params`);
        }
        setPath(params, key, hit.value);
      }
      for (const [key, value] of Object.entries(overrides)) {
        if (!paramKeys.includes(key)) {
          const guess = closestName(key, paramKeys);
          throw new PipelineError('param-override', `stage "${name}" has no param "${key}"`, undefined,
            guess ? `did you mean "${name}.${guess}"?` : paramKeys.length ? `its params are: ${paramKeys.join(', ')}` : 'this stage declares no params');
        }
        setPath(params, key, value);
      }
      return params;
    },
    ...(collected === undefined ? { commandTemplate: writtenCommand ?? commands.join(' && '), command } : {}),
  };

  function command(params: Params): string {
      if (!paramsInCommand) return commands.join(' && ');
      return commands
        .map((command, i) => interpolate(command, params, { stage: name, mode: 'shell', where: at('cmd', ...(typeof yaml.cmd === 'string' ? [] : [i])) }))
        .join(' && ');
  }
}

/** DVC's plot properties on a stage's plot file: x and y as field names (y may be a list). */
function plotOptions(options: Record<string, unknown>): PlotOptions | undefined {
  const field = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const y = Array.isArray(options.y) ? options.y.filter((v): v is string => typeof v === 'string') : field(options.y) ? [options.y as string] : undefined;
  const plot: PlotOptions = { x: field(options.x), y, title: field(options.title), xLabel: field(options.x_label), yLabel: field(options.y_label) };
  return Object.values(plot).some((v) => v !== undefined) ? plot : undefined;
}

const RANGE_KINDS = ['uniform', 'loguniform', 'int'] as const;

/**
 * A `sweep:` mapping. Every dimension is an explicit one-key mapping (`{grid: [..]}`,
 * `{loguniform: [lo, hi]}`); a scalar is a fixed value; a bare list is refused rather than guessed.
 */
function yamlSweep(yaml: NonNullable<StageYaml['sweep']>, at: (...path: (string | number)[]) => SourcePosition): SweepDeclaration {
  const space: Record<string, SpaceEntry> = {};
  const forms = `{grid: [..]}, {choice: [..]}, {uniform: [lo, hi]}, {loguniform: [lo, hi]}, {int: [lo, hi]} or {value: x}`;
  for (const [key, entry] of Object.entries(yaml.space)) {
    const where = at('space', key);
    if (Array.isArray(entry)) {
      throw new PipelineError('yaml-schema', `sweep space "${key}": a bare list is ambiguous`, where, `write {grid: [...]} for every option, or {choice: [...]} to draw one per sample`);
    }
    if (entry === null || typeof entry !== 'object') {
      space[key] = { kind: 'value', value: entry };
      continue;
    }
    const [kind, ...more] = Object.keys(entry);
    const value = (entry as Record<string, unknown>)[kind!];
    if (more.length || !kind) throw new PipelineError('yaml-schema', `sweep space "${key}": expected one of ${forms}`, where);
    if (kind === 'value') space[key] = { kind: 'value', value };
    else if (kind === 'grid' || kind === 'choice') {
      if (!Array.isArray(value)) throw new PipelineError('yaml-schema', `sweep space "${key}": ${kind} takes a list of options`, where);
      space[key] = { kind, values: value };
    } else if ((RANGE_KINDS as readonly string[]).includes(kind)) {
      if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === 'number')) {
        throw new PipelineError('yaml-schema', `sweep space "${key}": ${kind} takes [low, high]`, where);
      }
      space[key] = { kind: kind as (typeof RANGE_KINDS)[number], lo: value[0] as number, hi: value[1] as number };
    } else {
      throw new PipelineError('yaml-schema', `sweep space "${key}": unknown form "${kind}"`, where, `expected one of ${forms}`);
    }
  }
  return { space, samples: yaml.samples, seed: yaml.seed ?? 0, where: at() };
}

function joinWdir(wdir: string, path: string): string {
  return wdir && !isExternal(path) ? posix.join(wdir, path) : path;
}

/** Params files of one pipeline, read once each. */
export class ParamFiles {
  private readonly cache = new Map<string, unknown>();
  constructor(private readonly root: string, readonly overrides: Readonly<Record<string, unknown>>) {}

  filesRead(): string[] {
    return [...this.cache.keys()].map((file) => join(this.root, file));
  }

  /** Whether the params file is there (read already, or on disk). */
  has(file: string): boolean {
    return this.cache.has(file) || existsSync(join(this.root, file));
  }

  read(file: string, where: SourcePosition): unknown {
    if (this.cache.has(file)) return this.cache.get(file);
    const abs = join(this.root, file);
    if (!existsSync(abs)) {
      throw new PipelineError('params-file', `params file ${file} not found (needed by a stage's params)`, where,
        `create ${file} (params files are read from the stage's wdir, as in DVC) with the params the stages list`);
    }
    const data = structuredClone(readParamsData(abs, where)) as Record<string, unknown>;
    // `-S key=value` with no stage name sets a key of params.yaml, as `dvc exp run -S` does.
    if (file === DEFAULT_PARAMS_FILE) for (const [key, value] of Object.entries(this.overrides)) setPath(data, key, value);
    this.cache.set(file, data);
    return data;
  }
}

/** A params file's data: YAML or JSON, TOML, or the literal assignments of a Python file. */
export function readParamsData(abs: string, where: SourcePosition): unknown {
  if (abs.endsWith('.toml')) {
    try {
      return parseToml(readFileSync(abs, 'utf8'));
    } catch (err) {
      throw new PipelineError('params-file', `${displayPath(abs)} is not valid TOML: ${(err as Error).message.split('\n')[0]}`, where);
    }
  }
  if (abs.endsWith('.py')) return parsePythonParams(readFileSync(abs, 'utf8'));
  return readYamlSource(abs, 'params-file').data ?? {};
}
