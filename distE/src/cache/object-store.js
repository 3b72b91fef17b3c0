/**
 * The content-addressed store under `.pipewright/cache/objects/`: a file's bytes under its hash, a
 * folder as a manifest (`<hash>.dir`) of file hashes. Objects are written aside and renamed into
 * place, and made read-only, so a half-written or edited object never passes for a good one.
 * Outs are linked back into the workspace by reflink, hardlink or copy, the first that works.
 */
import { chmodSync, constants, existsSync, linkSync, mkdirSync, readFileSync } from 'node:fs';
import { chmod, copyFile, link, mkdir, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { isDirHash } from './hash.js';
import { LINK_KINDS } from '../layout.js';
export class ObjectStore {
    links;
    objectsDir;
    /** Whether reflinks work here; unknown until tried. */
    reflinks;
    constructor(cacheDir, links = LINK_KINDS) {
        this.links = links;
        this.objectsDir = join(cacheDir, 'objects');
    }
    pathOf(hash) {
        return join(this.objectsDir, hash.slice(0, 2), hash.slice(2));
    }
    /** True when the object and, for a folder, every file it lists are in the store. */
    has(hash) {
        if (!existsSync(this.pathOf(hash)))
            return false;
        if (!isDirHash(hash))
            return true;
        const manifest = this.readManifest(hash);
        return manifest !== undefined && manifest.every((e) => existsSync(this.pathOf(e.hash)));
    }
    readManifest(hash) {
        try {
            return JSON.parse(readFileSync(this.pathOf(hash), 'utf8'));
        }
        catch {
            return undefined;
        }
    }
    /** Stores a workspace path that was just hashed. */
    async save(abs, hashed) {
        if (!isDirHash(hashed.hash)) {
            await this.saveFile(abs, hashed.hash);
            return;
        }
        for (const entry of hashed.manifest ?? [])
            await this.saveFile(join(abs, entry.path), entry.hash);
        const target = this.pathOf(hashed.hash);
        if (!existsSync(target))
            await this.writeAside(target, (tmp) => writeFile(tmp, JSON.stringify(hashed.manifest)));
    }
    /** Puts an object at a workspace path, replacing whatever is there. */
    async checkout(hash, abs) {
        await mkdir(dirname(abs), { recursive: true });
        if (!isDirHash(hash)) {
            const tmp = asideOf(abs);
            await this.place(this.pathOf(hash), tmp);
            await rm(abs, { recursive: true, force: true });
            await rename(tmp, abs);
            return;
        }
        const manifest = this.readManifest(hash);
        if (!manifest)
            throw new Error(`cache object ${hash} is missing or corrupt`);
        const tmpDir = asideOf(abs);
        for (const entry of manifest) {
            const dest = join(tmpDir, entry.path);
            await mkdir(dirname(dest), { recursive: true });
            await this.place(this.pathOf(entry.hash), dest);
        }
        if (manifest.length === 0)
            await mkdir(tmpDir, { recursive: true });
        await rm(abs, { recursive: true, force: true });
        await rename(tmpDir, abs);
    }
    /** Every object in the store with its size, for gc. */
    async list() {
        const found = [];
        let prefixes;
        try {
            prefixes = await readdir(this.objectsDir);
        }
        catch {
            return found;
        }
        for (const prefix of prefixes) {
            for (const rest of await readdir(join(this.objectsDir, prefix))) {
                if (rest.includes('.tmp-'))
                    continue;
                const size = (await stat(join(this.objectsDir, prefix, rest))).size;
                found.push({ hash: (prefix + rest), size });
            }
        }
        return found;
    }
    async remove(hash) {
        await unlink(this.pathOf(hash)).catch(() => { });
    }
    async saveFile(abs, hash) {
        const target = this.pathOf(hash);
        if (existsSync(target))
            return;
        if (this.links[0] === 'hardlink' || (this.links[0] === 'reflink' && this.links[1] === 'hardlink' && this.reflinks === false)) {
            // A hard link to a finished file is complete the moment it exists: no need to write aside.
            // Synchronous: three metadata calls take microseconds, and a round trip through the thread
            // pool each cost more CPU than the link itself (measured on a 1,000-stage run).
            try {
                this.makeDirSync(dirname(target));
                linkSync(abs, target);
                chmodSync(target, 0o444);
                return;
            }
            catch (err) {
                if (err.code === 'EEXIST')
                    return;
            }
        }
        await this.writeAside(target, (tmp) => this.place(abs, tmp));
    }
    madeDirs = new Set();
    async makeDir(dir) {
        if (this.madeDirs.has(dir))
            return;
        await mkdir(dir, { recursive: true });
        this.madeDirs.add(dir);
    }
    makeDirSync(dir) {
        if (this.madeDirs.has(dir))
            return;
        mkdirSync(dir, { recursive: true });
        this.madeDirs.add(dir);
    }
    async writeAside(target, write) {
        await this.makeDir(dirname(target));
        const tmp = asideOf(target);
        await write(tmp);
        await chmod(tmp, 0o444);
        await rename(tmp, target);
    }
    /** Links or copies `from` to the new path `to`, by the first link kind that works here. */
    async place(from, to) {
        let lastError;
        for (const kind of this.links) {
            try {
                if (kind === 'reflink') {
                    if (this.reflinks === false)
                        continue;
                    await copyFile(from, to, constants.COPYFILE_FICLONE_FORCE).catch((err) => {
                        // One failure tells that this file system cannot: do not ask again for every file.
                        this.reflinks = false;
                        throw err;
                    });
                    this.reflinks = true;
                }
                else if (kind === 'hardlink')
                    await link(from, to);
                else {
                    await copyFile(from, to);
                    await chmod(to, 0o644);
                }
                return;
            }
            catch (err) {
                lastError = err;
            }
        }
        throw lastError ?? new Error('no link kind configured');
    }
}
function asideOf(path) {
    return `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
}
//# sourceMappingURL=object-store.js.map