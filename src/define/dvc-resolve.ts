/**
 * Resolves a dvc.yaml's data as DVC's parser does: `foreach`/`do` and `matrix` expanded into the
 * stages DVC names (`train@us`, `train@0`, `train@lr0.1-gpu`), every `${...}` filled in, each
 * stage's `vars` loaded, and the top-level `params`, `metrics`, `plots`, `artifacts` and
 * `datasets` templated too. The result is plain data, still in dvc.yaml's shape.
 */
import { join } from 'node:path';
import { PipelineError, type SourcePosition } from '../errors.js';
import type { ParsingOptions } from './dvc-config.js';
import { checkReferences, hasReferences, ReferenceSyntaxError } from './dvc-expression.js';
import { resolveTemplate, syntaxError, toText, type Site } from './dvc-templating.js';
import { VarsContext } from './dvc-vars.js';
import { DEFAULT_PARAMS_FILE } from './yaml-pipeline.js';
import type { YamlSource } from './yaml-source.js';

type Data = Record<string, unknown>;
type Path = (string | number)[];

export interface ResolvedStage {
  readonly name: string;
  /** The stage's keys, templated; `vars` removed. */
  readonly definition: Data;
  /** Where its definition (or template) is written. */
  readonly sourcePath: Path;
  /** `cmd` before templating. */
  readonly writtenCommand: string;
}

export interface ResolvedDvcYaml {
  readonly stages: ResolvedStage[];
  readonly params: unknown[];
  readonly metrics: unknown[];
  readonly plots: unknown[];
  readonly artifacts: Data;
  readonly datasets: unknown[];
  /** What `${...}` could read at the top level: params.yaml and `vars`, merged. */
  readonly values: Readonly<Data>;
  /** The vars files read (params.yaml among them). */
  readonly filesRead: ReadonlySet<string>;
}

const isMapping = (v: unknown): v is Data => v !== null && typeof v === 'object' && !Array.isArray(v);

const STAGE_KEYS = new Set(['cmd', 'wdir', 'deps', 'params', 'outs', 'metrics', 'plots', 'frozen', 'always_changed', 'desc', 'meta', 'vars']);

/** `overrides` are `-S` keys of params.yaml. */
export function resolveDvcYaml(data: Data, source: YamlSource, root: string, parsing: ParsingOptions, overrides: Readonly<Data> = {}): ResolvedDvcYaml {
  const resolver = new Resolver(source, root, parsing);
  const context = VarsContext.empty(root);
  const vars = data.vars ?? [];
  if (!Array.isArray(vars)) throw new PipelineError('yaml-schema', '`vars` must be a list', source.positionOf(['vars']));
  resolver.refuseReferencesInVars(vars, ['vars'], '`vars`');
  context.loadDefault(DEFAULT_PARAMS_FILE, source.positionOf([]), '`vars`', overrides);
  context.loadVars(vars, root, undefined, (i) => source.positionOf(['vars', i]), '`vars`');

  const stages = data.stages ?? {};
  if (!isMapping(stages)) throw new PipelineError('yaml-schema', '`stages` must be a mapping of stage names to stages', source.positionOf(['stages']));
  const top = (key: string): unknown[] => {
    const entries = data[key] ?? [];
    if (!Array.isArray(entries)) throw new PipelineError('yaml-schema', `\`${key}\` must be a list`, source.positionOf([key]));
    return entries.map((entry, i) => resolver.topLevel(entry, context, [key, i]));
  };
  const artifacts = data.artifacts ?? {};
  if (!isMapping(artifacts)) throw new PipelineError('yaml-schema', '`artifacts` must be a mapping', source.positionOf(['artifacts']));
  return {
    stages: Object.entries(stages).flatMap(([name, definition]) => resolver.stage(name, definition, context)),
    params: top('params'),
    metrics: top('metrics'),
    plots: top('plots'),
    datasets: top('datasets'),
    artifacts: Object.fromEntries(Object.entries(artifacts).map(([name, definition]) => resolver.artifact(name, definition, context))),
    values: context.values,
    filesRead: context.filesRead,
  };
}

class Resolver {
  constructor(private readonly source: YamlSource, private readonly root: string, private readonly parsing: ParsingOptions) {}

