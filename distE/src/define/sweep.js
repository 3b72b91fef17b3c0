/**
 * Parameter spaces and the instances they make. A space maps param keys to fixed values, grid
 * options (their cartesian product), or distributions drawn from for random search. Draws are
 * seeded per (grid point, sample index), so growing a sweep from 10 samples to 20 keeps the first
 * 10 instances exactly and only the new ones run.
 */
import { xxHash } from '../native.js';
import { mersenne } from 'pure-rand/generator/mersenne';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
const DIMENSION = Symbol.for('pipewright.dimension');
export const DIMENSION_KINDS = ['grid', 'choice', 'uniform', 'loguniform', 'int'];
const brand = (d) => ({ ...d, [DIMENSION]: true });
/** Every option, each combined with every option of the other grid entries. */
export const grid = (values) => brand({ kind: 'grid', values });
/** One of the options, drawn at random for each sample. */
export const choice = (values) => brand({ kind: 'choice', values });
export const uniform = (lo, hi) => brand({ kind: 'uniform', lo, hi });
/** Uniform in log space: for learning rates and other scales. */
export const loguniform = (lo, hi) => brand({ kind: 'loguniform', lo, hi });
/** An integer from lo to hi, both included. */
export const int = (lo, hi) => brand({ kind: 'int', lo, hi });
export function isDimension(value) {
    return typeof value === 'object' && value !== null && value[DIMENSION] === true;
}
const RANDOM = new Set(['choice', 'uniform', 'loguniform', 'int']);
/** A message about a space that cannot work, or undefined. */
export function checkSpace(sweep) {
    for (const [key, entry] of Object.entries(sweep.space)) {
        if ((entry.kind === 'grid' || entry.kind === 'choice') && entry.values.length === 0)
            return `"${key}": ${entry.kind} needs at least one option`;
        if (entry.kind === 'uniform' || entry.kind === 'loguniform' || entry.kind === 'int') {
            if (!Number.isFinite(entry.lo) || !Number.isFinite(entry.hi) || entry.lo > entry.hi)
                return `"${key}": ${entry.kind} needs [low, high] with low <= high`;
            if (entry.kind === 'loguniform' && entry.lo <= 0)
                return `"${key}": loguniform needs a low above 0`;
            if (entry.kind === 'int' && (!Number.isInteger(entry.lo) || !Number.isInteger(entry.hi)))
                return `"${key}": int needs integer bounds`;
        }
    }
    const random = Object.values(sweep.space).some((e) => RANDOM.has(e.kind));
    if (!sweep.generate && random && !sweep.samples)
        return 'random dimensions need `samples: N` (draws per grid point)';
    if (sweep.samples !== undefined && (!Number.isInteger(sweep.samples) || sweep.samples < 1))
        return '`samples` must be a positive integer';
    return undefined;
}
/** The instances of a grid/random sweep, in a stable order: grid points, then samples. */
export function expandSweep(sweep) {
    const keys = Object.keys(sweep.space);
    const gridKeys = keys.filter((k) => sweep.space[k].kind === 'grid');
    const randomKeys = keys.filter((k) => RANDOM.has(sweep.space[k].kind));
    const samples = randomKeys.length ? sweep.samples ?? 1 : 1;
    const points = [];
    for (const gridValues of cartesian(gridKeys.map((k) => sweep.space[k].values))) {
        const gridKey = JSON.stringify(gridValues);
        for (let i = 0; i < samples; i++) {
            const draw = randomSource(`${sweep.seed}/${gridKey}/${i}`);
            const values = {};
            for (const key of keys) {
                const entry = sweep.space[key];
                if (entry.kind === 'value')
                    values[key] = entry.value;
                else if (entry.kind === 'grid')
                    values[key] = gridValues[gridKeys.indexOf(key)];
                else
                    values[key] = sample(entry, draw);
            }
            points.push({ values });
        }
    }
    return points;
}
/** Draws one value of a dimension (also for custom generators). */
export function sample(entry, draw) {
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
export function randomSource(seed) {
    const rng = mersenne(typeof seed === 'number' ? seed | 0 : xxHash().xxh32(seed, 0) | 0);
    return () => uniformFloat64(rng);
}
function* cartesian(lists) {
    if (lists.length === 0) {
        yield [];
        return;
    }
    const [first, ...rest] = lists;
    for (const value of first)
        for (const tail of cartesian(rest))
            yield [value, ...tail];
}
/**
 * `train@depth=4,lr=0.0123`: the varying keys and their values, numbers to 4 significant digits.
 * When rounding would give two instances one name, more digits are used for all of them.
 */
export function instanceNames(stage, space, points) {
    const varying = Object.keys(space).filter((k) => space[k].kind !== 'value');
    for (const digits of [4, 6, 10, 17]) {
        const names = points.map((p) => instanceName(stage, varying, p.values, digits));
        if (new Set(names).size === names.length)
            return names;
    }
    // Equal values drawn twice (a small choice space, say): the sample index tells them apart.
    return points.map((p, i) => `${instanceName(stage, varying, p.values, 17)}#${i + 1}`);
}
/** With nothing varying (every key fixed by -S), the one instance is the stage itself. */
export function instanceName(stage, keys, values, digits = 4) {
    return keys.length ? `${stage}@${keys.map((k) => `${k}=${formatValue(values[k], digits)}`).join(',')}` : stage;
}
function formatValue(value, digits) {
    if (typeof value === 'number')
        return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(digits)));
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return text.replace(/[^A-Za-z0-9_.+-]/g, '_');
}
//# sourceMappingURL=sweep.js.map