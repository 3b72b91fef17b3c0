/**
 * `${params.x}` references in commands and paths. In a command the value is shell-quoted, so a
 * param value (from a file, `-S` or a queue) can never inject a command; in a path it is inserted
 * as is, but may not contain path separators that leave the project.
 */
import shellQuote from 'shell-quote';
import { PipelineError, closestName, type SourcePosition } from '../errors.js';
import type { Params } from './declaration.js';

const REFERENCE = /\$\{\s*([^}]*?)\s*\}/g;

/** The dotted param paths a template refers to (`${params.a.b}` → `a.b`). */
export function referencedParams(template: string): string[] {
  const keys: string[] = [];
  for (const match of template.matchAll(REFERENCE)) {
    const expr = match[1]!;
    if (expr.startsWith('params.')) keys.push(expr.slice('params.'.length));
  }
  return keys;
}

/**
 * Params are keyed by whatever a file or `-S` says, `constructor` and `__proto__` included: only
 * a key the data itself holds is found (not one every object inherits), and a key is always set
 * as the data's own, never through `__proto__` onto the prototype every object shares.
 */
export function lookupPath(data: unknown, dotted: string): { found: true; value: unknown } | { found: false } {
  let cur: unknown = data;
  for (const part of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, part)) return { found: false };
    cur = (cur as Record<string, unknown>)[part];
  }
  return { found: true, value: cur };
}

export function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let cur = target;
  for (const part of parts.slice(0, -1)) {
    const next = Object.hasOwn(cur, part) ? cur[part] : undefined;
    if (next === null || typeof next !== 'object' || Array.isArray(next)) setOwn(cur, part, {});
    cur = cur[part] as Record<string, unknown>;
  }
  setOwn(cur, parts.at(-1)!, value);
}

/** `object[key] = value`, except that `__proto__` is a key like any other. */
export function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}

export function flattenParams(params: Params, prefix = ''): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [key, value] of Object.entries(params)) {
    const dotted = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) out.push(...flattenParams(value as Params, dotted));
    else out.push([dotted, value]);
  }
  return out;
}

interface InterpolateOptions {
  readonly stage: string;
  readonly where?: SourcePosition;
  readonly mode: 'shell' | 'path';
}

export function interpolate(template: string, params: Params, options: InterpolateOptions): string {
  if (!template.includes('${')) return template;
  return template.replace(REFERENCE, (_whole, expr: string) => {
    if (!expr.startsWith('params.')) {
      throw new PipelineError('interpolation', `stage "${options.stage}": unknown reference \${${expr}}`, options.where,
        `refer to a param as \${params.${expr}}`);
    }
    const key = expr.slice('params.'.length);
    const hit = lookupPath(params, key);
    if (!hit.found) {
      const known = flattenParams(params).map(([k]) => k);
      const guess = closestName(key, known);
      throw new PipelineError('interpolation', `stage "${options.stage}": \${${expr}} names no param of this stage`, options.where,
        guess ? `did you mean \${params.${guess}}?` : `declare "${key}" in the stage's params`);
    }
    if (Array.isArray(hit.value) && options.mode === 'shell') return shellQuote.quote(hit.value.map((v) => scalarText(v, options, expr)));
    const text = scalarText(hit.value, options, expr);
    return options.mode === 'shell' ? shellQuote.quote([text]) : text;
  });
}

function scalarText(value: unknown, options: InterpolateOptions, expr: string): string {
  if (typeof value === 'string') {
    if (options.mode === 'path' && (value.includes('/') || value.includes('\\') || value === '..')) {
      throw new PipelineError('interpolation', `stage "${options.stage}": \${${expr}} = ${JSON.stringify(value)} may not be used in a path`, options.where,
        'a param inserted into a path must not contain "/" or be ".."');
    }
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new PipelineError('interpolation', `stage "${options.stage}": \${${expr}} is ${value === null ? 'null' : typeof value}, not a scalar`, options.where,
    'insert a string, number or boolean');
}