  stage(name: string, definition: unknown, context: VarsContext): ResolvedStage[] {
    const at = (...path: Path) => this.source.positionOf(['stages', name, ...path]);
    if (!isMapping(definition)) {
      // `a: echo hi`: the command alone, where DVC wants the stage's keys.
      const kind = Array.isArray(definition) ? 'a list' : typeof definition === 'string' ? 'text' : `a ${typeof definition}`;
      throw new PipelineError('yaml-schema', definition === null ? `stage "${name}" is empty: it needs a mapping of stage keys (cmd, deps, outs, ...)`
        : `stage "${name}" must be a mapping of stage keys (cmd, deps, outs, ...), not ${kind}`, definition === null ? this.source.positionOf(['stages', name], 'key') : at(),
        typeof definition === 'string' ? `write the command under \`cmd:\`, one level in: "${name}:" then "  cmd: ${definition}"` : 'give the stage at least a `cmd`');
    }
    const def = definition;
    if ('foreach' in def) {
      if ('matrix' in def) throw new PipelineError('yaml-schema', `stage "${name}": \`foreach\` and \`matrix\` cannot be used together`, at('matrix', 'key'));
      if (!('do' in def)) throw new PipelineError('yaml-schema', `stage "${name}": \`foreach\` needs a \`do\``, at('foreach'));
      const extra = Object.keys(def).filter((k) => k !== 'foreach' && k !== 'do');
      if (extra.length) throw new PipelineError('yaml-schema', `stage "${name}": with \`foreach\`, every other key goes under \`do\` (found "${extra[0]}")`, at(extra[0]!));
      const entries = foreachEntries(this.resolveData(def.foreach, context, ['stages', name, 'foreach'], `stage "${name}" foreach`), at('foreach'), name);
      if (!isMapping(def.do)) throw new PipelineError('yaml-schema', `stage "${name}": \`do\` must be a mapping: the stage to generate for each entry`, at('do'));
      const template = def.do;
      this.checkSyntax(template, name, ['stages', name, 'do']);
      return [...entries].map(([key, [item, isMap]]) =>
        this.entry(`${name}@${key}`, template, context.withReserved(isMap ? { item, key } : { item }), ['stages', name, 'do']));
    }
    if ('matrix' in def) {
      if ('do' in def) throw new PipelineError('yaml-schema', `stage "${name}": \`do\` goes with \`foreach\`, not \`matrix\``, at('do'));
      const { matrix, ...template } = def;
      const entries = matrixEntries(this.resolveData(matrix, context, ['stages', name, 'matrix'], `stage "${name}" matrix`), at('matrix'), name);
      this.checkSyntax(template, name, ['stages', name]);
      return [...entries].map(([key, item]) => this.entry(`${name}@${key}`, template, context.withReserved({ item, key }), ['stages', name]));
    }
    this.checkSyntax(def, name, ['stages', name]);
    return [this.entry(name, def, context, ['stages', name])];
  }

