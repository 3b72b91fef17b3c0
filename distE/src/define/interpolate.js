/**
 * `${params.x}` references in commands and paths. In a command the value is shell-quoted, so a
 * param value (from a file, `-S` or a queue) can never inject a command; in a path it is inserted
 * as is, but may not contain path separators that leave the project.
 */
import shellQuote from 'shell-quote';
import { PipelineError, closestName } from '../errors.js';
const REFERENCE = /\$\{\s*([^}]*?)\s*\}/g;
/** The dotted param paths a template refers to (`${params.a.b}` → `a.b`). */
export function referencedParams(template) {
    const keys = [];
    for (const match of template.matchAll(REFERENCE)) {
        const expr = match[1];
        if (expr.startsWith('params.'))
            keys.push(expr.slice('params.'.length));
    }
    return keys;
}
export function lookupPath(data, dotted) {
    let cur = data;
    for (const part of dotted.split('.')) {
        if (cur === null || typeof cur !== 'object' || !(part in cur))
            return { found: false };
        cur = cur[part];
    }
    return { found: true, value: cur };
}
export function setPath(target, dotted, value) {
    const parts = dotted.split('.');
    let cur = target;
    for (const part of parts.slice(0, -1)) {
        const next = cur[part];
        if (next === null || typeof next !== 'object' || Array.isArray(next))
            cur[part] = {};
        cur = cur[part];
    }
    cur[parts.at(-1)] = value;
}
export function flattenParams(params, prefix = '') {
    const out = [];
    for (const [key, value] of Object.entries(params)) {
        const dotted = prefix ? `${prefix}.${key}` : key;
        if (value !== null && typeof value === 'object' && !Array.isArray(value))
            out.push(...flattenParams(value, dotted));
        else
            out.push([dotted, value]);
    }
    return out;
}
export function interpolate(template, params, options) {
    if (!template.includes('${'))
        return template;
    return template.replace(REFERENCE, (_whole, expr) => {
        if (!expr.startsWith('params.')) {
            throw new PipelineError('interpolation', `stage "${options.stage}": unknown reference \${${expr}}`, options.where, `refer to a param as \${params.${expr}}`);
        }
        const key = expr.slice('params.'.length);
        const hit = lookupPath(params, key);
        if (!hit.found) {
            const known = flattenParams(params).map(([k]) => k);
            const guess = closestName(key, known);
            throw new PipelineError('interpolation', `stage "${options.stage}": \${${expr}} names no param of this stage`, options.where, guess ? `did you mean \${params.${guess}}?` : `declare "${key}" in the stage's params`);
        }
        if (Array.isArray(hit.value) && options.mode === 'shell')
            return shellQuote.quote(hit.value.map((v) => scalarText(v, options, expr)));
        const text = scalarText(hit.value, options, expr);
        return options.mode === 'shell' ? shellQuote.quote([text]) : text;
    });
}
function scalarText(value, options, expr) {
    if (typeof value === 'string') {
        if (options.mode === 'path' && (value.includes('/') || value.includes('\\') || value === '..')) {
            throw new PipelineError('interpolation', `stage "${options.stage}": \${${expr}} = ${JSON.stringify(value)} may not be used in a path`, options.where, 'a param inserted into a path must not contain "/" or be ".."');
        }
        return value;
    }
    if (typeof value === 'number' || typeof value === 'boolean')
        return String(value);
    throw new PipelineError('interpolation', `stage "${options.stage}": \${${expr}} is ${value === null ? 'null' : typeof value}, not a scalar`, options.where, 'insert a string, number or boolean');
}
//# sourceMappingURL=interpolate.js.map