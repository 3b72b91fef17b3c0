import type { FingerprintParts } from './fingerprint.js';
import type { LockEntry } from './lockfile.js';
export type Reason = {
    readonly kind: 'never-run';
} | {
    readonly kind: 'forced';
} | {
    readonly kind: 'always-changed';
} | {
    readonly kind: 'frozen';
} | {
    readonly kind: 'param-changed';
    readonly key: string;
    readonly from?: unknown;
    readonly to?: unknown;
} | {
    readonly kind: 'dep-changed';
    readonly path: string;
    readonly change: 'modified' | 'added' | 'removed' | 'missing';
} | {
    readonly kind: 'code-changed';
    readonly what: readonly string[];
} | {
    readonly kind: 'outs-changed';
} | {
    readonly kind: 'out-missing';
    readonly path: string;
} | {
    readonly kind: 'out-modified';
    readonly path: string;
} | {
    readonly kind: 'upstream-will-run';
    readonly stage: string;
} | {
    readonly kind: 'generated-sweep';
};
/** What differs between the last recorded run and now. */
export declare function changeReasons(lock: LockEntry | undefined, parts: FingerprintParts): Reason[];
/** Stands in for the hash of a dep that is not there. */
export declare const MISSING = "missing";
export declare function outKey(out: {
    path: string;
    cache: boolean;
}): string;
export declare function describeReason(reason: Reason): string;