  /** One stage: `wdir` first (its `vars` are read there), then the vars, then every key. */
  private entry(name: string, def: Data, outer: VarsContext, sourcePath: Path): ResolvedStage {
    for (const key of Object.keys(def)) {
      if (!STAGE_KEYS.has(key)) {
        throw new PipelineError('yaml-schema', `stage "${name}": "${key}" is not a stage key DVC 3 accepts`, this.source.positionOf([...sourcePath, key], 'key'),
          `stage keys are ${[...STAGE_KEYS].join(', ')}`);
      }
    }
    const site = (key?: string): Site => ({ where: () => this.source.positionOf([...sourcePath, ...(key ? [key] : [])]), label: `stage "${name}"${key ? ` ${key}` : ''}`, key, parsing: this.parsing });
    // DVC resolves `wdir` before anything else: its errors come first, and `vars` are read there.
    const wdir = def.wdir === undefined || def.wdir === null ? '' : toText(resolveTemplate(def.wdir, outer.values, { ...site('wdir'), key: undefined }));
    const { vars, ...rest } = def;
    let context = outer;
    if (vars !== undefined && vars !== null) {
      if (!Array.isArray(vars)) throw new PipelineError('yaml-schema', `stage "${name}": \`vars\` must be a list`, this.source.positionOf([...sourcePath, 'vars']));
      this.refuseReferencesInVars(vars, [...sourcePath, 'vars'], `stage "${name}" vars`);
      if (vars.length) {
        context = outer.clone();
        context.loadVars(vars, join(this.root, wdir), name, (i) => this.source.positionOf([...sourcePath, 'vars', i]), `stage "${name}"`);
      }
    }
    const definition = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, resolveTemplate(value, context.values, site(key))]));
    const written = Array.isArray(def.cmd) ? def.cmd.map(String).join(' && ') : String(def.cmd);
    return { name, definition, sourcePath, writtenCommand: written };
  }

  topLevel(entry: unknown, context: VarsContext, path: Path): unknown {
    const where = () => this.source.positionOf(path);
    const label = `\`${path.join('.')}\``;
    this.checkData(entry, where, label);
    return resolveTemplate(entry, context.values, { where, label, parsing: this.parsing });
  }

  artifact(name: string, definition: unknown, context: VarsContext): [string, unknown] {
    const where = () => this.source.positionOf(['artifacts', name], 'key');
    const label = `artifact "${name}"`;
    this.checkData(name, where, label);
    const resolved = resolveTemplate(name, context.values, { where, label });
    if (typeof resolved !== 'string') throw new PipelineError('interpolation', `${label}: its name must be text, not ${typeof resolved}`, where());
    return [resolved, this.topLevel(definition, context, ['artifacts', name])];
  }

  /** `foreach` and `matrix` data: templated, and may be a whole list or mapping. */
  private resolveData(value: unknown, context: VarsContext, path: Path, label: string): unknown {
    const where = () => this.source.positionOf(path);
    this.checkData(value, where, label);
    return resolveTemplate(value, context.values, { where, label });
  }

  /** DVC checks every reference of a stage (of a template, once) before resolving any. */
  private checkSyntax(def: Data, name: string, sourcePath: Path): void {
    for (const [key, value] of Object.entries(def)) this.checkData(value, () => this.source.positionOf([...sourcePath, key]), `stage "${name}" ${key}`);
  }

  private checkData(value: unknown, where: () => SourcePosition, label: string): void {
    try {
      checkReferences(value);
    } catch (err) {
      if (err instanceof ReferenceSyntaxError) throw syntaxError(err, { where, label });
      throw err;
    }
  }

  /** DVC reads `vars` before it can fill anything in, so a `${...}` there is refused, not left as text. */
  refuseReferencesInVars(vars: readonly unknown[], path: Path, label: string): void {
    vars.forEach((entry, i) => {
      if (hasReferences(entry)) {
        throw new PipelineError('interpolation', `${label}: interpolating is not allowed in vars`, this.source.positionOf([...path, i]),
          'name the file or write the value itself; ${...} is filled in from vars, so vars cannot use it');
      }
    });
  }
}

/** DVC's keys: a mapping's own keys; a list's items when all are simple values, else their indexes. */
function foreachEntries(iterable: unknown, where: SourcePosition, name: string): Map<string, [unknown, boolean]> {
  const entries = new Map<string, [unknown, boolean]>();
  if (Array.isArray(iterable)) {
    const composite = iterable.some((v) => v !== null && typeof v === 'object');
    // A value listed twice names one stage, as in DVC.
    iterable.forEach((item, i) => entries.set(composite ? String(i) : toText(item), [item, false]));
  } else if (isMapping(iterable)) {
    for (const [k, v] of Object.entries(iterable)) entries.set(k, [v, true]);
  } else {
    throw new PipelineError('yaml-schema', `stage "${name}": \`foreach\` expects a list or a mapping, got ${iterable === null ? 'null' : typeof iterable === 'string' ? 'text' : typeof iterable}`, where);
  }
  return entries;
}

/** The cartesian product, keyed as DVC keys it: each value as text, or `dim<index>` for a list or mapping. */
function matrixEntries(matrix: unknown, where: SourcePosition, name: string): Map<string, Data> {
  if (!isMapping(matrix)) throw new PipelineError('yaml-schema', `stage "${name}": \`matrix\` must map each dimension to a list of values`, where);
  let combos: [string[], Data][] = [[[], {}]];
  for (const [dim, values] of Object.entries(matrix)) {
    if (!Array.isArray(values)) throw new PipelineError('yaml-schema', `stage "${name}": matrix dimension "${dim}" must be a list`, where);
    combos = combos.flatMap(([fragments, item]) => values.map((v, i): [string[], Data] =>
      [[...fragments, v !== null && typeof v === 'object' ? `${dim}${i}` : toText(v)], { ...item, [dim]: v }]));
  }
  return new Map(combos.map(([fragments, item]) => [fragments.join('-'), item]));
}
