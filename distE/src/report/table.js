/** Plain text tables for the terminal: columns padded to their widest cell, numbers right-aligned. */
import pc from 'picocolors';
export function formatCell(value) {
    if (value === undefined || value === null)
        return '-';
    if (typeof value === 'number')
        return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(5)));
    if (typeof value === 'string')
        return value;
    return JSON.stringify(value);
}
export function formatTable(headers, rows) {
    const text = rows.map((row) => row.map(formatCell));
    const widths = headers.map((h, i) => Math.max(h.length, ...text.map((r) => r[i]?.length ?? 0)));
    const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => r[i] === undefined || r[i] === null || typeof r[i] === 'number'));
    const line = (cells) => cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
    return [pc.bold(line(headers)), ...text.map(line)].join('\n') + '\n';
}
/** `1.2s`, `3m04s`: how long something took. */
export function formatDuration(ms) {
    if (ms === undefined)
        return '-';
    if (ms < 60_000)
        return `${(ms / 1000).toFixed(1)}s`;
    const s = Math.round(ms / 1000);
    return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
/** Local date and time to the second, without the zone: `2026-11-23 14:52:07`. */
export function formatTime(epochMs) {
    const d = new Date(epochMs);
    const two = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
//# sourceMappingURL=table.js.map