/**
 * The values `${...}` reads in a dvc.yaml, gathered as DVC gathers them: params.yaml beside the
 * dvc.yaml, then the file's `vars`, then a stage's own `vars` (read from the stage's `wdir`).
 * Sources merge mapping into mapping; any other key defined twice is refused, naming both
 * sources, since the second could only be a mistake. Each file is read once: listing a file
 * again is a no-op, but loading it both whole and by keys is refused.
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, normalize, relative } from 'node:path';
import { PipelineError, type SourcePosition } from '../errors.js';
import { setOwn, setPath } from './interpolate.js';
import { readParamsData } from './yaml-pipeline.js';

type Data = Record<string, unknown>;

const isMapping = (v: unknown): v is Data => v !== null && typeof v === 'object' && !Array.isArray(v);

export class VarsContext {
  private constructor(
    private data: Data,
    /** Dotted path → the source that defined it (a file, `vars[0]`, `build.vars[1]`). */
    private readonly sources: Map<string, string>,
    /** Absolute file → the keys loaded from it, or null when loaded whole. */
    private readonly imports: Map<string, string[] | null>,
    /** `item` and `key` of a generated stage: its vars may not redefine them. */
    private readonly reserved: ReadonlySet<string>,
    /** Files are named relative to this folder (the dvc.yaml's) in messages. */
    readonly root: string,
    /** Every file read, by this context and its clones: a change to one changes the pipeline. */
    readonly filesRead: Set<string>,
  ) {}

  static empty(root: string): VarsContext {
    return new VarsContext({}, new Map(), new Map(), new Set(), root, new Set());
  }

  get values(): Readonly<Data> {
    return this.data;
  }

  /** A copy to load a stage's vars into; merging copies what it changes, so the data is shared until then. */
  clone(): VarsContext {
    return new VarsContext({ ...this.data }, new Map(this.sources), new Map([...this.imports].map(([k, v]) => [k, v && [...v]])), this.reserved, this.root, this.filesRead);
  }

  /** A generated stage's context: `item` (and `key`) set over whatever the project defined, and reserved. */
  withReserved(values: Data): VarsContext {
    return new VarsContext({ ...this.data, ...values }, this.sources, this.imports, new Set([...this.reserved, ...Object.keys(values)]), this.root, this.filesRead);
  }

  /** Loads `vars` entries: file names (`file`, `file:key1,key2`, relative to `dir`) and mappings. */
  loadVars(vars: readonly unknown[], dir: string, stageName: string | undefined, whereOf: (i: number) => SourcePosition, label: string): void {
    vars.forEach((entry, i) => {
      const where = whereOf(i);
      if (typeof entry === 'string') this.loadFile(entry, dir, where, label);
      else if (isMapping(entry)) this.merge(entry, stageName ? `${stageName}.vars[${i}]` : `vars[${i}]`, undefined, where, label);
      else throw new PipelineError('yaml-schema', `${label}: vars[${i}] must be a file name or a mapping`, where);
    });
  }

  /**
   * params.yaml, when it exists: read by DVC without being listed. `-S key=value` overrides are
   * set in it first, as `dvc exp run -S` writes them into the file before templating.
   */
  loadDefault(file: string, where: SourcePosition, label: string, overrides: Readonly<Data> = {}): void {
    if (existsSync(join(this.root, file))) this.loadFile(file, this.root, where, label, overrides);
  }

  private loadFile(entry: string, dir: string, where: SourcePosition, label: string, overrides: Readonly<Data> = {}): void {
    const colon = entry.indexOf(':');
    const name = colon < 0 ? entry : entry.slice(0, colon);
    // As DVC splits them: `a, b` names the key " b", which is then not found.
    const keys = colon < 0 ? null : entry.slice(colon + 1).split(',').filter(Boolean);
    const selected = keys && keys.length ? keys : null;
    const file = normalize(join(dir, name));
    const shown = this.display(file);
    const before = this.imports.get(file);
    if (before !== undefined) {
      if (before === null && selected === null) return;
      const partially = before !== null && (selected === null || selected.some((k) => before.includes(k)));
      if (partially || before === null) {
        throw new PipelineError('yaml-schema', before === null
          ? `${label}: cannot partially load '${entry}' as it's already loaded whole`
          : `${label}: cannot load '${entry}' as it's partially loaded already`, where,
        'list a file once, either whole or by keys');
      }
    }
    if (!existsSync(file)) throw new PipelineError('params-file', `${label}: vars file ${shown} not found`, where);
    if (statSync(file).isDirectory()) throw new PipelineError('params-file', `${label}: vars file '${shown}' is a directory`, where);
    this.filesRead.add(file);
    let data = readParamsData(file, where);
    if (!isMapping(data)) {
      throw new PipelineError('params-file', `${label}: expected a dictionary, got ${Array.isArray(data) ? 'a list' : typeof data} in file '${shown}'`, where);
    }
    if (Object.keys(overrides).length) {
      data = structuredClone(data);
      for (const [key, value] of Object.entries(overrides)) setPath(data as Data, key, value);
    }
    if (selected) {
      const missing = selected.find((k) => !Object.hasOwn(data as Data, k));
      if (missing !== undefined) throw new PipelineError('params-file', `${label}: could not find '${missing}' in '${shown}'`, where);
      data = Object.fromEntries(selected.map((k) => [k, (data as Data)[k]]));
    }
    this.merge(data as Data, shown, entry, where, label);
    this.imports.set(file, selected ? [...(before ?? []), ...selected] : null);
  }

  private merge(values: Data, source: string, entry: string | undefined, where: SourcePosition, label: string): void {
    const reserved = Object.keys(values).filter((k) => this.reserved.has(k));
    if (reserved.length) {
      const names = reserved.length === 1 ? reserved[0]! : `${reserved.slice(0, -1).join(', ')} and ${reserved.at(-1)}`;
      throw new PipelineError('yaml-schema', `${label}: attempted to modify reserved key${reserved.length > 1 ? 's' : ''} ${names}${entry ? ` in '${entry}'` : ''}`, where,
        'a stage generated by foreach or matrix gets `item` (and `key`) from its entry; name the var otherwise');
    }
    this.data = this.mergeInto(this.data, values, '', source, where, label);
  }

  /** Returns `into` merged with `update`, copying each mapping it changes (clones share the rest). */
  private mergeInto(into: Data, update: Data, prefix: string, source: string, where: SourcePosition, label: string): Data {
    const out = { ...into };
    for (const [key, value] of Object.entries(update)) {
      const path = `${prefix}${key}`;
      if (Object.hasOwn(out, key) && isMapping(out[key]) && isMapping(value)) {
        setOwn(out, key, this.mergeInto(out[key], value, `${path}.`, source, where, label));
      } else if (Object.hasOwn(out, key)) {
        throw new PipelineError('yaml-schema', `${label}: cannot redefine '${path}' from '${source}' as it already exists in '${this.sourceOf(path)}'`, where,
          'a key may be defined by one source only; rename one of them');
      } else {
        setOwn(out, key, value);
        this.sources.set(path, source);
      }
    }
    return out;
  }

  private sourceOf(path: string): string {
    const parts = path.split('.');
    for (let n = parts.length; n > 0; n--) {
      const found = this.sources.get(parts.slice(0, n).join('.'));
      if (found) return found;
    }
    return 'an earlier source';
  }

  private display(file: string): string {
    const rel = relative(this.root, file);
    return rel && !isAbsolute(rel) ? rel.split('\\').join('/') : file;
  }
}
