/**
 * A project folder opened for work: its pipeline file found and loaded, overrides applied, the
 * graph built and validated. Every command starts here.
 */
import { resolve } from 'node:path';
import { findPipelineFile, loadPipeline } from '../define/load.js';
import { parseOverrides } from '../define/overrides.js';
import { buildGraph } from '../graph/graph.js';
import { PipelineError, closestName } from '../errors.js';
/** `versions` are applied in order, then `overrideSpecs` (`-S`), each over the one before. */
export async function openProject(dir, overrideSpecs = [], versions = [], graphOptions = {}) {
    const file = findPipelineFile(resolve(dir));
    const declaration = await loadPipeline(file);
    const specs = [...versions.flatMap((v) => versionSpecs(declaration, v)), ...overrideSpecs];
    const graph = buildGraph(declaration, parseOverrides(specs, declaration), graphOptions);
    return { root: declaration.root, declaration, graph };
}
/** A version's overrides as `-S` specs (values written as JSON, which the YAML reader of `-S` reads back). */
export function versionSpecs(declaration, version) {
    const overrides = version === DEV_VERSION ? declaration.dev : declaration.versions[version];
    if (!overrides) {
        const names = Object.keys(declaration.versions);
        const guess = closestName(version, names);
        throw new PipelineError('usage', `no version "${version}" in ${declaration.file}`, undefined, guess ? `did you mean "${guess}"?` : names.length ? `versions: ${names.join(', ')}` : 'declare named overrides under `versions:` in the pipeline file');
    }
    return Object.entries(overrides).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
}
/** The pseudo-version of dev mode: the pipeline's `dev` overrides. */
export const DEV_VERSION = '(dev)';
//# sourceMappingURL=project.js.map