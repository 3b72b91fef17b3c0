/**
 * What the tests hold compiled YAML to: Kubeflow's PipelineSpec protobuf, parsed strictly (an
 * unknown field is an error, as protobuf's JSON parser has it), Argo's JSON schema, and the
 * references each format has between its parts, which neither schema checks.
 *
 * The protobuf: `buf` (from npm, @bufbuild/buf) compiles test/fixtures/reference/kfp/pipeline_spec.proto
 * to a descriptor set, and @bufbuild/protobuf's `fromJson` parses against it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { createFileRegistry, fromBinary, fromJson, type JsonValue } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { REFERENCE } from '../helpers/fixtures.js';
import { REPO } from '../helpers/project.js';

const YAML = createRequire(import.meta.url)('yaml') as typeof import('yaml');

export { REFERENCE };
export const KFP_REFERENCE = join(REFERENCE, 'kfp');
export const ARGO_REFERENCE = join(REFERENCE, 'argo');

type Json = Record<string, any>;

export function yamlDocuments(text: string): Json[] {
  return YAML.parseAllDocuments(text).map((d) => {
    if (d.errors.length) throw new Error(d.errors[0]!.message);
    return d.toJS() as Json;
  });
}

let registry: ReturnType<typeof createFileRegistry> | undefined;
function kfpRegistry(): ReturnType<typeof createFileRegistry> {
  if (registry) return registry;
  const out = join(mkdtempSync(join(tmpdir(), 'pw-kfp-proto-')), 'kfp.binpb');
  execFileSync(process.execPath, [join(REPO, 'node_modules/@bufbuild/buf/bin/buf'), 'build', KFP_REFERENCE, '-o', out], { stdio: ['ignore', 'ignore', 'pipe'] });
  registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(out)));
  return registry;
}

/**
 * Parses a PipelineSpec (the first YAML document) strictly; `deploymentSpec` is a Struct in the
 * proto, so it is parsed again as the PipelineDeploymentConfig it holds. Throws on any problem.
 */
export function parseKfpStrictly(spec: Json): void {
  const reg = kfpRegistry();
  fromJson(reg.getMessage('ml_pipelines.PipelineSpec')!, spec as JsonValue, { registry: reg });
  fromJson(reg.getMessage('ml_pipelines.PipelineDeploymentConfig')!, spec.deploymentSpec as JsonValue, { registry: reg });
}

