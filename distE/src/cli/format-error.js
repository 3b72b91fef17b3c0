/** The one place user errors are turned into text: `file:line:col: message`, the line, a caret, the fix. */
import { readFileSync } from 'node:fs';
import pc from 'picocolors';
export function formatPipelineError(error) {
    const where = error.where;
    const location = where ? [where.file, where.line, where.col].filter((p) => p !== undefined).join(':') + ': ' : '';
    const lines = [`${pc.red('error')}: ${location}${error.message}`];
    const excerpt = where?.line ? sourceLine(where.file, where.line) : undefined;
    if (excerpt !== undefined) {
        const gutter = `${where.line} | `;
        lines.push(`  ${pc.dim(gutter)}${excerpt}`);
        lines.push(`  ${' '.repeat(gutter.length + Math.max(0, (where.col ?? 1) - 1))}${pc.red('^')}`);
    }
    if (error.hint)
        lines.push(`  ${pc.cyan('hint')}: ${error.hint}`);
    return lines.join('\n');
}
function sourceLine(file, line) {
    try {
        return readFileSync(file, 'utf8').split('\n')[line - 1]?.replace(/\t/g, ' ');
    }
    catch {
        return undefined;
    }
}
//# sourceMappingURL=format-error.js.map