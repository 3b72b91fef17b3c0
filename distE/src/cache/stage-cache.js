/**
 * The cache as the scheduler and `status` see it: decide what a stage instance needs (nothing,
 * a restore, a run) and why; restore outs; record a finished run in the store, the lockfile and
 * the run-cache.
 */
import { join, relative } from 'node:path';
import { declaredStage } from '../define/declaration.js';
import { writtenPaths } from '../graph/resolve.js';
import { layout } from '../layout.js';
import { CodeIdentities } from './code-identity.js';
import { fingerprintOf } from './fingerprint.js';
import { isDirHash } from './hash.js';
import { LockfileWriter, readLockfile } from './lockfile.js';
import { ObjectStore } from './object-store.js';
import { MISSING, changeReasons, outKey } from './reasons.js';
import { RunCache } from './run-cache.js';
import { StateDb } from './state.js';
import { WorkspaceHasher } from './workspace-hash.js';
export class StageCache {
    pipeline;
    store;
    lock;
    runCache;
    state;
    hasher;
    codes;
    warn;
    constructor(pipeline, options = {}) {
        this.pipeline = pipeline;
        const root = pipeline.root;
        const warn = options.warn ?? (() => { });
        this.warn = warn;
        const paths = layout(root);
        this.state = new StateDb(paths.stateDb);
        this.hasher = new WorkspaceHasher(root, this.state);
        this.store = new ObjectStore(paths.cache, options.links);
        this.lock = new LockfileWriter(root, readLockfile(root, warn));
        this.runCache = new RunCache(this.state.db, warn);
        this.codes = new CodeIdentities(root);
    }
    async plan(stage, options = {}) {
        const declared = declaredStage(this.pipeline, stage.of);
        const depPaths = [...new Set([...stage.deps.map((d) => d.path), ...Object.values(stage.inputs).map((i) => i.path)])].sort();
        const deps = {};
        await Promise.all(depPaths.map(async (path) => {
            deps[path] = options.expected?.get(path) ?? (await this.hasher.hash(path))?.hash ?? MISSING;
        }));
        const parts = {
            code: await this.codes.of(declared, stage.command),
            params: stage.params,
            deps: Object.fromEntries(depPaths.map((p) => [p, deps[p]])),
            outs: writtenPaths(stage).map(outKey),
        };
        const fingerprint = fingerprintOf(parts);
        return { parts, fingerprint, decision: await this.decide(stage, parts, fingerprint, options) };
    }
    async decide(stage, parts, fingerprint, options) {
        const locked = this.lock.get(stage.name);
        if (stage.frozen) {
            if (!locked)
                return { action: 'fail', message: `stage "${stage.name}" is frozen but has never run, so it has no outs to keep`, reasons: [{ kind: 'frozen' }] };
            const damage = await this.outDamage(locked);
            if (damage.length === 0)
                return { action: 'skip', entry: locked, reasons: [{ kind: 'frozen' }] };
            return (await this.canRestore(locked))
                ? { action: 'restore', from: 'lock', entry: locked, reasons: [{ kind: 'frozen' }, ...damage] }
                : { action: 'fail', message: `stage "${stage.name}" is frozen and its outs are damaged and not in the cache`, reasons: damage };
        }
        if (options.force)
            return { action: 'run', reasons: [{ kind: 'forced' }] };
        if (stage.alwaysChanged)
            return { action: 'run', reasons: [{ kind: 'always-changed' }] };
        if (Object.values(parts.deps).includes(MISSING))
            return { action: 'run', reasons: changeReasons(locked, parts) };
        if (locked?.fingerprint === fingerprint) {
            const damage = await this.outDamage(locked);
            if (damage.length === 0)
                return { action: 'skip', entry: locked, reasons: [] };
            return (await this.canRestore(locked)) ? { action: 'restore', from: 'lock', entry: locked, reasons: damage } : { action: 'run', reasons: damage };
        }
        const reasons = changeReasons(locked, parts);
        const seen = this.runCache.get(fingerprint);
        if (seen && (await this.canRestore(seen.entry)))
            return { action: 'restore', from: 'run-cache', entry: seen.entry, reasons };
        return { action: 'run', reasons };
    }
    /** Outs of a recorded run that are no longer as recorded. */
    async outDamage(entry) {
        const reasons = [];
        for (const out of entry.outs) {
            const now = await this.hasher.hash(out.path);
            if (!now)
                reasons.push({ kind: 'out-missing', path: out.path });
            else if (now.hash !== out.hash)
                reasons.push({ kind: 'out-modified', path: out.path });
        }
        return reasons;
    }
    /**
     * Every out is in the store and intact: none uncached, none lost to gc, none changed in place
     * (a hardlinked out edited by root writes through to its object). A damaged object is removed,
     * with a warning, and counts as a miss.
     */
    async canRestore(entry) {
        return entry.outs.every((o) => o.cache) && this.intact(entry.outs);
    }
    /** Whether these outs' objects are all in the store with the content they were saved with. */
    async intact(outs) {
        for (const out of outs) {
            if (!this.store.has(out.hash))
                return false;
            const objects = isDirHash(out.hash) ? this.store.readManifest(out.hash).map((e) => e.hash) : [out.hash];
            for (const hash of objects) {
                const path = relative(this.pipeline.root, this.store.pathOf(hash));
                const now = await this.hasher.hash(path);
                if (now?.hash !== hash) {
                    this.warn(`cache object ${hash} is corrupt (its content changed); removed`);
                    this.hasher.forget(path);
                    await this.store.remove(hash);
                    return false;
                }
            }
        }
        return true;
    }
    /** Puts a recorded run's outs back into the workspace and records it as the stage's state. */
    async restore(stage, plan) {
        const entry = plan.decision.entry;
        for (const out of entry.outs) {
            this.hasher.forget(out.path);
            const now = await this.hasher.hash(out.path);
            if (now?.hash === out.hash)
                continue;
            this.hasher.forget(out.path);
            await this.store.checkout(out.hash, join(this.pipeline.root, out.path));
        }
        this.lock.set(stage.name, { ...entry, fingerprint: plan.fingerprint, params: plan.parts.params, deps: lockedDeps(plan.parts) });
    }
    /** Called before a stage runs: whatever was hashed of its outs is stale from now on. */
    forgetOuts(stage) {
        for (const out of writtenPaths(stage))
            this.hasher.forget(out.path);
    }
    /** Records a run that just succeeded: outs hashed and stored, lockfile and run-cache written. */
    async commit(stage, plan, returned) {
        const outs = [];
        for (const out of writtenPaths(stage)) {
            this.hasher.forget(out.path);
            const hashed = await this.hasher.hash(out.path);
            if (!hashed)
                throw new Error(`out "${out.path}" of stage "${stage.name}" vanished before it could be cached`);
            if (out.cache)
                await this.store.save(join(this.pipeline.root, out.path), hashed);
            outs.push({ path: out.path, hash: hashed.hash, size: hashed.size, ...(hashed.manifest ? { files: hashed.files } : {}), cache: out.cache });
        }
        const entry = {
            fingerprint: plan.fingerprint, code: plan.parts.code, params: plan.parts.params, deps: lockedDeps(plan.parts), outs,
            ...(returned && stage.metrics.length === 0 ? { metrics: returned } : {}),
        };
        this.lock.set(stage.name, entry);
        this.runCache.put(stage.name, entry);
        return entry;
    }
    close() {
        this.lock.close();
        this.runCache.flush();
        this.state.close();
    }
}
function lockedDeps(parts) {
    return Object.entries(parts.deps).map(([path, hash]) => ({ path, hash }));
}
//# sourceMappingURL=stage-cache.js.map