export type Cell = string | number | boolean | null | undefined;
export declare function formatCell(value: unknown): string;
export declare function formatTable(headers: readonly string[], rows: readonly (readonly unknown[])[]): string;
/** `1.2s`, `3m04s`: how long something took. */
export declare function formatDuration(ms: number | undefined): string;
/** Local date and time to the second, without the zone: `2026-11-23 14:52:07`. */
export declare function formatTime(epochMs: number): string;
