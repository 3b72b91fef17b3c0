/**
 * The TypeScript front end: loads a user's `pipewright.ts` as it is, with no build step (tsx's
 * loader, so `import 'pipewright'` inside it is this very module), and turns its stages into
 * declarations.
 */
import { pathToFileURL } from 'node:url';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { PipelineError, closestName, type SourcePosition } from '../errors.js';
import * as zm from '../zod.js';
import { controlsShape, stageControls, type StageControls } from './controls.js';
import type { InputDeclaration, Params, PipelineDeclaration, RunFunction, StageDeclaration, StageOverrides } from './declaration.js';
import { interpolate, setPath } from './interpolate.js';
import { isAllRef, isOutRef, isPipeline, type PipelineDefinition, type StageDefinition } from './stage.js';
import { isDimension, type Space, type SweepDeclaration } from './sweep.js';
import { displayPath } from './yaml-source.js';

export async function loadTsPipeline(file: string): Promise<PipelineDeclaration> {
  let module: Record<string, unknown>;
  try {
    // Loaded only for TS pipelines: a YAML project never pays for the TypeScript loader.
    const { tsImport } = await import('tsx/esm/api');
    module = (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof PipelineError) throw new PipelineError(err.code, err.message, err.where ?? { file: displayPath(file) }, err.hint);
    const message = err instanceof Error ? err.message : String(err);
    throw new PipelineError('pipeline-load', `cannot load ${displayPath(file)}: ${message.split('\n')[0]}`, { file: displayPath(file) },
      err instanceof Error && err.stack ? firstUserFrame(err.stack, file) : undefined);
  }
  const exported = pickPipeline(module);
  if (!isPipeline(exported)) {
    throw new PipelineError('pipeline-load', `${displayPath(file)} exports no pipeline`, { file: displayPath(file) },
      "end the file with `export default pipeline('name', [stageA, stageB])`");
  }
  return declarePipeline(exported, file);
}

/**
 * The pipeline a module exports: `export default` or `export const pipeline`. A file outside an
 * ESM package is compiled as CommonJS, where the ES exports sit one level down, under `default`.
 */
function pickPipeline(module: Record<string, unknown>): unknown {
  for (const scope of [module, module.default as Record<string, unknown> | undefined]) {
    if (scope === null || typeof scope !== 'object') continue;
    for (const candidate of [scope.default, scope.pipeline, scope]) if (isPipeline(candidate)) return candidate;
  }
  return undefined;
}

function firstUserFrame(stack: string, file: string): string | undefined {
  const frame = stack.split('\n').find((line) => line.includes(file));
  return frame ? `at ${frame.trim().replace(/^at /, '')}` : undefined;
}

export function declarePipeline(definition: PipelineDefinition, file: string): PipelineDeclaration {
  return {
    name: definition.name,
    format: 'ts',
    file,
    root: dirname(file),
    stages: definition.stages.map((s) => declareStage(s, file)),
    versions: definition.versions ?? {},
    dev: definition.dev ?? {},
  };
}

