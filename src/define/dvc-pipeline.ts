/**
 * The dvc.yaml front end: an existing DVC project runs as it is. The file is resolved as DVC's
 * parser resolves it (dvc-resolve.ts: templating, `foreach`/`do`, `matrix`); each resolved stage
 * is then what a pipewright.yaml stage is. dvc.yaml, dvc.lock and .dvc/ are only ever read.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, posix } from 'node:path';
import { PipelineError } from '../errors.js';
import { declaredStage, type PipelineDeclaration } from './declaration.js';
import { parsingOptionsFor, type ParsingOptions } from './dvc-config.js';
import { resolveDvcYaml, type ResolvedDvcYaml, type ResolvedStage } from './dvc-resolve.js';
import { parsePlotDefinitions, plotsProblem } from './plot-definitions.js';
import { ParamFiles, stageSchema, yamlStage, type StageYaml } from './yaml-pipeline.js';
import { displayPath, readYamlSource, schemaError, type YamlSource } from './yaml-source.js';

/** Top-level keys of dvc.yaml. `stages` and `vars` shape the pipeline; the rest is for DVC's other commands. */
const TOP_LEVEL = new Set(['stages', 'vars', 'params', 'metrics', 'plots', 'artifacts', 'datasets']);

export function loadDvcPipeline(file: string): PipelineDeclaration {
  const { source, data, resolved, parsing, configFiles } = readDvcFile(file);
  const root = dirname(file);
  const build = (overrides: Readonly<Record<string, unknown>>): PipelineDeclaration => {
    const paramFiles = new ParamFiles(root, overrides);
    // `-S` changes params.yaml, so what ${...} read from it: resolved again.
    const current = Object.keys(overrides).length ? resolveDvcYaml(data, source, root, parsing, overrides) : resolved;
    checkTopLevel(current, source);
    const stages = current.stages.map((s) => ({ ...s, yaml: checkedStage(s, source) }));
    return {
      name: basename(root),
      namedAfterFolder: true,
      format: 'yaml',
      file,
      root,
      stages: stages.map((s) => yamlStage(s.name, s.yaml, source, paramFiles, s.sourcePath, false, s.writtenCommand)),
      withGlobalOverrides: (more) => build({ ...overrides, ...more }),
      // dvc.yaml's commands are templated from params.yaml when it is read: a stage's own `-S`
      // values are put in params.yaml for it alone, and it is templated again.
      withStageOverrides: (stage, more) => declaredStage(build({ ...overrides, ...more }), stage),
      // What templating read shapes the stages as much as dvc.yaml does.
      sourceFiles: () => [...new Set([file, ...resolved.filesRead, ...configFiles, ...paramFiles.filesRead()])],
      // DVC has no versions; `dvc exp run -S` overrides are given on the command line.
      versions: {},
      dev: {},
      plots: parsePlotDefinitions(current.plots),
      metricsFiles: (current.metrics as string[]).map((m) => posix.normalize(m)),
    };
  };
  return build({});
}

/** A dvc.yaml read and resolved as DVC's parser would, before its stages become pipewright's. */
export function resolveDvcFile(file: string): ResolvedDvcYaml {
  return readDvcFile(file).resolved;
}

function readDvcFile(file: string): { source: YamlSource; data: Record<string, unknown>; resolved: ResolvedDvcYaml; parsing: ParsingOptions; configFiles: string[] } {
  rejectTabs(file);
  const source = readYamlSource(file);
  const root = dirname(file);
  const data = (source.data ?? {}) as Record<string, unknown>;
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new PipelineError('yaml-schema', 'dvc.yaml must be a mapping with a `stages:` key', source.positionOf([]));
  }
  for (const key of Object.keys(data)) {
    if (!TOP_LEVEL.has(key)) {
      throw new PipelineError('yaml-schema', `unknown top-level key "${key}"`, source.positionOf([key], 'key'),
        `dvc.yaml's top-level keys are ${[...TOP_LEVEL].join(', ')}`);
    }
  }
  const config = parsingOptionsFor(root);
  return { source, data, resolved: resolveDvcYaml(data, source, root, config.options), parsing: config.options, configFiles: config.files };
}

/** The templated top-level `plots`, `metrics` and `params`, checked as DVC checks them before they are read. */
function checkTopLevel(resolved: ResolvedDvcYaml, source: YamlSource): void {
  const plots = plotsProblem(resolved.plots);
  if (plots) throw new PipelineError('yaml-schema', plots.message, source.positionOf(['plots', ...plots.path]));
  for (const key of ['metrics', 'params'] as const) {
    const i = resolved[key].findIndex((entry) => typeof entry !== 'string' || entry === '');
    if (i >= 0) throw new PipelineError('yaml-schema', `\`${key}\`[${i}] must be a file path`, source.positionOf([key, i]), `list the ${key} files, one path per entry`);
  }
}

/** A resolved stage checked as a pipewright.yaml stage is, errors pointing at where it is written. */
function checkedStage(stage: ResolvedStage, source: YamlSource): StageYaml {
  const parsed = stageSchema.safeParse(stage.definition);
  if (!parsed.success) {
    throw schemaError(source, parsed.error.issues.map((issue) => ({ ...issue, path: [...stage.sourcePath, ...issue.path] })),
      () => `stage "${stage.name}"`);
  }
  return parsed.data;
}

/**
 * DVC reads YAML with ruamel, which refuses a tab in indentation or trailing a value ("found
 * character '\t' that cannot start any token"); more lenient parsers accept both. Refuse them
 * here too, so a file DVC rejects is not run as if it were fine.
 */
function rejectTabs(file: string): void {
  const lines = readFileSync(file, 'utf8').split('\n');
  let inBlock = -1; // indentation of the key that opened a block scalar (`|` or `>`)
  lines.forEach((line, i) => {
    const indent = line.length - line.trimStart().length;
    if (inBlock >= 0 && (line.trim() === '' || indent > inBlock)) return;
    inBlock = /:\s*[|>][-+0-9]*\s*(#.*)?$/.test(line) ? indent : -1;
    const leading = /^[ ]*\t/.exec(line);
    const trailing = /\S(\t[ \t]*)$/.exec(line);
    if (leading || trailing) {
      const col = leading ? leading[0].length : line.length - trailing![1]!.length + 1;
      throw new PipelineError('yaml-syntax', 'invalid YAML: a tab character where DVC\'s YAML parser accepts none', { file: displayPath(file), line: i + 1, col },
        'replace the tab with spaces, or remove it');
    }
  });
}
