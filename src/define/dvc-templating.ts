/**
 * DVC's `${...}` templating for dvc.yaml. A string that is one reference keeps the value's type;
 * references inside a longer string are inserted as text, as DVC writes it (booleans lower-case,
 * null as `None`). Only `cmd` may take a mapping inside a string: it becomes command-line options.
 * Lists and mappings are refused elsewhere, as DVC refuses them. Values are inserted into `cmd` as
 * they are, not shell-quoted, except strings unpacked from a mapping (DVC quotes those).
 */
import { PipelineError, type SourcePosition } from '../errors.js';
import type { ParsingOptions } from './dvc-config.js';
import { parseReference, ReferenceSyntaxError, referencesIn } from './dvc-expression.js';
import { pythonNumber } from './dvc-spelling.js';

export type TemplateContext = Readonly<Record<string, unknown>>;

/** Where a value being resolved sits: for messages, and which stage key it is (DVC's rules differ by key). */
export interface Site {
  readonly where: () => SourcePosition | undefined;
  /** e.g. `stage "build" cmd`. */
  readonly label: string;
  /** The stage key (`cmd`, `outs`, ...); undefined for `wdir` while locating vars, `foreach` and `matrix` data. */
  readonly key?: string;
  readonly parsing?: ParsingOptions;
}

/** Resolves every string in a value, deeply, mapping keys included. */
export function resolveTemplate(value: unknown, context: TemplateContext, site: Site): unknown {
  if (typeof value === 'string') return resolveString(value, context, site);
  if (Array.isArray(value)) return value.map((v) => resolveTemplate(v, context, site));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [toText(resolveString(k, context, site)), resolveTemplate(v, context, site)]));
  }
  return value;
}

function resolveString(text: string, context: TemplateContext, site: Site): unknown {
  const refs = referencesIn(text);
  if (refs.length === 1 && refs[0]!.text === text) return checked(select(context, refs[0]!.inner, site), refs[0]!.text, site);
  let out = '';
  let at = 0;
  for (const ref of refs) {
    const value = checked(select(context, ref.inner, site), ref.text, site);
    out += text.slice(at, ref.start) + (value !== null && typeof value === 'object' ? commandArguments(value as Record<string, unknown>, site, ref.text) : toText(value));
    at = ref.end;
  }
  return (out + text.slice(at)).replaceAll('\\${', '${');
}

/** DVC takes a list or mapping only where a whole value is one (foreach, matrix), or a mapping into `cmd`. */
function checked(value: unknown, reference: string, site: Site): unknown {
  if (value === null || typeof value !== 'object' || site.key === undefined) return value;
  if (site.key === 'cmd' && !Array.isArray(value)) return value;
  const kind = Array.isArray(value) ? 'list' : 'dictionary';
  throw new PipelineError('interpolation', `${site.label}: ${reference} is a ${kind}, and DVC cannot interpolate a ${kind} here`, site.where(),
    site.key === 'cmd' ? `refer to its items one by one, e.g. ${reference.slice(0, -1)}[0]}` : `refer to one of its values, e.g. ${reference.slice(0, -1)}.name}`);
}

/**
 * A mapping inserted into `cmd` becomes options, as DVC unpacks it: nested keys dotted
 * (`--outer.inner v`), strings shell-quoted, `--flag` for true; false adds `--no-flag` only with
 * `bool: boolean_optional`; a list is `--list a b` (`nargs`) or `--list a --list b` (`append`).
 */
function commandArguments(values: Record<string, unknown>, site: Site, reference: string): string {
  const bools = site.parsing?.bool ?? 'store_true';
  const lists = site.parsing?.list ?? 'nargs';
  const parts: string[] = [];
  for (const [key, value] of flatten(values)) {
    if (typeof value === 'boolean') {
      if (value) parts.push(`--${key}`);
      else if (bools === 'boolean_optional') parts.push(`--no-${key}`);
    } else if (typeof value === 'string') {
      parts.push(`--${key}`, shellQuote(value));
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (item !== null && typeof item === 'object') {
          throw new PipelineError('interpolation', `${site.label}: ${reference} holds a nested list or mapping in "${key}", which DVC cannot put in a command`, site.where(),
            'flatten the list, or refer to its items one by one');
        }
        const text = typeof item === 'string' ? shellQuote(item) : pythonText(item);
        parts.push(...(lists === 'append' || i === 0 ? [`--${key}`, text] : [text]));
      });
    } else {
      parts.push(`--${key}`, pythonText(value));
    }
  }
  return parts.join(' ');
}

/** Nested mappings to dotted keys; an empty mapping vanishes, as with DVC's flatten. */
function flatten(values: Record<string, unknown>, prefix = ''): [string, unknown][] {
  return Object.entries(values).flatMap(([key, value]): [string, unknown][] =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? flatten(value as Record<string, unknown>, `${prefix}${key}.`)
      : [[`${prefix}${key}`, value]]);
}

/** Python's shlex.quote, which DVC uses: bare when only safe characters, else single-quoted. */
export function shellQuote(text: string): string {
  if (text === '') return "''";
  if (/^[\w@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replaceAll("'", `'"'"'`)}'`;
}

/** DVC's to_str: booleans lower-case, null `None`, numbers as Python prints them. */
export function toText(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return pythonText(value);
}

/** What Python's str() gives (DVC formats list items and option values with it). */
function pythonText(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  // Python switches to an exponent below 1e-4 (JavaScript only below 1e-6) and from 1e16.
  if (typeof value === 'number') return pythonNumber(value);
  return String(value);
}

/** The value a reference names. Keys are looked up as written; a list takes a whole-number index. */
export function select(context: TemplateContext, inner: string, site: Site): unknown {
  let parts: string[];
  try {
    parts = parseReference(inner);
  } catch (err) {
    if (err instanceof ReferenceSyntaxError) throw syntaxError(err, site);
    throw err;
  }
  let cur: unknown = context;
  for (const part of parts) {
    const next = child(cur, part);
    if (next === undefined) {
      throw new PipelineError('interpolation', `${site.label}: \${${inner}} names nothing: could not find '${parts.join('.')}'`, site.where(),
        'define it in params.yaml or under `vars:`');
    }
    cur = next.value;
  }
  return cur;
}

function child(container: unknown, part: string): { value: unknown } | undefined {
  if (Array.isArray(container)) {
    if (!/^\s*[-+]?\d+\s*$/.test(part)) return undefined;
    const index = Number(part);
    const at = index < 0 ? container.length + index : index;
    return at >= 0 && at < container.length ? { value: container[at] } : undefined;
  }
  if (container !== null && typeof container === 'object' && Object.hasOwn(container, part)) return { value: (container as Record<string, unknown>)[part] };
  return undefined;
}

export function syntaxError(err: ReferenceSyntaxError, site: Site): PipelineError {
  return new PipelineError('interpolation', `${site.label}: ${err.message}`, site.where(),
    'a reference is a dotted path such as ${train.lr}, ${layers[0]} or ${item[name]}');
}
