/** A stage listing as text for the terminal: `show STAGE`, and the params line of `list`. */
import pc from 'picocolors';
import { flattenParams } from '../define/interpolate.js';
import type { Params } from '../define/declaration.js';
import type { StageListing } from '../graph/listing.js';

/** `lr=0.1, model.depth=4, name=base`: dotted keys, values as `-S` would take them. */
export function formatParams(params: Params): string {
  return flattenParams(params).map(([key, value]) => `${key}=${formatValue(value)}`).join(', ');
}

function formatValue(value: unknown): string {
  // A plain word stays bare; anything a reader could misparse (spaces, commas, '') is quoted.
  return typeof value === 'string' && /^[^\s,='"]+$/.test(value) ? value : JSON.stringify(value);
}

/** One stage in full, a labelled line per field that has something to say. */
export function formatStageListing(s: StageListing): string {
  const lines: string[] = [`${pc.bold(s.name)} ${pc.dim(`(${s.kind})`)}${s.of ? pc.dim(`  instance of ${s.of}`) : ''}`];
  const field = (label: string, value: string | undefined) => {
    if (value) lines.push(`  ${label.padEnd(9)} ${value}`);
  };
  field('desc', s.desc);
  field('cmd', s.cmd);
  if (s.ts) field('code', s.ts.builtin ? `built-in ${s.ts.builtin}` : `stage "${s.ts.stage}" in ${s.ts.module ?? '?'}`);
  field('wdir', s.wdir);
  field('params', formatParams(s.params));
  field('swept', s.values ? formatParams(s.values) : undefined);
  field('deps', s.deps.filter((d) => !Object.values(s.inputs).some((i) => 'path' in i && i.path === d)).join(', '));
  field('inputs', Object.entries(s.inputs).map(([key, i]) => ('path' in i ? `${key} ← ${i.path} (${i.stage})` : `${key} ← every instance of ${i.stage}`)).join(', '));
  field('outs', s.outs.map((o) => {
    const { cache, persist } = s.options.outs[o]!;
    const notes = [...(cache ? [] : ['not cached']), ...(persist ? ['persist'] : [])];
    return notes.length ? `${o} (${notes.join(', ')})` : o;
  }).join(', '));
  field('metrics', s.metrics.join(', '));
  field('plots', s.plots.join(', '));
  field('upstream', upstreamText(s));
  field('options', [...(s.options.frozen ? ['frozen'] : []), ...(s.options.alwaysChanged ? ['always changed'] : []), `executor ${s.options.executor}`,
    ...(s.generated ? ['instances made by a custom sweep generator while it runs'] : [])].join(', '));
  if (s.where) field('defined', `${s.where.file}${s.where.line ? `:${s.where.line}` : ''}`);
  return lines.join('\n') + '\n';
}

/** A collector's upstream is every instance it collects: named once, by their stage, with how many. */
function upstreamText(s: StageListing): string {
  const collected = Object.keys(s.collects ?? {});
  const isCollected = (u: string) => collected.some((of) => u === of || u.startsWith(`${of}@`));
  return [...s.upstream.filter((u) => !isCollected(u)), ...collected.map((of) => `${of} (all ${s.collects![of]})`)].join(', ');
}
