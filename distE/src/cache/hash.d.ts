/** The hash of a file's bytes: 16 hex digits. */
export type FileHash = string & {
    readonly __brand: 'FileHash';
};
/** The hash of a folder's manifest, ending in `.dir` as DVC's do. */
export type DirHash = string & {
    readonly __brand: 'DirHash';
};
export type ContentHash = FileHash | DirHash;
/** The hash of a JSON value (a fingerprint, a code listing): 32 hex digits. */
export type ValueHash = string & {
    readonly __brand: 'ValueHash';
};
export declare const isDirHash: (hash: ContentHash) => hash is DirHash;
export declare function hashFile(path: string, size?: number): Promise<FileHash>;
export declare function hashBytes(bytes: Uint8Array | string): FileHash;
export declare function hashValue(value: unknown): ValueHash;
/** JSON with object keys sorted, so equal values always hash alike. */
export declare function canonicalJson(value: unknown): string;
