/**
 * The state database: (size, mtime, inode) → hash for every file hashed in this workspace, so an
 * unchanged file is never read twice. SQLite (libsql) in WAL mode at `.pipewright/state.db`.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { openSqlite } from '../native.js';
const SCHEMA_VERSION = 2;
export class StateDb {
    /** Shared with the run-cache, whose table lives in the same file. */
    db;
    upsert;
    pending = [];
    /** Every record, read in one query on first use: one lookup per file would cost more than all. */
    records;
    constructor(file) {
        mkdirSync(dirname(file), { recursive: true });
        this.db = openSqlite(file);
        this.db.pragma('journal_mode = WAL');
        this.db.pragma('synchronous = NORMAL');
        // The state is a cache: a database from another version of its layout is emptied, not read.
        // (libsql ignores better-sqlite3's `simple` option: read the row.)
        const { user_version: version } = this.db.prepare('PRAGMA user_version').get();
        if (version !== SCHEMA_VERSION) {
            this.db.exec('DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS runs');
            this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
        }
        this.db.exec('CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime TEXT NOT NULL, ino TEXT NOT NULL, hash TEXT NOT NULL)');
        this.upsert = this.db.prepare('INSERT OR REPLACE INTO files (path, size, mtime, ino, hash) VALUES (?, ?, ?, ?, ?)');
    }
    /** The recorded hash of `path`, if the file still has the size, mtime and inode it had then. */
    lookup(path, stat) {
        const record = this.all().get(path);
        return record && sameStat(record.stat, stat) ? record.hash : undefined;
    }
    all() {
        if (!this.records) {
            const rows = this.db.prepare('SELECT path, size, mtime, ino, hash FROM files').all();
            this.records = new Map(rows.map((r) => [r.path, { stat: { size: r.size, mtimeMs: Number(r.mtime), ino: Number(r.ino) }, hash: r.hash }]));
        }
        return this.records;
    }
    record(path, stat, hash) {
        this.all().set(path, { stat, hash });
        this.pending.push([path, stat, hash]);
        if (this.pending.length >= 5000)
            this.flush();
    }
    flush() {
        if (!this.pending.length)
            return;
        const rows = this.pending;
        this.pending = [];
        this.db.transaction(() => {
            for (const [path, stat, hash] of rows)
                this.upsert.run(path, stat.size, String(stat.mtimeMs), String(stat.ino), hash);
        })();
    }
    close() {
        this.flush();
        this.db.close();
    }
}
export function sameStat(a, b) {
    return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}
//# sourceMappingURL=state.js.map