function declareStage(definition: StageDefinition, file: string): StageDeclaration {
  const { name, options } = definition;
  const where = { file: displayPath(file) };
  const schema = options.params as z.ZodType<Params> | undefined;
  const shape = schema && 'shape' in schema && typeof schema.shape === 'object' ? Object.keys(schema.shape as object) : [];

  const inputs: Record<string, InputDeclaration> = {};
  for (const [key, ref] of Object.entries(options.inputs ?? {})) {
    if (isAllRef(ref)) {
      inputs[key] = { stage: ref.stage };
      continue;
    }
    if (!isOutRef(ref)) {
      throw new PipelineError('bad-input', `stage "${name}": input "${key}" is not another stage's out`, where,
        'use a reference such as `prepare.outs.train` (or `train.all` to collect a sweep); plain files belong in `deps`');
    }
    inputs[key] = { stage: ref.stage, out: ref.out };
  }
  let sweep: SweepDeclaration | undefined;
  if (options.sweep) {
    const space: Record<string, Space[string]> = {};
    for (const [key, entry] of Object.entries(options.sweep.space as Record<string, unknown>)) {
      space[key] = isDimension(entry) ? entry : { kind: 'value', value: entry };
    }
    sweep = { space, samples: options.sweep.samples, seed: options.sweep.seed ?? 0, generate: options.sweep.generate };
  }
  const cmd = options.cmd;
  const controls = tsControls(name, options, where);
  return {
    name,
    kind: cmd === undefined ? 'ts' : 'cmd',
    desc: options.desc,
    where,
    wdir: '',
    deps: (options.deps ?? []).map((path) => ({ path, where })),
    inputs,
    outs: Object.entries(options.outs ?? {}).map(([out, path]) => ({ name: out, path, where, cache: !options.uncached?.includes(out) })),
    metrics: options.metrics ? [{ path: options.metrics, where }] : [],
    plots: (options.plots ?? []).map((plot) => typeof plot === 'string' ? { path: plot, where } : {
      path: plot.path, where,
      plot: { x: plot.x, y: plot.y === undefined ? undefined : typeof plot.y === 'string' ? [plot.y] : [...plot.y], title: plot.title },
    }),
    executor: options.executor,
    ...(controls ? { controls } : {}),
    alwaysChanged: options.alwaysChanged === true,
    frozen: options.frozen === true,
    codeFiles: definition.definedIn.length ? definition.definedIn : [file],
    sweep,
    paramKeys: shape,
    realKeys: shape.filter((key) => isRealNumber((schema as unknown as { shape: Record<string, unknown> }).shape[key])),
    resolveParams(overrides: StageOverrides): Params {
      const input: Params = {};
      for (const [key, value] of Object.entries(overrides)) {
        const top = key.split('.')[0]!;
        if (schema === undefined || (shape.length > 0 && !shape.includes(top))) {
          const guess = closestName(top, shape);
          throw new PipelineError('param-override', `stage "${name}" has no param "${key}"`, undefined,
            guess ? `did you mean "${name}.${guess}"?` : shape.length ? `its params are: ${shape.join(', ')}` : 'this stage declares no params');
        }
        setPath(input, key, value);
      }
      if (schema === undefined) return {};
      const parsed = schema.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const key = issue.path.map(String).join('.');
        throw new PipelineError('param-invalid', `stage "${name}": param ${key ? `"${key}"` : ''} ${issue.message}`.replace('  ', ' '), where,
          key && Object.hasOwn(overrides, key) ? `fix the value given with -S ${name}.${key}=...` : 'give the param a valid value or a `.default()`');
      }
      return parsed.data;
    },
    commandTemplate: cmd === undefined ? undefined : String(cmd),
    command: cmd === undefined ? undefined
      : (params) => (typeof cmd === 'function' ? cmd(params as never) : interpolate(cmd, params, { stage: name, mode: 'shell', where })),
    run: options.run as RunFunction | undefined,
  };
}

const controlsSchema = zm.object(controlsShape);

/** A TS stage's retries, timeout, resources, secrets, labels and Kubernetes knobs, checked as YAML's are. */
function tsControls(name: string, options: StageDefinition['options'], where: SourcePosition | undefined): StageControls | undefined {
  const { retries, retry, timeout, resources, secrets, labels, kubernetes } = options;
  const parsed = controlsSchema.safeParse({ retries, retry, timeout, resources, secrets, labels, kubernetes });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PipelineError('bad-input', `stage "${name}": ${issue.path.map(String).join('.')}: ${issue.message}`, where);
  }
  return stageControls(parsed.data);
}

/**
 * A zod schema for a number that may have a fraction (`z.number()`, not `.int()`), under any
 * `.default()`, `.optional()` or `.nullable()`. Read through zod's own definition fields, as both
 * zod 3.25's v4 core and zod 4 lay them out.
 */
function isRealNumber(schema: unknown): boolean {
  let current = schema as { _zod?: { def?: { type?: string; innerType?: unknown } }; isInt?: boolean } | undefined;
  for (let depth = 0; depth < 8 && current?._zod?.def?.innerType; depth++) current = current._zod.def.innerType as typeof current;
  return current?._zod?.def?.type === 'number' && current.isInt === false;
}
