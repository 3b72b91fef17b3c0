import type { StageCache } from './stage-cache.js';
export interface GcReport {
    readonly removedObjects: number;
    readonly removedBytes: number;
    readonly keptObjects: number;
    readonly keptBytes: number;
    readonly removedRunCacheEntries: number;
}
export declare function collectGarbage(cache: StageCache, options: {
    keepRunCache: boolean;
    dryRun: boolean;
}): Promise<GcReport>;
