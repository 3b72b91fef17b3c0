/**
 * The native packages (SQLite, xxHash), loaded with `require` on first use. Both are CommonJS, and
 * importing CommonJS from an ES module first runs Node's export lexer over it, which cost ~20 ms
 * of every command's start here; and a command that needs one should not load the other.
 */
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
let sqlite;
export function openSqlite(file) {
    sqlite ??= require('libsql');
    return new sqlite(file);
}
let xxhash;
export function xxHash() {
    return (xxhash ??= require('@node-rs/xxhash'));
}
//# sourceMappingURL=native.js.map