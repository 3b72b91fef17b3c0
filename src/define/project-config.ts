/**
 * `pipewright.config.yaml`, beside the pipeline file and meant to be committed (as `.dvc/config`
 * is): what the pipeline file itself cannot say. Today its `stages:` section gives per-stage
 * controls (retries, timeout, resources, secrets) by declared stage name, which is how a dvc.yaml
 * project gets them, since dvc.yaml has no such keys. `remotes:` and `default_remote:` name the
 * shared caches that push, pull and fetch use (written by `pipewright remote`). `name:` is the
 * project's identity (written on first distributed use when the pipeline declares none). Other
 * sections (Redis) are read by the modules that use them.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as z from '../zod.js';
import { PipelineError, closestName } from '../errors.js';
import { controlsShape, kubernetesShape, mergeControls, stageControls } from './controls.js';
import type { PipelineDeclaration, StageDeclaration } from './declaration.js';
import type { Document } from 'yaml';
import { parseYamlSource, readYamlSource, schemaError, type YamlSource } from './yaml-source.js';
import { REMOTE_NAME, checkSpec } from '../remote/url.js';

export const PROJECT_CONFIG = 'pipewright.config.yaml';

/** A shared cache (remote/url.ts): its URL, and for S3-compatible stores the endpoint and region. Credentials never go here. */
const remoteSchema = z.strictObject({
  url: z.string(),
  endpoint: z.optional(z.string()),
  region: z.optional(z.string()),
});

const configSchema = z.looseObject({
  /** The project's identity: its workers' queues on Redis and its compiled image are named after it (distributed/identity.ts). */
  name: z.optional(z.string().check(z.minLength(1))),
  stages: z.optional(z.record(z.string(), z.strictObject(controlsShape))),
  remotes: z.optional(z.record(z.string(), remoteSchema)),
  /** The remote push, pull and fetch use without `-r`. */
  default_remote: z.optional(z.string()),
  /** `run` pushes what it computed to the remote (as `run --push`). */
  auto_push: z.optional(z.boolean()),
  /**
   * Kubernetes knobs of every compiled task (`compile`), and under `labels:` those of the stages
   * with a label (`labels: [gpu]`); a stage's own `kubernetes:` goes over both.
   */
  kubernetes: z.optional(z.extend(kubernetesShape, {
    labels: z.optional(z.record(z.string(), kubernetesShape)),
  })),
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
  return { file, source, data: checkConfig(source) };
}

/** Remote names, URLs and the default remote, checked when the file is read: a typo fails at once, with its line. */
function checkRemotes(source: YamlSource, data: z.output<typeof configSchema>): void {
  const remotes = data.remotes ?? {};
  for (const [name, spec] of Object.entries(remotes)) {
    if (!REMOTE_NAME.test(name)) {
      throw new PipelineError('yaml-schema', `remotes.${name}: a remote name is letters, digits, "_", "." and "-", starting with a letter or digit`,
        source.positionOf(['remotes', name], 'key'));
    }
    const problem = checkSpec(spec);
    if (problem) throw new PipelineError('yaml-schema', `remotes.${name}: ${problem.message}`, source.positionOf(['remotes', name, 'url']), problem.hint);
  }
  const chosen = data.default_remote;
  if (chosen !== undefined && !(chosen in remotes)) {
    const names = Object.keys(remotes);
    const guess = closestName(chosen, names);
    throw new PipelineError('yaml-schema', `default_remote "${chosen}" names no remote in remotes`, source.positionOf(['default_remote']),
      guess ? `did you mean "${guess}"?` : names.length ? `remotes: ${names.join(', ')}` : '`pipewright remote add NAME URL` adds one');
  }
}

/**
 * Changes the config file through the `yaml` library's document, so that comments, key order and
 * every other section survive; written aside and renamed. The file must be valid before (its own
 * errors are named with their lines) and after: an edit that would make it invalid changes nothing.
 */
export function editProjectConfig(root: string, edit: (doc: Document.Parsed) => void): void {
  // Loaded as yaml-source.ts loads it: bundled, an ES import of this CommonJS package has no named exports.
  const { parseDocument } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  const file = join(root, PROJECT_CONFIG);
  readProjectConfig(root);
  const doc = parseDocument(existsSync(file) ? readFileSync(file, 'utf8') : '');
  if (doc.contents === null) doc.contents = doc.createNode({}) as unknown as Document.Parsed['contents'];
  edit(doc);
  const text = doc.toString();
  checkConfig(parseYamlSource(file, text));
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

function checkConfig(source: YamlSource): z.output<typeof configSchema> {
  const parsed = configSchema.safeParse(source.data ?? {});
  if (!parsed.success) throw schemaError(source, parsed.error.issues, (path) => (path.length ? path.join('.') : PROJECT_CONFIG));
  checkRemotes(source, parsed.data);
  return parsed.data;
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
  const withControls = (stage: StageDeclaration): StageDeclaration => {
    const written = config.data.stages?.[stage.name];
    return written ? { ...stage, controls: mergeControls(stageControls(written), stage.controls) } : stage;
  };
  const apply = (d: PipelineDeclaration): PipelineDeclaration => ({
    ...d,
    stages: d.stages.map(withControls),
    ...(d.withGlobalOverrides ? { withGlobalOverrides: (more) => apply(d.withGlobalOverrides!(more)) } : {}),
    ...(d.withStageOverrides ? {
      withStageOverrides: (name, more) => {
        const stage = d.withStageOverrides!(name, more);
        return stage && withControls(stage);
      },
    } : {}),
    ...(d.sourceFiles ? { sourceFiles: () => [...d.sourceFiles!(), config.file] } : {}),
  });
  return apply(declaration);
}
