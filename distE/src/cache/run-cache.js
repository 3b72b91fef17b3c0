export class RunCache {
    db;
    warn;
    select;
    insert;
    delete;
    pending = new Map();
    lastFlush = Date.now();
    constructor(db, warn) {
        this.db = db;
        this.warn = warn;
        db.exec('CREATE TABLE IF NOT EXISTS runs (fingerprint TEXT PRIMARY KEY, stage TEXT NOT NULL, entry TEXT NOT NULL)');
        this.select = db.prepare('SELECT stage, entry FROM runs WHERE fingerprint = ?');
        this.insert = db.prepare('INSERT OR REPLACE INTO runs (fingerprint, stage, entry) VALUES (?, ?, ?)');
        this.delete = db.prepare('DELETE FROM runs WHERE fingerprint = ?');
    }
    get(fingerprint) {
        const queued = this.pending.get(fingerprint);
        if (queued)
            return { stage: queued[0], entry: queued[1] };
        const row = this.select.get(fingerprint);
        if (!row)
            return undefined;
        try {
            const entry = JSON.parse(row.entry);
            if (entry.fingerprint !== fingerprint)
                throw new Error('fingerprint mismatch');
            return { stage: row.stage, entry };
        }
        catch (err) {
            this.warn(`run-cache entry ${fingerprint} is corrupt (${err.message}); removed`);
            this.remove(fingerprint);
            return undefined;
        }
    }
    /**
     * Queued, and written in one transaction by `flush` (at most every half second and at the end):
     * an entry lost to a crash only means that run is not restorable later, never a wrong restore.
     */
    put(stage, entry) {
        this.pending.set(entry.fingerprint, [stage, entry]);
        if (Date.now() - this.lastFlush > 500)
            this.flush();
    }
    flush() {
        this.lastFlush = Date.now();
        if (!this.pending.size)
            return;
        const rows = [...this.pending.values()];
        this.pending.clear();
        this.db.transaction(() => {
            for (const [stage, entry] of rows)
                this.insert.run(entry.fingerprint, stage, JSON.stringify(entry));
        })();
    }
    /** Every entry, for gc. */
    all() {
        this.flush();
        const rows = this.db.prepare('SELECT stage, entry FROM runs').all();
        return rows.flatMap((row) => {
            try {
                return [{ stage: row.stage, entry: JSON.parse(row.entry) }];
            }
            catch {
                return [];
            }
        });
    }
    remove(fingerprint) {
        this.delete.run(fingerprint);
    }
}
//# sourceMappingURL=run-cache.js.map