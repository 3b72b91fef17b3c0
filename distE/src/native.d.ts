import type LibsqlDatabase from 'libsql';
import type * as XxHash from '@node-rs/xxhash';
export type Database = LibsqlDatabase.Database;
export type Statement = LibsqlDatabase.Statement;
export declare function openSqlite(file: string): Database;
export declare function xxHash(): typeof XxHash;
