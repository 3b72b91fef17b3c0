/**
 * The dvc.yaml front end: an existing DVC project runs as it is. Templating (`${...}` from
 * params.yaml and `vars`), `foreach`/`do` and `matrix` are expanded here, named as DVC names the
 * generated stages (`train@us`, `train@0`, `train@lr0.1-gpu`); each stage is then what a
 * pipewright.yaml stage is. dvc.yaml, dvc.lock and .dvc/ are only ever read.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';
import { PipelineError } from '../errors.js';
import { resolveTemplate, select, toText } from './dvc-templating.js';
import { parsePlotDefinitions } from './plot-definitions.js';
import { DEFAULT_PARAMS_FILE, ParamFiles, readParamsData, stageSchema, yamlStage } from './yaml-pipeline.js';
import { displayPath, readYamlSource, schemaError } from './yaml-source.js';
/** Top-level keys of dvc.yaml. `stages` and `vars` shape the pipeline; the rest is for DVC's other commands. */
const TOP_LEVEL = new Set(['stages', 'vars', 'params', 'metrics', 'plots', 'artifacts', 'datasets']);
export function loadDvcPipeline(file) {
    rejectTabs(file);
    const source = readYamlSource(file);
    const root = dirname(file);
    const data = (source.data ?? {});
    if (typeof data !== 'object' || Array.isArray(data)) {
        throw new PipelineError('yaml-schema', 'dvc.yaml must be a mapping with a `stages:` key', source.positionOf([]));
    }
    for (const key of Object.keys(data)) {
        if (!TOP_LEVEL.has(key)) {
            throw new PipelineError('yaml-schema', `unknown top-level key "${key}"`, source.positionOf([key], 'key'), `dvc.yaml's top-level keys are ${[...TOP_LEVEL].join(', ')}`);
        }
    }
    const context = baseContext(root, data.vars, source);
    const stages = expandStages(data.stages ?? {}, context, source, root);
    const build = (overrides) => {
        const paramFiles = new ParamFiles(root, overrides);
        return {
            name: basename(root),
            format: 'yaml',
            file,
            root,
            stages: stages.map((s) => yamlStage(s.name, s.yaml, source, paramFiles, s.sourcePath, false, s.writtenCommand)),
            withGlobalOverrides: (more) => build({ ...overrides, ...more }),
            sourceFiles: () => [file, ...paramFiles.filesRead()],
            // DVC has no versions; `dvc exp run -S` overrides are given on the command line.
            versions: {},
            dev: {},
            plots: parsePlotDefinitions(data.plots),
            metricsFiles: Array.isArray(data.metrics) ? data.metrics.filter((m) => typeof m === 'string').map((m) => posix.normalize(m)) : [],
        };
    };
    return build({});
}
/** params.yaml (read by DVC by default), then each `vars` entry: a file, `file:key1,key2`, or a mapping. */
function baseContext(root, vars, source) {
    const context = {};
    const defaultParams = join(root, DEFAULT_PARAMS_FILE);
    if (existsSync(defaultParams))
        Object.assign(context, readVarsFile(defaultParams, source.positionOf([])));
    if (vars === undefined)
        return context;
    if (!Array.isArray(vars))
        throw new PipelineError('yaml-schema', '`vars` must be a list', source.positionOf(['vars']));
    vars.forEach((entry, i) => {
        const where = source.positionOf(['vars', i]);
        if (typeof entry === 'string') {
            const [path, keys] = entry.split(':');
            const loaded = readVarsFile(join(root, path), where);
            if (keys)
                for (const key of keys.split(','))
                    context[key] = select(loaded, key.trim(), () => where, `vars[${i}]`);
            else
                Object.assign(context, loaded);
        }
        else if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) {
            Object.assign(context, entry);
        }
        else {
            throw new PipelineError('yaml-schema', `vars[${i}] must be a file name or a mapping`, where);
        }
    });
    return context;
}
function readVarsFile(file, where) {
    if (!existsSync(file))
        throw new PipelineError('params-file', `vars file ${displayPath(file)} not found`, where);
    return readParamsData(file, where);
}
function expandStages(stages, context, source, root) {
    if (stages === null || typeof stages !== 'object' || Array.isArray(stages)) {
        throw new PipelineError('yaml-schema', '`stages` must be a mapping of stage names to stages', source.positionOf(['stages']));
    }
    const out = [];
    for (const [name, definition] of Object.entries(stages)) {
        const def = (definition ?? {});
        const at = (...path) => () => source.positionOf(['stages', name, ...path]);
        if ('foreach' in def) {
            if (!('do' in def))
                throw new PipelineError('yaml-schema', `stage "${name}": \`foreach\` needs a \`do\``, at('foreach')());
            const extra = Object.keys(def).filter((k) => k !== 'foreach' && k !== 'do');
            if (extra.length)
                throw new PipelineError('yaml-schema', `stage "${name}": with \`foreach\`, every other key goes under \`do\` (found "${extra[0]}")`, at(extra[0])());
            const iterable = resolveTemplate(def.foreach, context, at('foreach'), `stage "${name}" foreach`);
            for (const [key, item, isMap] of foreachEntries(iterable, at('foreach')(), name)) {
                const generated = `${name}@${key}`;
                out.push(resolveStage(generated, def.do, { ...context, item, ...(isMap ? { key } : {}) }, source, ['stages', name, 'do'], root));
            }
        }
        else if ('matrix' in def) {
            const matrix = resolveTemplate(def.matrix, context, at('matrix'), `stage "${name}" matrix`);
            const { matrix: _, ...template } = def;
            for (const [key, item] of matrixEntries(matrix, at('matrix')(), name)) {
                out.push(resolveStage(`${name}@${key}`, template, { ...context, item, key }, source, ['stages', name], root));
            }
        }
        else {
            out.push(resolveStage(name, def, context, source, ['stages', name], root));
        }
    }
    return out;
}
/** DVC's keys: a mapping's own keys; a list's items when all are simple values, else their indexes. */
function foreachEntries(iterable, where, name) {
    if (Array.isArray(iterable)) {
        const composite = iterable.some((v) => v !== null && typeof v === 'object');
        return iterable.map((item, i) => [composite ? String(i) : toText(item), item, false]);
    }
    if (iterable !== null && typeof iterable === 'object')
        return Object.entries(iterable).map(([k, v]) => [k, v, true]);
    throw new PipelineError('yaml-schema', `stage "${name}": \`foreach\` must be a list or a mapping`, where);
}
/** The cartesian product, keyed as DVC keys it: each value as text, or `dim<index>` for a list or mapping. */
function matrixEntries(matrix, where, name) {
    if (matrix === null || typeof matrix !== 'object' || Array.isArray(matrix)) {
        throw new PipelineError('yaml-schema', `stage "${name}": \`matrix\` must map each dimension to a list of values`, where);
    }
    let combos = [[[], {}]];
    for (const [dim, values] of Object.entries(matrix)) {
        if (!Array.isArray(values))
            throw new PipelineError('yaml-schema', `stage "${name}": matrix dimension "${dim}" must be a list`, where);
        combos = combos.flatMap(([fragments, item]) => values.map((v, i) => [[...fragments, v !== null && typeof v === 'object' ? `${dim}${i}` : toText(v)], { ...item, [dim]: v }]));
    }
    return combos.map(([fragments, item]) => [fragments.join('-'), item]);
}
const STAGE_KEYS = new Set(['cmd', 'wdir', 'deps', 'params', 'outs', 'metrics', 'plots', 'frozen', 'always_changed', 'desc', 'meta', 'vars']);
function resolveStage(name, definition, context, source, sourcePath, root) {
    const def = (definition ?? {});
    for (const key of Object.keys(def)) {
        if (!STAGE_KEYS.has(key)) {
            throw new PipelineError('yaml-schema', `stage "${name}": "${key}" is not a stage key DVC 3 accepts`, source.positionOf([...sourcePath, key], 'key'), `stage keys are ${[...STAGE_KEYS].join(', ')}`);
        }
    }
    let local = context;
    if (def.vars !== undefined)
        local = { ...context, ...baseContext(root, def.vars, source) };
    const { vars: _, ...rest } = def;
    const resolved = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, resolveTemplate(value, local, () => source.positionOf([...sourcePath, key]), `stage "${name}" ${key}`, key === 'cmd')]));
    const parsed = stageSchema.safeParse(resolved);
    if (!parsed.success) {
        throw schemaError(source, parsed.error.issues.map((issue) => ({ ...issue, path: [...sourcePath, ...issue.path] })), () => `stage "${name}"`);
    }
    const written = Array.isArray(def.cmd) ? def.cmd.map(String).join(' && ') : String(def.cmd);
    return { name, yaml: parsed.data, sourcePath, writtenCommand: written };
}
/**
 * DVC reads YAML with ruamel, which refuses a tab in indentation or trailing a value ("found
 * character '\t' that cannot start any token"); more lenient parsers accept both. Refuse them
 * here too, so a file DVC rejects is not run as if it were fine.
 */
function rejectTabs(file) {
    const lines = readFileSync(file, 'utf8').split('\n');
    let inBlock = -1; // indentation of the key that opened a block scalar (`|` or `>`)
    lines.forEach((line, i) => {
        const indent = line.length - line.trimStart().length;
        if (inBlock >= 0 && (line.trim() === '' || indent > inBlock))
            return;
        inBlock = /:\s*[|>][-+0-9]*\s*(#.*)?$/.test(line) ? indent : -1;
        const leading = /^[ ]*\t/.exec(line);
        const trailing = /\S(\t[ \t]*)$/.exec(line);
        if (leading || trailing) {
            const col = leading ? leading[0].length : line.length - trailing[1].length + 1;
            throw new PipelineError('yaml-syntax', 'invalid YAML: a tab character where DVC\'s YAML parser accepts none', { file: displayPath(file), line: i + 1, col }, 'replace the tab with spaces, or remove it');
        }
    });
}
//# sourceMappingURL=dvc-pipeline.js.map