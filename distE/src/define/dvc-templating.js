/**
 * DVC's `${...}` templating for dvc.yaml: values from params.yaml and `vars`, with dotted and
 * indexed paths (`${train.layers[0]}`). A string that is one reference keeps the value's type;
 * references inside a longer string are inserted as text. `\${` is a literal `${`.
 * As in DVC, values are inserted into `cmd` as they are, not shell-quoted.
 */
import shellQuote from 'shell-quote';
import { PipelineError } from '../errors.js';
const REFERENCE = /(\\)?\$\{\s*([^}]*?)\s*\}/g;
const WHOLE = /^\$\{\s*([^}]*?)\s*\}$/;
/** Resolves every string in a value, deeply. */
export function resolveTemplate(value, context, where, field, inCommand = false) {
    if (typeof value === 'string')
        return resolveString(value, context, where, field, inCommand);
    if (Array.isArray(value))
        return value.map((v) => resolveTemplate(v, context, where, field, inCommand));
    if (value !== null && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [resolveString(k, context, where, field), resolveTemplate(v, context, where, field)]));
    }
    return value;
}
function resolveString(text, context, where, field, inCommand = false) {
    if (!text.includes('${'))
        return text;
    const whole = WHOLE.exec(text);
    if (whole && !inCommand)
        return select(context, whole[1], where, field);
    return text.replace(REFERENCE, (_all, escaped, expr) => {
        if (escaped)
            return `\${${expr}}`;
        const value = select(context, expr, where, field);
        if (inCommand && value !== null && typeof value === 'object' && !Array.isArray(value))
            return commandArguments(value);
        if (inCommand && Array.isArray(value))
            return value.map(toText).join(' ');
        if (value !== null && typeof value === 'object') {
            throw new PipelineError('interpolation', `${field}: \${${expr}} is a ${Array.isArray(value) ? 'list' : 'dictionary'} and cannot be put inside a string`, where(), 'refer to one of its values, e.g. ${' + expr + '.name}');
        }
        return toText(value);
    });
}
/**
 * A mapping inserted into `cmd` becomes command-line options, as DVC unpacks it: `--key value`,
 * `--flag` for true (nothing for false), `--list a b` for a list, `--outer.inner v` when nested.
 */
function commandArguments(values, prefix = '') {
    const parts = [];
    for (const [key, value] of Object.entries(values)) {
        const option = `--${prefix}${key}`;
        if (value === true)
            parts.push(option);
        else if (value === false || value === null || value === undefined)
            continue;
        else if (Array.isArray(value))
            parts.push(option, ...value.map((v) => shellQuote.quote([toText(v)])));
        else if (typeof value === 'object')
            parts.push(commandArguments(value, `${prefix}${key}.`));
        else
            parts.push(option, shellQuote.quote([toText(value)]));
    }
    return parts.filter(Boolean).join(' ');
}
/** DVC's way of turning a value into text: booleans lower-case, null empty. */
export function toText(value) {
    if (value === null || value === undefined)
        return '';
    return String(value);
}
export function select(context, expr, where, field) {
    const parts = parsePath(expr, where, field);
    let cur = context;
    const walked = [];
    for (const part of parts) {
        walked.push(String(part));
        const container = cur;
        if (container === null || typeof container !== 'object' || !(part in container)) {
            throw new PipelineError('interpolation', `${field}: \${${expr}} names nothing: "${walked.join('.')}" is not defined`, where(), 'define it in params.yaml or under `vars:`');
        }
        cur = container[part];
    }
    return cur;
}
function parsePath(expr, where, field) {
    const parts = [];
    const token = /([^.[\]]+)|\[(\d+)\]|\./g;
    let consumed = 0;
    for (const m of expr.matchAll(token)) {
        if (m.index !== consumed)
            break;
        consumed += m[0].length;
        if (m[1] !== undefined)
            parts.push(m[1]);
        else if (m[2] !== undefined)
            parts.push(Number(m[2]));
    }
    if (consumed !== expr.length || parts.length === 0) {
        throw new PipelineError('interpolation', `${field}: cannot read \${${expr}}`, where(), 'write a dotted path such as ${train.lr} or ${layers[0]}');
    }
    return parts;
}
//# sourceMappingURL=dvc-templating.js.map