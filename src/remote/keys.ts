/** Where things live on a remote: objects keyed as in the local cache, the run-cache beside them. */

/** A content hash's key: `objects/ab/cdef…` (a folder's manifest ends in `.dir`). */
export const objectKey = (hash: string): string => `objects/${hash.slice(0, 2)}/${hash.slice(2)}`;
