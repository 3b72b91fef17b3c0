/**
 * Hashes workspace paths: a file by its bytes, a folder as the manifest of its files. Each file's
 * hash is remembered in the state database, so a folder of 10,000 files where one changed re-reads
 * that one file only.
 */
import { statSync } from 'node:fs';
import { readdir, stat as fsStat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { canonicalJson, hashBytes, hashFile } from './hash.js';
const PARALLEL_READS = 16;
export class WorkspaceHasher {
    root;
    state;
    /** Hashes already taken in this process; forgotten when a stage is about to write the path. */
    memo = new Map();
    constructor(root, state) {
        this.root = root;
        this.state = state;
    }
    /** The hash of a root-relative path, or undefined if nothing is there. */
    hash(path) {
        let result = this.memo.get(path);
        if (!result) {
            result = this.hashUncached(path);
            this.memo.set(path, result);
            for (let cut = path.lastIndexOf('/'); cut > 0; cut = path.lastIndexOf('/', cut - 1))
                this.parents.add(path.slice(0, cut));
        }
        return result;
    }
    /** Drops memoized hashes of `path` and of anything inside or above it. */
    forget(path) {
        this.memo.delete(path);
        // Folders above it: walk up the path rather than scan every memoized key.
        for (let cut = path.lastIndexOf('/'); cut > 0; cut = path.lastIndexOf('/', cut - 1))
            this.memo.delete(path.slice(0, cut));
        this.memo.delete('');
        // Paths inside it: scanned for only when something below it was ever memoized.
        if (this.parents.has(path)) {
            for (const key of this.memo.keys())
                if (key.startsWith(`${path}/`))
                    this.memo.delete(key);
        }
    }
    /** Every folder above a memoized path. */
    parents = new Set();
    async hashUncached(path) {
        const abs = join(this.root, path);
        let stat;
        try {
            // Synchronous: a stat is microseconds, an async round trip many times that, and a no-op
            // run is mostly stats.
            stat = statSync(abs, { throwIfNoEntry: false });
        }
        catch {
            return undefined;
        }
        if (!stat)
            return undefined;
        if (stat.isDirectory())
            return this.hashDir(path);
        if (!stat.isFile())
            return undefined;
        const fileStat = toFileStat(stat);
        const hash = this.state.lookup(path, fileStat) ?? (await this.hashAndRecord(path, abs, fileStat));
        return { hash, size: fileStat.size, files: 1 };
    }
    async hashAndRecord(path, abs, stat) {
        const hash = await hashFile(abs, stat.size);
        this.state.record(path, stat, hash);
        return hash;
    }
    async hashDir(dir) {
        const files = await listFiles(join(this.root, dir));
        const entries = new Array(files.length);
        let next = 0;
        const worker = async () => {
            while (next < files.length) {
                const i = next++;
                const { rel, stat } = files[i];
                const path = posix.join(dir, rel);
                const hash = this.state.lookup(path, stat) ?? (await this.hashAndRecord(path, join(this.root, path), stat));
                entries[i] = { path: rel, hash, size: stat.size };
            }
        };
        await Promise.all(Array.from({ length: PARALLEL_READS }, worker));
        entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
        return {
            hash: manifestHash(entries),
            size: entries.reduce((n, e) => n + e.size, 0),
            files: entries.length,
            manifest: entries,
        };
    }
}
export function manifestHash(entries) {
    return `${hashBytes(canonicalJson(entries))}.dir`;
}
async function listFiles(dir) {
    const out = [];
    const walk = async (rel) => {
        const entries = await readdir(join(dir, rel), { withFileTypes: true });
        await Promise.all(entries.map(async (entry) => {
            const child = rel ? `${rel}/${entry.name}` : entry.name;
            if (entry.isDirectory())
                await walk(child);
            else if (entry.isFile() || entry.isSymbolicLink()) {
                const stat = await fsStat(join(dir, child)).catch(() => undefined);
                if (!stat)
                    return; // a dangling link
                if (stat.isFile())
                    out.push({ rel: child, stat: toFileStat(stat) });
            }
        }));
    };
    await walk('');
    return out;
}
function toFileStat(stat) {
    return { size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino };
}
//# sourceMappingURL=workspace-hash.js.map