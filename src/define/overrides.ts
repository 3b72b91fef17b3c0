/**
 * `-S stage.param=value` overrides. The value is read as a YAML scalar, so `-S train.lr=0.1` is a
 * number and `-S train.name=abc` a string; the stage's own schema then validates it.
 */
import jsYaml from 'js-yaml';
import { PipelineError, closestName } from '../errors.js';
import { declaredStage, type PipelineDeclaration, type StageOverrides } from './declaration.js';
import { setOwn } from './interpolate.js';

export interface ParamOverrides {
  /** Per stage: dotted key → value. */
  readonly stages: ReadonlyMap<string, StageOverrides>;
  /** Keys of params.yaml set for every stage (YAML pipelines only). */
  readonly global: Readonly<Record<string, unknown>>;
}

export const NO_OVERRIDES: ParamOverrides = { stages: new Map(), global: {} };

export function parseOverrides(specs: readonly string[], declaration: PipelineDeclaration): ParamOverrides {
  const stages = new Map<string, Record<string, unknown>>();
  const global: Record<string, unknown> = {};
  const names = declaration.stages.map((s) => s.name);
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const target = eq > 0 ? spec.slice(0, eq) : '';
    if (!target || !/^[^.=\s]+(\.[^.=\s]+)*$/.test(target)) {
      throw new PipelineError('usage', `-S ${spec}: expected STAGE.PARAM=VALUE`, undefined, 'for example: -S train.lr=0.01');
    }
    const value = parseValue(spec.slice(eq + 1));
    const [head, ...rest] = target.split('.');
    const stage = rest.length > 0 ? declaredStage(declaration, head!) : undefined;
    const globalKey = declaration.withGlobalOverrides !== undefined && declaration.stages.some((s) => s.paramKeys.includes(target));
    // `train.lr` is stage train's param lr, unless train has no such param and params.yaml has
    // the key `train.lr` (DVC's `-S`, where a stage and a params section often share a name).
    if (stage && !(globalKey && !stage.paramKeys.includes(rest.join('.')) && !stage.paramKeys.includes(rest[0]!))) {
      const forStage = stages.get(head!) ?? {};
      setOwn(forStage, rest.join('.'), value);
      stages.set(head!, forStage);
    } else if (globalKey) {
      setOwn(global, target, value);
    } else {
      const guess = closestName(head!, names);
      throw new PipelineError('param-override', `-S ${spec}: "${head}" is not a stage${declaration.withGlobalOverrides ? ' nor a param any stage reads' : ''}`, undefined,
        guess ? `did you mean -S ${[guess, ...rest].join('.')}=...?` : `stages: ${names.join(', ')}`);
    }
  }
  return { stages, global };
}

function parseValue(text: string): unknown {
  try {
    return jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA }) ?? text;
  } catch {
    return text;
  }
}
