import { type ContentHash, type DirHash } from './hash.js';
import { type LinkKind } from '../layout.js';
import type { HashedPath, ManifestEntry } from './workspace-hash.js';
export declare class ObjectStore {
    private readonly links;
    readonly objectsDir: string;
    /** Whether reflinks work here; unknown until tried. */
    private reflinks;
    constructor(cacheDir: string, links?: readonly LinkKind[]);
    pathOf(hash: ContentHash): string;
    /** True when the object and, for a folder, every file it lists are in the store. */
    has(hash: ContentHash): boolean;
    readManifest(hash: DirHash): ManifestEntry[] | undefined;
    /** Stores a workspace path that was just hashed. */
    save(abs: string, hashed: HashedPath): Promise<void>;
    /** Puts an object at a workspace path, replacing whatever is there. */
    checkout(hash: ContentHash, abs: string): Promise<void>;
    /** Every object in the store with its size, for gc. */
    list(): Promise<{
        hash: ContentHash;
        size: number;
    }[]>;
    remove(hash: ContentHash): Promise<void>;
    private saveFile;
    private readonly madeDirs;
    private makeDir;
    private makeDirSync;
    private writeAside;
    /** Links or copies `from` to the new path `to`, by the first link kind that works here. */
    private place;
}
