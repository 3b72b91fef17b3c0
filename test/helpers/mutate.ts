/**
 * Seeded random mutations of a YAML (or TOML, or JSON) file, for the "no crash on any input"
 * property test. Each mutation is one a user or an editor could make: a line deleted or
 * duplicated, a value of the wrong type, a list where a mapping was, a file cut short, a stray
 * `${`, a character YAML gives a meaning to. Structural mutations edit the parsed document (the
 * `yaml` library keeps comments and most layout); text mutations work on the bytes, so they also
 * make files no parser accepts.
 *
 * A seeded PRNG (pure-rand, already a dependency) rather than fast-check: every case is one seed
 * and an index, so a failure is reproduced by running that one case, and the mutations are real
 * files changed slightly, which shrinking would not make much smaller.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { mersenne } from 'pure-rand/generator/mersenne';
import { isCollection, isMap, isScalar, isSeq, parseDocument, visit, type Document, type Node } from 'yaml';

export interface Random {
  /** A whole number in [from, to]. */
  int(from: number, to: number): number;
  pick<T>(items: readonly T[]): T;
  /** One of `items`, each as likely as its weight. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T;
  chance(p: number): boolean;
}

/** The generator of case `index` of a run seeded with `seed`: any case can be replayed alone. */
export function caseRandom(seed: number, index: number): Random {
  // Mersenne Twister spreads nearby seeds well; the multiplier keeps (seed, index) pairs apart.
  const rng = mersenne((Math.imul(seed, 0x9e3779b1) + index) | 0);
  const int = (from: number, to: number) => uniformInt(rng, from, to);
  const chance = (p: number) => int(0, 999_999) < p * 1_000_000;
  return {
    int,
    chance,
    pick: (items) => items[int(0, items.length - 1)]!,
    weighted: (items, weights) => {
      const total = weights.reduce((a, b) => a + b, 0);
      let at = (int(0, 999_999) / 1_000_000) * total;
      for (const [i, w] of weights.entries()) if ((at -= w) < 0) return items[i]!;
      return items.at(-1)!;
    },
  };
}

export interface Mutation {
  readonly text: string;
  /** What was done, for the failure message: `delete line 4`, `cut at byte 120`. */
  readonly steps: readonly string[];
}

/** One to three mutations in a row (mostly one: a single change is what most failures need). */
export function mutate(text: string, random: Random): Mutation {
  const count = random.pick([1, 1, 1, 1, 2, 2, 3]);
  const steps: string[] = [];
  for (let i = 0; i < count; i++) {
    const kind = random.pick(KINDS);
    const result = (STRUCTURAL.has(kind) ? structuralOrNot(text, kind, random) : undefined) ?? textual(text, STRUCTURAL.has(kind) ? random.pick(TEXT_KINDS) : kind, random);
    text = result.text;
    steps.push(result.step);
  }
  return { text, steps };
}

const TEXT_KINDS = ['delete-line', 'duplicate-line', 'cut', 'insert-template', 'insert-char', 'reindent', 'swap-lines'] as const;
const STRUCT_KINDS = ['retype-scalar', 'replace-node', 'swap-collection', 'drop-entry', 'rename-key', 'add-key'] as const;
type Kind = (typeof TEXT_KINDS)[number] | (typeof STRUCT_KINDS)[number];
const STRUCTURAL = new Set<Kind>(STRUCT_KINDS);
// Structural kinds are listed twice: most real mistakes are a value of the wrong shape.
const KINDS: readonly Kind[] = [...TEXT_KINDS, ...STRUCT_KINDS, ...STRUCT_KINDS];

