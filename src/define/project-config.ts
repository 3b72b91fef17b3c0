/**
 * `pipewright.config.yaml`, beside the pipeline file and meant to be committed (as `.dvc/config`
 * is): what the pipeline file itself cannot say. Today its `stages:` section gives per-stage
 * controls (retries, timeout, resources, secrets) by declared stage name, which is how a dvc.yaml
 * project gets them, since dvc.yaml has no such keys. Other sections (remotes, Redis) are read by
 * the modules that use them.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as z from '../zod.js';
import { PipelineError, closestName } from '../errors.js';
import { controlsShape, mergeControls, stageControls } from './controls.js';
import type { PipelineDeclaration } from './declaration.js';
import { readYamlSource, schemaError, type YamlSource } from './yaml-source.js';

export const PROJECT_CONFIG = 'pipewright.config.yaml';

const configSchema = z.looseObject({
  stages: z.optional(z.record(z.string(), z.strictObject(controlsShape))),
});

export interface ProjectConfig {
  readonly file: string;
  readonly source: YamlSource;
  readonly data: z.output<typeof configSchema>;
}

/** The project's config file, if it has one; a malformed one is a PipelineError with its line. */
export function readProjectConfig(root: string): ProjectConfig | undefined {
  const file = join(root, PROJECT_CONFIG);
  if (!existsSync(file)) return undefined;
  const source = readYamlSource(file);
  const parsed = configSchema.safeParse(source.data ?? {});
  if (!parsed.success) throw schemaError(source, parsed.error.issues, (path) => (path.length ? path.join('.') : PROJECT_CONFIG));
  return { file, source, data: parsed.data };
}

/**
 * The declaration with the config's stage controls under each stage's own (a stage's own keys
 * win), for this declaration and every one its global overrides make.
 */
export function withProjectConfig(declaration: PipelineDeclaration): PipelineDeclaration {
  const config = readProjectConfig(dirname(declaration.file));
  if (!config) return declaration;
  const names = declaration.stages.map((s) => s.name);
  for (const name of Object.keys(config.data.stages ?? {})) {
    if (!names.includes(name)) {
      const guess = closestName(name, names);
      throw new PipelineError('yaml-schema', `${PROJECT_CONFIG}: stages.${name} names no stage of ${declaration.file.split('/').at(-1)}`,
        config.source.positionOf(['stages', name], 'key'), guess ? `did you mean "${guess}"?` : `stages: ${names.join(', ')}`);
    }
  }
  const apply = (d: PipelineDeclaration): PipelineDeclaration => ({
    ...d,
    stages: d.stages.map((stage) => {
      const written = config.data.stages?.[stage.name];
      return written ? { ...stage, controls: mergeControls(stageControls(written), stage.controls) } : stage;
    }),
    ...(d.withGlobalOverrides ? { withGlobalOverrides: (more) => apply(d.withGlobalOverrides!(more)) } : {}),
    ...(d.sourceFiles ? { sourceFiles: () => [...d.sourceFiles!(), config.file] } : {}),
  });
  return apply(declaration);
}
