/**
 * The `${...}` references of dvc.yaml, read by DVC's grammar: a name, then any number of `.name`
 * or `[name]`, where a name is any run of characters but `.`, `[` and `]` (so `${item[thresh]}`
 * and `${lst.0}` are both references). `\${` is not a reference.
 */

/** Lazy, so that `${a} ${b}` is two references; the first `}` ends one, as in DVC. */
export const REFERENCE = /(?<!\\)\$\{(.*?)\}/g;

export interface Reference {
  readonly text: string;
  readonly inner: string;
  readonly start: number;
  readonly end: number;
}

export function referencesIn(text: string): Reference[] {
  if (!text.includes('${')) return [];
  return [...text.matchAll(REFERENCE)].map((m) => ({ text: m[0], inner: m[1]!, start: m.index, end: m.index + m[0].length }));
}

export function isInterpolated(value: unknown): boolean {
  return typeof value === 'string' && referencesIn(value).length > 0;
}

/** A reference that cannot be read: where in `${...}` reading stopped (0-based, counting `${`). */
export class ReferenceSyntaxError extends Error {
  constructor(readonly reference: string, readonly at: number) {
    const found = reference[at];
    super(`cannot read ${reference}: ${found === '}' ? 'a name is missing' : `unexpected "${found}"`} at character ${at + 1}`);
  }
}

/** The names of a reference, each trimmed as DVC trims them: `${ a.b }` is `a`, `b`. */
export function parseReference(inner: string): string[] {
  const parts: string[] = [];
  let i = 0;
  const name = (): string | undefined => {
    const m = /^[^.[\]]+/.exec(inner.slice(i));
    if (!m) return undefined;
    i += m[0].length;
    return m[0];
  };
  const first = name();
  if (first === undefined) throw new ReferenceSyntaxError(`\${${inner}}`, i + 2);
  parts.push(first.trim());
  while (i < inner.length) {
    const start = i;
    let part: string | undefined;
    if (inner[i] === '.') {
      i++;
      part = name();
    } else if (inner[i] === '[') {
      i++;
      part = name();
      if (part !== undefined && inner[i] === ']') i++;
      else part = undefined;
    }
    if (part === undefined) throw new ReferenceSyntaxError(`\${${inner}}`, start + 2);
    parts.push(part.trim());
  }
  return parts;
}

/** Throws the first unreadable reference anywhere in a value (keys included). */
export function checkReferences(value: unknown): void {
  if (typeof value === 'string') for (const ref of referencesIn(value)) parseReference(ref.inner);
  else if (Array.isArray(value)) value.forEach(checkReferences);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      checkReferences(k);
      checkReferences(v);
    }
  }
}

/** True when any string in a value (keys included) holds a reference. */
export function hasReferences(value: unknown): boolean {
  if (typeof value === 'string') return isInterpolated(value);
  if (Array.isArray(value)) return value.some(hasReferences);
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([k, v]) => isInterpolated(k) || hasReferences(v));
  return false;
}
