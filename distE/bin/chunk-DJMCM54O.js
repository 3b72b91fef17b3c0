import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);

// src/native.ts
import { createRequire } from "node:module";
var require2 = createRequire(import.meta.url);
var sqlite;
function openSqlite(file) {
  sqlite ??= require2("libsql");
  return new sqlite(file);
}
var xxhash;
function xxHash() {
  return xxhash ??= require2("@node-rs/xxhash");
}

export {
  openSqlite,
  xxHash
};
//# sourceMappingURL=chunk-DJMCM54O.js.map
