/**
 * A YAML file read with source positions, so that every error about its content can name the
 * line and column it comes from. The data comes from js-yaml, which is several times faster; the
 * `yaml` library's document (with node ranges) is made only when an error needs a position.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { createRequire } from 'node:module';
import jsYaml from 'js-yaml';
import { PipelineError } from '../errors.js';
export function displayPath(file) {
    const rel = relative(process.cwd(), file);
    return rel && !rel.startsWith('..') ? rel : file;
}
export function readYamlSource(file, code = 'yaml-syntax') {
    let text;
    try {
        text = readFileSync(file, 'utf8');
    }
    catch (err) {
        throw new PipelineError(code, `cannot read ${displayPath(file)}: ${err.message}`, { file: displayPath(file) });
    }
    return parseYamlSource(file, text);
}
export function parseYamlSource(file, text) {
    const display = displayPath(file);
    let data;
    try {
        data = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, filename: display });
    }
    catch (err) {
        const { doc, positionAt } = documentOf(text, display);
        const first = doc.errors[0];
        if (first) {
            const where = positionAt(first.pos[0]);
            const line = text.split('\n')[(where.line ?? 1) - 1] ?? '';
            // `outs: [models/${params.lr}]`: `{` cannot sit in a plain scalar inside a flow list.
            const templateInFlow = /\[[^\]]*\$\{/.test(line);
            throw new PipelineError('yaml-syntax', `invalid YAML: ${firstLine(first.message)}`, where, first.code === 'DUPLICATE_KEY' ? 'each key may appear once in a mapping'
                : templateInFlow ? 'a ${...} path inside [...] must be quoted, or written as a block list (one "- path" per line)' : undefined);
        }
        const mark = err.mark;
        throw new PipelineError('yaml-syntax', `invalid YAML: ${err.reason ?? err.message}`, { file: display, line: mark ? mark.line + 1 : undefined, col: mark ? mark.column + 1 : undefined });
    }
    let parsed;
    return {
        file,
        display,
        data,
        positionOf(path, part = 'value') {
            let found;
            const locate = () => (found ??= locateNode(path, part));
            return { file: display, get line() { return locate().line; }, get col() { return locate().col; } };
        },
    };
    function locateNode(path, part) {
        parsed ??= documentOf(text, display);
        const { isNode } = yamlLibrary();
        const { doc, positionAt } = parsed;
        for (let depth = path.length; depth >= 0; depth--) {
            const sub = path.slice(0, depth);
            if (part === 'key' && depth === path.length && depth > 0) {
                const parent = sub.length > 1 ? doc.getIn(sub.slice(0, -1), true) : doc.contents;
                const pair = isNode(parent) && 'items' in parent
                    ? parent.items.find((item) => isNode(item.key) && item.key.value === sub.at(-1))
                    : undefined;
                if (pair && isNode(pair.key) && pair.key.range)
                    return positionAt(pair.key.range[0]);
            }
            const node = sub.length === 0 ? doc.contents : doc.getIn(sub, true);
            if (isNode(node) && node.range)
                return positionAt(node.range[0]);
        }
        return { file: display };
    }
}
/** The `yaml` library, loaded only when an error needs a position: most runs never do. */
const yamlLibrary = () => createRequire(import.meta.url)('yaml');
function documentOf(text, display) {
    const { LineCounter, parseDocument } = yamlLibrary();
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
    return {
        doc,
        positionAt: (offset) => {
            const pos = lineCounter.linePos(offset);
            return { file: display, line: pos.line, col: pos.col };
        },
    };
}
/** Turns the first zod issue into a PipelineError pointing at the offending node. */
export function schemaError(source, issues, describe) {
    const issue = issues[0];
    const path = issue.path.filter((p) => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
        const key = issue.keys[0];
        return new PipelineError('yaml-schema', `${describe(path)}: unknown key "${key}"`, source.positionOf([...path, key], 'key'), `remove it or use one of the supported keys`);
    }
    return new PipelineError('yaml-schema', `${describe(path)}: ${issue.message}`, source.positionOf(path));
}
function firstLine(text) {
    return text.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
//# sourceMappingURL=yaml-source.js.map