/**
 * Parameter spaces and the instances they make. A space maps param keys to fixed values, grid
 * options (their cartesian product), or distributions drawn from for random search. Draws are
 * seeded per (grid point, sample index), so growing a sweep from 10 samples to 20 keeps the first
 * 10 instances exactly and only the new ones run.
 */
import { xxHash } from '../native.js';
import { mersenne } from 'pure-rand/generator/mersenne';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { SourcePosition } from '../errors.js';
import type { Metrics } from './stage.js';

const DIMENSION = Symbol.for('pipewright.dimension');

export type Dimension =
  | { readonly kind: 'grid'; readonly values: readonly unknown[] }
  | { readonly kind: 'choice'; readonly values: readonly unknown[] }
  | { readonly kind: 'uniform' | 'loguniform'; readonly lo: number; readonly hi: number }
  | { readonly kind: 'int'; readonly lo: number; readonly hi: number };

type Branded<D extends Dimension> = D & { readonly [DIMENSION]: true };
const brand = <D extends Dimension>(d: D): Branded<D> => ({ ...d, [DIMENSION]: true });

/** Every option, each combined with every option of the other grid entries. */
export const grid = <T>(values: readonly T[]) => brand({ kind: 'grid', values }) as Branded<Dimension> & { readonly __type?: T };
/** One of the options, drawn at random for each sample. */
export const choice = <T>(values: readonly T[]) => brand({ kind: 'choice', values }) as Branded<Dimension> & { readonly __type?: T };
export const uniform = (lo: number, hi: number) => brand({ kind: 'uniform', lo, hi });
/** Uniform in log space: for learning rates and other scales. */
export const loguniform = (lo: number, hi: number) => brand({ kind: 'loguniform', lo, hi });
/** An integer from lo to hi, both included. */
export const int = (lo: number, hi: number) => brand({ kind: 'int', lo, hi });

export function isDimension(value: unknown): value is Dimension {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[DIMENSION] === true;
}

/** A space entry: a dimension, or a value every instance gets. */
export type SpaceEntry = Dimension | { readonly kind: 'value'; readonly value: unknown };
export type Space = Readonly<Record<string, SpaceEntry>>;

