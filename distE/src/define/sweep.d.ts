import type { SourcePosition } from '../errors.js';
import type { Metrics } from './stage.js';
declare const DIMENSION: unique symbol;
export type Dimension = {
    readonly kind: 'grid';
    readonly values: readonly unknown[];
} | {
    readonly kind: 'choice';
    readonly values: readonly unknown[];
} | {
    readonly kind: 'uniform' | 'loguniform';
    readonly lo: number;
    readonly hi: number;
} | {
    readonly kind: 'int';
    readonly lo: number;
    readonly hi: number;
};
export type DimensionKind = Dimension['kind'];
export declare const DIMENSION_KINDS: readonly DimensionKind[];
type Branded<D extends Dimension> = D & {
    readonly [DIMENSION]: true;
};
/** Every option, each combined with every option of the other grid entries. */
export declare const grid: <T>(values: readonly T[]) => Branded<Dimension> & {
    readonly __type?: T;
};
/** One of the options, drawn at random for each sample. */
export declare const choice: <T>(values: readonly T[]) => Branded<Dimension> & {
    readonly __type?: T;
};
export declare const uniform: (lo: number, hi: number) => Branded<{
    kind: "uniform";
    lo: number;
    hi: number;
}>;
/** Uniform in log space: for learning rates and other scales. */
export declare const loguniform: (lo: number, hi: number) => Branded<{
    kind: "loguniform";
    lo: number;
    hi: number;
}>;
/** An integer from lo to hi, both included. */
export declare const int: (lo: number, hi: number) => Branded<{
    kind: "int";
    lo: number;
    hi: number;
}>;
export declare function isDimension(value: unknown): value is Dimension;
/** A space entry: a dimension, or a value every instance gets. */
export type SpaceEntry = Dimension | {
    readonly kind: 'value';
    readonly value: unknown;
};
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
/** A message about a space that cannot work, or undefined. */
export declare function checkSpace(sweep: SweepDeclaration): string | undefined;
/** The instances of a grid/random sweep, in a stable order: grid points, then samples. */
export declare function expandSweep(sweep: SweepDeclaration): SweepPoint[];
/** Draws one value of a dimension (also for custom generators). */
export declare function sample(entry: Dimension, draw: () => number): unknown;
/** A seeded source of floats in [0, 1): Mersenne Twister from pure-rand, seeded by a string. */
export declare function randomSource(seed: string | number): () => number;
/**
 * `train@depth=4,lr=0.0123`: the varying keys and their values, numbers to 4 significant digits.
 * When rounding would give two instances one name, more digits are used for all of them.
 */
export declare function instanceNames(stage: string, space: Space, points: readonly SweepPoint[]): string[];
/** With nothing varying (every key fixed by -S), the one instance is the stage itself. */
export declare function instanceName(stage: string, keys: readonly string[], values: Readonly<Record<string, unknown>>, digits?: number): string;
export {};
