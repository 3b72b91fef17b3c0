/**
 * A stage instance's fingerprint: the hash of one sorted object listing everything that can change
 * what it makes — its code, its resolved params, the content of its deps and inputs, and the paths
 * of its outs. Nothing else feeds the cache key.
 */
import type { Params } from '../define/declaration.js';
import { type ContentHash, type ValueHash } from './hash.js';
import type { CodeIdentity } from './lockfile.js';
export interface FingerprintParts {
    readonly code: CodeIdentity;
    readonly params: Params;
    /** Deps and inputs: path → content hash. */
    readonly deps: Readonly<Record<string, ContentHash>>;
    /** Out paths (and whether each is cached): the same work writing elsewhere is other work. */
    readonly outs: readonly string[];
}
export declare function fingerprintOf(parts: FingerprintParts): ValueHash;