/** What a custom generator learns of each finished instance. */
export interface InstanceResult {
  readonly name: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** The swept values only (the space's keys). */
  readonly values: Readonly<Record<string, unknown>>;
  readonly status: 'ran' | 'skipped' | 'restored' | 'failed';
  readonly metrics?: Metrics;
}

/**
 * A custom search: yields the values of one instance at a time. It is asked for the next one
 * when there is room to run it, and `results` holds every instance finished so far (it grows
 * between yields), so it can steer toward what worked.
 */
export type SweepGenerator = (space: Space, results: readonly InstanceResult[]) => AsyncIterable<Record<string, unknown>>;

export interface SweepDeclaration {
  readonly space: Space;
  /** Random draws per grid point; only with random dimensions. */
  readonly samples?: number;
  readonly seed: number;
  /** A custom generator; instances are then made while the run goes. */
  readonly generate?: SweepGenerator;
  readonly where?: SourcePosition;
}

export interface SweepPoint {
  /** The swept keys' values (fixed values included). */
  readonly values: Readonly<Record<string, unknown>>;
}

const RANDOM: ReadonlySet<SpaceEntry['kind']> = new Set(['choice', 'uniform', 'loguniform', 'int']);

/** A message about a space that cannot work, or undefined. */
export function checkSpace(sweep: SweepDeclaration): string | undefined {
  for (const [key, entry] of Object.entries(sweep.space)) {
    if ((entry.kind === 'grid' || entry.kind === 'choice') && entry.values.length === 0) return `"${key}": ${entry.kind} needs at least one option`;
    if (entry.kind === 'uniform' || entry.kind === 'loguniform' || entry.kind === 'int') {
      if (!Number.isFinite(entry.lo) || !Number.isFinite(entry.hi) || entry.lo > entry.hi) return `"${key}": ${entry.kind} needs [low, high] with low <= high`;
      if (entry.kind === 'loguniform' && entry.lo <= 0) return `"${key}": loguniform needs a low above 0`;
      if (entry.kind === 'int' && (!Number.isInteger(entry.lo) || !Number.isInteger(entry.hi))) return `"${key}": int needs integer bounds`;
    }
  }
  const random = Object.values(sweep.space).some((e) => RANDOM.has(e.kind));
  if (!sweep.generate && random && !sweep.samples) return 'random dimensions need `samples: N` (draws per grid point)';
  if (sweep.samples !== undefined && (!Number.isInteger(sweep.samples) || sweep.samples < 1)) return '`samples` must be a positive integer';
  return undefined;
}

/** The instances of a grid/random sweep, in a stable order: grid points, then samples. */
export function expandSweep(sweep: SweepDeclaration): SweepPoint[] {
  const keys = Object.keys(sweep.space);
  const gridKeys = keys.filter((k) => sweep.space[k]!.kind === 'grid');
  const randomKeys = keys.filter((k) => RANDOM.has(sweep.space[k]!.kind));
  const samples = randomKeys.length ? sweep.samples ?? 1 : 1;
  const points: SweepPoint[] = [];
  for (const gridValues of cartesian(gridKeys.map((k) => (sweep.space[k] as { values: readonly unknown[] }).values))) {
    const gridKey = JSON.stringify(gridValues);
    for (let i = 0; i < samples; i++) {
      const draw = randomSource(`${sweep.seed}/${gridKey}/${i}`);
      const values: Record<string, unknown> = {};
      for (const key of keys) {
        const entry = sweep.space[key]!;
        if (entry.kind === 'value') values[key] = entry.value;
        else if (entry.kind === 'grid') values[key] = gridValues[gridKeys.indexOf(key)];
        else values[key] = sample(entry, draw);
      }
      points.push({ values });
    }
  }
  return points;
}

/** Draws one value of a dimension (also for custom generators). */
export function sample(entry: Dimension, draw: () => number): unknown {
  switch (entry.kind) {
    case 'grid':
    case 'choice':
      return entry.values[Math.min(entry.values.length - 1, Math.floor(draw() * entry.values.length))];
    case 'uniform':
      return entry.lo + draw() * (entry.hi - entry.lo);
    case 'loguniform':
      return Math.exp(Math.log(entry.lo) + draw() * (Math.log(entry.hi) - Math.log(entry.lo)));
    case 'int':
      return entry.lo + Math.min(entry.hi - entry.lo, Math.floor(draw() * (entry.hi - entry.lo + 1)));
  }
}

/** A seeded source of floats in [0, 1): Mersenne Twister from pure-rand, seeded by a string. */
export function randomSource(seed: string | number): () => number {
  const rng = mersenne(typeof seed === 'number' ? seed | 0 : xxHash().xxh32(seed, 0) | 0);
  return () => uniformFloat64(rng);
}

function* cartesian(lists: readonly (readonly unknown[])[]): Generator<unknown[]> {
  if (lists.length === 0) {
    yield [];
    return;
  }
  const [first, ...rest] = lists;
  for (const value of first!) for (const tail of cartesian(rest)) yield [value, ...tail];
}

/**
 * `train@depth=4,lr=0.0123`: the varying keys and their values, numbers to 4 significant digits.
 * When rounding would give two instances one name, more digits are used for all of them.
 */
export function instanceNames(stage: string, space: Space, points: readonly SweepPoint[]): string[] {
  const varying = Object.keys(space).filter((k) => space[k]!.kind !== 'value');
  for (const digits of [4, 6, 10, 17]) {
    const names = points.map((p) => instanceName(stage, varying, p.values, digits));
    if (new Set(names).size === names.length) return names;
  }
  // Equal values drawn twice (a small choice space, say): the sample index tells them apart.
  return points.map((p, i) => `${instanceName(stage, varying, p.values, 17)}#${i + 1}`);
}

/** With nothing varying (every key fixed by -S), the one instance is the stage itself. */
export function instanceName(stage: string, keys: readonly string[], values: Readonly<Record<string, unknown>>, digits = 4): string {
  return keys.length ? `${stage}@${keys.map((k) => `${k}=${formatValue(values[k], digits)}`).join(',')}` : stage;
}

function formatValue(value: unknown, digits: number): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(digits)));
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.replace(/[^A-Za-z0-9_.+-]/g, '_');
}