/** Every name one part of a PipelineSpec gives another resolves; returns the problems found. */
export function kfpReferenceProblems(spec: Json, platform?: Json): string[] {
  const problems: string[] = [];
  const components: Json = spec.components ?? {};
  const executors: Json = spec.deploymentSpec?.executors ?? {};
  const checkDag = (where: string, component: Json) => {
    const tasks: Json = component.dag?.tasks ?? {};
    const inputs = new Set(Object.keys(component.inputDefinitions?.parameters ?? {}));
    for (const [name, task] of Object.entries<Json>(tasks)) {
      const ref = task.componentRef?.name;
      const target: Json | undefined = components[ref];
      if (!target) problems.push(`${where}.${name}: componentRef ${ref} is no component`);
      for (const dep of task.dependentTasks ?? []) if (!(dep in tasks)) problems.push(`${where}.${name}: dependentTasks names ${dep}, no task of this DAG`);
      const wanted = new Set(Object.keys(target?.inputDefinitions?.parameters ?? {}));
      const given = task.inputs?.parameters ?? {};
      for (const [key, source] of Object.entries<Json>(given)) {
        if (!wanted.has(key) && !target?.dag) problems.push(`${where}.${name}: input ${key} is not an input of ${ref}`);
        if (source.componentInputParameter && !inputs.has(source.componentInputParameter)) {
          problems.push(`${where}.${name}: componentInputParameter ${source.componentInputParameter} is not an input of the enclosing DAG`);
        }
      }
      const iterator = task.parameterIterator;
      if (iterator) {
        if (!(target?.inputDefinitions?.parameters ?? {})[iterator.itemInput]) problems.push(`${where}.${name}: itemInput ${iterator.itemInput} is not an input of ${ref}`);
        if (iterator.items.raw !== undefined && !Array.isArray(JSON.parse(iterator.items.raw))) problems.push(`${where}.${name}: items.raw is not a JSON list`);
      }
      for (const key of wanted) {
        if (!(key in given) && key !== iterator?.itemInput && !target?.inputDefinitions?.parameters?.[key]?.isOptional) problems.push(`${where}.${name}: input ${key} of ${ref} is not given`);
      }
    }
  };
  checkDag('root', spec.root);
  for (const [name, component] of Object.entries<Json>(components)) {
    if (component.dag) checkDag(name, component);
    else if (!executors[component.executorLabel]) problems.push(`${name}: executorLabel ${component.executorLabel} is no executor`);
    // Placeholders in the container name inputs the component has.
    const container = executors[component.executorLabel]?.container;
    const params = new Set(Object.keys(component.inputDefinitions?.parameters ?? {}));
    for (const arg of [...(container?.command ?? []), ...(container?.args ?? [])] as string[]) {
      for (const m of arg.matchAll(/\{\{\$\.inputs\.parameters\['([^']+)'\]\}\}/g)) if (!params.has(m[1]!)) problems.push(`${name}: placeholder names input ${m[1]}, which it lacks`);
    }
  }
  for (const label of Object.keys(platform?.platforms?.kubernetes?.deploymentSpec?.executors ?? {})) {
    if (!executors[label]) problems.push(`platform spec: executor ${label} is not in deploymentSpec`);
  }
  return problems;
}

let argoValidate: ((doc: unknown) => boolean) & { errors?: unknown } | undefined;
export function argoSchemaErrors(workflow: unknown): unknown[] {
  if (!argoValidate) {
    const Ajv2020 = createRequire(import.meta.url)('ajv/dist/2020') as typeof import('ajv/dist/2020.js');
    const ajv = new Ajv2020.default({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema(JSON.parse(readFileSync(join(ARGO_REFERENCE, 'schema.json'), 'utf8')), 'argo');
    argoValidate = ajv.getSchema('argo#/definitions/io.argoproj.workflow.v1alpha1.Workflow')!;
  }
  return argoValidate(workflow) ? [] : (argoValidate.errors as unknown[]);
}

/** Names and placeholders of a Workflow resolve: what the schema, which allows unknown keys, cannot say. */
export function argoReferenceProblems(workflow: Json): string[] {
  const problems: string[] = [];
  const spec: Json = workflow.spec;
  const templates = new Map<string, Json>((spec.templates ?? []).map((t: Json) => [t.name, t]));
  const globals = new Set((spec.arguments?.parameters ?? []).map((p: Json) => p.name));
  const volumes = new Set((spec.volumes ?? []).map((v: Json) => v.name));
  if (!templates.has(spec.entrypoint)) problems.push(`entrypoint ${spec.entrypoint} is no template`);
  const known = (text: string, inputs: Set<string>, where: string, item = false) => {
    for (const m of text.matchAll(/\{\{([^}]*)\}\}/g)) {
      const ref = m[1]!.trim();
      const ok = ref.startsWith('workflow.parameters.') ? globals.has(ref.slice('workflow.parameters.'.length))
        : ref.startsWith('inputs.parameters.') ? inputs.has(ref.slice('inputs.parameters.'.length))
          : ref === 'item' ? item : false;
      if (!ok) problems.push(`${where}: {{${ref}}} resolves to nothing`);
    }
  };
  for (const template of templates.values()) {
    const inputs = new Set<string>((template.inputs?.parameters ?? []).map((p: Json) => p.name));
    const tasks: Json[] = template.dag?.tasks ?? [];
    const names = new Set(tasks.map((t) => t.name));
    for (const task of tasks) {
      const called = templates.get(task.template);
      if (!called) problems.push(`${template.name}.${task.name}: template ${task.template} does not exist`);
      for (const dep of task.dependencies ?? []) if (!names.has(dep)) problems.push(`${template.name}.${task.name}: dependency ${dep} is no task`);
      const args = new Set<string>((task.arguments?.parameters ?? []).map((p: Json) => p.name));
      for (const p of task.arguments?.parameters ?? []) known(String(p.value), inputs, `${template.name}.${task.name}`, Array.isArray(task.withItems));
      for (const wanted of called?.inputs?.parameters ?? []) if (!args.has(wanted.name) && wanted.value === undefined) problems.push(`${template.name}.${task.name}: input ${wanted.name} is not given`);
    }
    const container = template.container;
    if (container) {
      for (const arg of [...(container.command ?? []), ...(container.args ?? [])]) known(String(arg), inputs, template.name);
      for (const mount of container.volumeMounts ?? []) if (!volumes.has(mount.name)) problems.push(`${template.name}: volume ${mount.name} is not in spec.volumes`);
    }
  }
  return problems;
}

/** The instance `pipewright exec [--cached] INSTANCE …` runs. */
function instanceArg(args: readonly string[]): string {
  return args.slice(args.indexOf('exec') + 1).find((a) => !a.startsWith('--'))!;
}

/** The tasks of compiled YAML, read back: each task's instances (loop items, or its one exec) and the tasks it waits for. */
export function compiledTasks(target: 'kfp' | 'argo', documents: readonly Json[]): Map<string, { instances: string[]; dependsOn: string[] }> {
  const tasks = new Map<string, { instances: string[]; dependsOn: string[] }>();
  if (target === 'kfp') {
    const spec = documents[0]!;
    const execInstance = (component: Json) => instanceArg(spec.deploymentSpec.executors[component.executorLabel].container.args);
    for (const [name, task] of Object.entries<Json>(spec.root.dag.tasks)) {
      const component = spec.components[task.componentRef.name];
      // A shared component takes its instance as an input: the task gives it as a constant.
      const given = task.inputs?.parameters?.instance?.runtimeValue?.constant as string | undefined;
      const instances = task.parameterIterator ? JSON.parse(task.parameterIterator.items.raw) as string[] : [given ?? execInstance(component)];
      tasks.set(name, { instances, dependsOn: task.dependentTasks ?? [] });
    }
  } else {
    const spec = documents[0]!.spec;
    const templates = new Map<string, Json>(spec.templates.map((t: Json) => [t.name, t]));
    for (const task of templates.get(spec.entrypoint)!.dag.tasks as Json[]) {
      const given = (task.arguments?.parameters as Json[] | undefined)?.find((p) => p.name === 'instance')?.value as string | undefined;
      const instances = task.withItems ?? [given ?? instanceArg(templates.get(task.template)!.container.args)];
      tasks.set(task.name, { instances, dependsOn: task.dependencies ?? [] });
    }
  }
  return tasks;
}

/**
 * The graph survives compiling: the instances are `list --json`'s, and a task waits for exactly
 * the tasks that run its instances' upstream. Returns the differences found.
 */
export function graphProblems(tasks: Map<string, { instances: string[]; dependsOn: string[] }>, listing: readonly { name: string; upstream: readonly string[] }[]): string[] {
  const problems: string[] = [];
  const taskOf = new Map<string, string>();
  for (const [name, t] of tasks) for (const i of t.instances) taskOf.set(i, name);
  const listed = listing.map((s) => s.name).sort();
  const compiled = [...taskOf.keys()].sort();
  if (JSON.stringify(listed) !== JSON.stringify(compiled)) problems.push(`instances differ: listed ${listed.join(', ')}; compiled ${compiled.join(', ')}`);
  const wanted = new Set<string>();
  for (const s of listing) for (const up of s.upstream) if (taskOf.get(up) !== taskOf.get(s.name)) wanted.add(`${taskOf.get(up)} -> ${taskOf.get(s.name)}`);
  const have = new Set<string>();
  for (const [name, t] of tasks) for (const d of t.dependsOn) have.add(`${d} -> ${name}`);
  for (const e of wanted) if (!have.has(e)) problems.push(`missing edge ${e}`);
  for (const e of have) if (!wanted.has(e)) problems.push(`extra edge ${e}`);
  return problems;
}
