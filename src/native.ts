/**
 * The native packages (SQLite, xxHash), loaded with `require` on first use. Both are CommonJS, and
 * importing CommonJS from an ES module first runs Node's export lexer over it, which cost ~20 ms
 * of every command's start here; and a command that needs one should not load the other.
 */
import { createRequire } from 'node:module';
import type LibsqlDatabase from 'libsql';
import type * as XxHash from '@node-rs/xxhash';

const require = createRequire(import.meta.url);

export type Database = LibsqlDatabase.Database;
export type Statement = LibsqlDatabase.Statement;

let sqlite: typeof LibsqlDatabase | undefined;
export function openSqlite(file: string): Database {
  sqlite ??= require('libsql') as typeof LibsqlDatabase;
  return new sqlite(file);
}

let xxhash: typeof XxHash | undefined;
export function xxHash(): typeof XxHash {
  return (xxhash ??= require('@node-rs/xxhash') as typeof XxHash);
}