/** Bits of templating, whole or broken, as a user might leave them. */
const TEMPLATES = ['${', '${}', '${ }', '${x}', '${item}', '${key}', '${a.b}', '${item.0}', '${[0]}', '${a', '${a[', '${a]}', '${.}', '\\${', '}', '${${x}}', '${params}'];
/** Characters with a meaning in YAML (or in a TOML file), and a few that have none anywhere. */
const CHARS = [':', '-', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`', '?', ',', '\t', '\n', ' ', '\r', '\0', '\uFEFF', '\u00e9', '\\', '<<: *a\n', '&a ', '*a', '!!binary ', '!!python/object ', '---\n', '...\n', '=', '.'];
/**
 * Keys that mean something: to DVC (a stage key where another was), to templating (`item`), to
 * JavaScript objects (`__proto__`, `constructor`), or to a dotted path.
 */
const KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', '', ' ', 'a.b', 'a@b', 'a b', '${x}', '${item}', '1', 'null', 'true',
  'stages', 'vars', 'plots', 'metrics', 'params', 'cmd', 'deps', 'outs', 'wdir', 'foreach', 'do', 'matrix', 'item', 'key', 'frozen', 'always_changed',
  'cache', 'persist', 'x', 'y', 'template', 'path', 'md5', 'hash', 'size', 'nfiles', 'schema', 'sweep', 'collect', 'executor', 'versions', 'dev'];
/** Values of every type for a scalar's or a node's place. */
const VALUES: readonly unknown[] = [
  0, 1, -1, 2.5, 1e300, -0.0001, 12345678901234567890, true, false, null, '', ' ', 'x', 'echo hi', '..', '/abs/path', '../../out',
  'a/b/c', '~', '*', 'a,b', 'a:b', '${x}', '${item}', 'NaN', '.inf', '0x1F', '1_000', '2026-12-01', '__proto__', '__proto__.x', 'constructor', 'train.*',
  'params.yaml:', [], ['x'], [1, 2], [[]], [{ a: 1 }], {}, { a: 1 }, { x: [] }, { cmd: 1 }, { 'params.yaml': null },
  // A key of its own, not the object literal's prototype.
  JSON.parse('{"__proto__": {"x": 1}}'),
];

function textual(text: string, kind: Kind, random: Random): { text: string; step: string } {
  const lines = text.split('\n');
  const line = random.int(0, Math.max(0, lines.length - 1));
  const bytes = Buffer.from(text, 'utf8');
  const at = random.int(0, bytes.length);
  const insert = (what: string) => Buffer.concat([bytes.subarray(0, at), Buffer.from(what, 'utf8'), bytes.subarray(at)]).toString('utf8');
  switch (kind) {
    case 'delete-line':
      lines.splice(line, 1);
      return { text: lines.join('\n'), step: `delete line ${line + 1}` };
    case 'duplicate-line':
      lines.splice(line, 0, lines[line] ?? '');
      return { text: lines.join('\n'), step: `duplicate line ${line + 1}` };
    case 'swap-lines': {
      const other = random.int(0, Math.max(0, lines.length - 1));
      [lines[line], lines[other]] = [lines[other] ?? '', lines[line] ?? ''];
      return { text: lines.join('\n'), step: `swap lines ${line + 1} and ${other + 1}` };
    }
    case 'reindent': {
      const by = random.pick([-4, -2, -1, 1, 2, 4]);
      const current = lines[line] ?? '';
      lines[line] = by > 0 ? ' '.repeat(by) + current : current.replace(new RegExp(`^ {0,${-by}}`), '');
      return { text: lines.join('\n'), step: `indent line ${line + 1} by ${by}` };
    }
    case 'cut':
      // Bytes, not characters: a cut may fall inside a UTF-8 sequence, as a truncated write does.
      return { text: bytes.subarray(0, at).toString('utf8'), step: `cut at byte ${at}` };
    case 'insert-template': {
      const what = random.pick(TEMPLATES);
      return { text: insert(what), step: `insert ${JSON.stringify(what)} at byte ${at}` };
    }
    default: {
      const what = random.pick(CHARS);
      return { text: insert(what), step: `insert ${JSON.stringify(what)} at byte ${at}` };
    }
  }
}

/** A document the `yaml` library can read but not edit or print (a complex key, say) gets a text change instead. */
function structuralOrNot(text: string, kind: Kind, random: Random): { text: string; step: string } | undefined {
  try {
    return structural(text, kind, random);
  } catch {
    return undefined;
  }
}

interface Site {
  readonly node: Node;
  readonly path: readonly unknown[];
}

/** A structural change, or undefined when the text does not parse as YAML (a text change is made instead). */
function structural(text: string, kind: Kind, random: Random): { text: string; step: string } | undefined {
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { uniqueKeys: false });
  } catch {
    return undefined;
  }
  if (doc.errors.length) return undefined;
  const sites: Site[] = [];
  visit(doc, { Node: (_key, node, path) => void sites.push({ node, path: [...path] }) });
  const wanted = sites.filter(({ node }) =>
    kind === 'retype-scalar' ? isScalar(node)
      : kind === 'swap-collection' || kind === 'drop-entry' ? isCollection(node) && node.items.length > 0
        : kind === 'rename-key' ? isMap(node) && node.items.length > 0
          : kind === 'add-key' ? isMap(node) : true);
  if (wanted.length === 0) return undefined;
  const { node } = random.pick(wanted);
  const where = node.range ? `line ${lineOf(text, node.range[0])}` : 'the document';
  let step: string;
  let replacement: Node | undefined;
  switch (kind) {
    case 'retype-scalar':
    case 'replace-node': {
      const value = random.pick(VALUES);
      replacement = doc.createNode(value) as Node;
      step = `${kind === 'retype-scalar' ? 'set the scalar' : 'replace the node'} at ${where} to ${JSON.stringify(value)}`;
      break;
    }
    case 'swap-collection': {
      if (isSeq(node)) {
        // A list becomes a mapping: its items keyed by position, or by their own text.
        const byText = random.chance(0.5);
        const map = doc.createNode({}) as ReturnType<Document['createNode']> & { items: unknown[] };
        // Two items of one text make one key: the later wins, as in a mapping written twice.
        node.items.forEach((item, i) => (map as unknown as { add(p: unknown, overwrite: boolean): void }).add(doc.createPair(byText && isScalar(item) ? String(item.value) : `k${i}`, item), true));
        replacement = map as unknown as Node;
        step = `turn the list at ${where} into a mapping`;
      } else if (isMap(node)) {
        // A mapping becomes a list: of its keys, or of its values.
        const ofKeys = random.chance(0.5);
        const seq = doc.createNode([]) as unknown as { add(v: unknown): void };
        for (const pair of node.items) seq.add(ofKeys ? pair.key : pair.value);
        replacement = seq as unknown as Node;
        step = `turn the mapping at ${where} into a list of its ${ofKeys ? 'keys' : 'values'}`;
      } else return undefined;
      break;
    }
    case 'rename-key': {
      if (!isMap(node)) return undefined;
      const pair = random.pick(node.items);
      const name = random.pick(KEYS);
      const before = isScalar(pair.key) ? String(pair.key.value) : '?';
      pair.key = doc.createNode(name) as typeof pair.key;
      step = `rename key "${before}" at ${where} to ${JSON.stringify(name)}`;
      break;
    }
    case 'add-key': {
      if (!isMap(node)) return undefined;
      const name = random.pick(KEYS);
      const value = random.pick(VALUES);
      node.items.push(doc.createPair(name, value) as (typeof node.items)[number]);
      step = `add ${JSON.stringify(name)}: ${JSON.stringify(value)} to the mapping at ${where}`;
      break;
    }
    default: {
      if (!isCollection(node)) return undefined;
      const i = random.int(0, node.items.length - 1);
      node.items.splice(i, 1);
      step = `drop entry ${i} of the ${isSeq(node) ? 'list' : 'mapping'} at ${where}`;
    }
  }
  if (replacement) {
    let done = false;
    visit(doc, { Node: (_key, n) => (n === node && !done ? ((done = true), replacement) : undefined) });
  }
  try {
    return { text: doc.toString(), step };
  } catch {
    return undefined;
  }
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
