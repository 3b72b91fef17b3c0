/**
 * Runs a compiled workflow here, reading only the compiled YAML, as Kubeflow or Argo would: tasks
 * in dependency order, loops expanded, placeholders replaced once, each container's command run
 * without a shell. The image is the local `pipewright` (dist/bin/pipewright.cjs); the volume is a
 * folder, or, for tasks whose outs travel through a remote, each container gets a fresh copy of
 * the project of its own. What this proves is that the YAML says enough to reproduce `pipewright run`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI } from '../helpers/project.js';

type Json = Record<string, any>;

/** One container a workflow engine would start. */
export interface ContainerRun {
  readonly task: string;
  readonly command: readonly string[];
  readonly args: readonly string[];
  /** Env var → `secret/key` it is read from. */
  readonly secrets: Readonly<Record<string, string>>;
  /** Kubeflow: where the executor output goes, when the component has output artifacts (its `{{$}}`). */
  readonly executorOutput?: string;
}

/** Dependency order: Kahn's algorithm, ties in the order the tasks are written. */
function ordered<T>(tasks: readonly [string, T][], deps: (t: T) => readonly string[]): [string, T][] {
  const done = new Set<string>();
  const out: [string, T][] = [];
  while (out.length < tasks.length) {
    const next = tasks.find(([name, t]) => !done.has(name) && deps(t).every((d) => done.has(d)));
    if (!next) throw new Error(`tasks wait on each other or on a task that does not exist: ${tasks.filter(([n]) => !done.has(n)).map(([n]) => n).join(', ')}`);
    done.add(next[0]);
    out.push(next);
  }
  return out;
}

/** The engine's text of a parameter value: a string as is, anything else as JSON. */
const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** Replaces every `{{…}}` in one pass: what a value brings in is never read as a placeholder. */
function substitute(template: string, lookup: (ref: string) => unknown): string {
  return template.replace(/\{\{([^}]*)\}\}/g, (_, ref: string) => {
    const value = lookup(ref.trim());
    if (value === undefined) throw new Error(`placeholder {{${ref}}} resolves to nothing`);
    return text(value);
  });
}

/** The containers a KFP PipelineSpec (and its kfp-kubernetes platform spec) starts, in order. */
export function kfpContainers(documents: readonly Json[], overrides: Readonly<Record<string, unknown>> = {}): ContainerRun[] {
  const [spec, platform] = documents as [Json, Json | undefined];
  const platformOf = (label: string): Json => platform?.platforms?.kubernetes?.deploymentSpec?.executors?.[label] ?? {};
  const runs: ContainerRun[] = [];
  const scope: Record<string, unknown> = {};
  for (const [name, def] of Object.entries<Json>(spec.root.inputDefinitions?.parameters ?? {})) scope[name] = def.defaultValue;
  Object.assign(scope, overrides);
  const runDag = (dag: Json, inScope: Record<string, unknown>) => {
    for (const [name, task] of ordered(Object.entries<Json>(dag.tasks), (t) => t.dependentTasks ?? [])) {
      const component: Json = spec.components[task.componentRef.name];
      const inputs: Record<string, unknown> = {};
      for (const [key, source] of Object.entries<Json>(task.inputs?.parameters ?? {})) {
        if (source.componentInputParameter !== undefined) {
          if (!(source.componentInputParameter in inScope)) throw new Error(`${name}: input ${source.componentInputParameter} is not in scope`);
          inputs[key] = inScope[source.componentInputParameter];
        } else if (source.runtimeValue) inputs[key] = source.runtimeValue.constant;
        else throw new Error(`${name}: input ${key} has a source this runner does not know`);
      }
      if (task.parameterIterator) {
        const iterator = task.parameterIterator;
        const items = iterator.items.raw !== undefined ? JSON.parse(iterator.items.raw) : inputs[iterator.items.inputParameter];
        for (const item of items as unknown[]) runDag(component.dag, { ...inputs, [iterator.itemInput]: item });
        continue;
      }
      if (component.dag) {
        runDag(component.dag, inputs);
        continue;
      }
      const container: Json = spec.deploymentSpec.executors[component.executorLabel].container;
      // The executor input Kubeflow's launcher would give: the inputs, where each output artifact
      // goes (a file:// URI here, gs:// or minio:// on a cluster) and where the executor output goes.
      const artifacts = Object.keys(component.outputDefinitions?.artifacts ?? {});
      const outDir = artifacts.length ? mkdtempSync(join(tmpdir(), 'pw-kfp-outputs-')) : undefined;
      const executorInput = outDir && {
        inputs: { parameterValues: inputs },
        outputs: {
          artifacts: Object.fromEntries(artifacts.map((a) => [a, { artifacts: [{ name: a, uri: pathToFileURL(join(outDir, a)).href, metadata: {} }] }])),
          outputFile: join(outDir, 'output_metadata.json'),
        },
      };
      const lookup = (ref: string) => {
        if (ref === '$') return executorInput;
        const m = /^\$\.inputs\.parameters\['([^']+)'\]$/.exec(ref);
        return m ? inputs[m[1]!] : undefined;
      };
      const secrets: Record<string, string> = {};
      for (const s of platformOf(component.executorLabel).secretAsEnv ?? []) for (const k of s.keyToEnv) secrets[k.envVar] = `${s.secretName}/${k.secretKey}`;
      runs.push({
        task: name,
        command: (container.command ?? []).map((a: string) => substitute(a, lookup)),
        args: (container.args ?? []).map((a: string) => substitute(a, lookup)),
        secrets,
        ...(outDir ? { executorOutput: join(outDir, 'output_metadata.json') } : {}),
      });
    }
  };
  runDag(spec.root.dag, scope);
  return runs;
}

/** The containers an Argo Workflow (one DAG template of container templates) starts, in order. */
export function argoContainers(workflow: Json, overrides: Readonly<Record<string, unknown>> = {}): ContainerRun[] {
  const spec = workflow.spec;
  const globals: Record<string, unknown> = {};
  for (const p of spec.arguments?.parameters ?? []) globals[p.name] = p.value;
  for (const [k, v] of Object.entries(overrides)) globals[k] = text(v);
  const templates = new Map<string, Json>(spec.templates.map((t: Json) => [t.name, t]));
  const entry = templates.get(spec.entrypoint)!;
  const runs: ContainerRun[] = [];
  for (const [name, task] of ordered<Json>(entry.dag.tasks.map((t: Json) => [t.name, t]), (t) => t.dependencies ?? [])) {
    const template = templates.get(task.template)!;
    for (const item of task.withItems ?? [undefined]) {
      const outer = (ref: string) => (ref === 'item' ? item : ref.startsWith('workflow.parameters.') ? globals[ref.slice(20)] : undefined);
      const inputs: Record<string, unknown> = {};
      for (const p of template.inputs?.parameters ?? []) inputs[p.name] = p.value;
      for (const p of task.arguments?.parameters ?? []) inputs[p.name] = substitute(String(p.value), outer);
      const inner = (ref: string) => (ref.startsWith('inputs.parameters.') ? inputs[ref.slice(18)] : ref.startsWith('workflow.parameters.') ? globals[ref.slice(20)] : undefined);
      const secrets: Record<string, string> = {};
      for (const e of template.container.env ?? []) if (e.valueFrom?.secretKeyRef) secrets[e.name] = `${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`;
      runs.push({
        task: name,
        command: (template.container.command ?? []).map((a: string) => substitute(a, inner)),
        args: (template.container.args ?? []).map((a: string) => substitute(a, inner)),
        secrets,
      });
    }
  }
  return runs;
}

export interface LocalVolume {
  /** The folder the compiled tasks work in (`-C` of their args), replaced wherever an argument is exactly it. */
  readonly mountPath: string;
  /**
   * The folder standing for it: one shared by every container (a volume), or a function giving
   * each container its own (a pod with its own copy of the project, the image's).
   */
  readonly dir: string | ((run: ContainerRun) => string);
  /** The cluster's secrets: `secret/key` → value. */
  readonly secrets?: Readonly<Record<string, string>>;
  /** The `pipewright` of the image: this repository's build unless given (a packed copy, say). */
  readonly cli?: string;
}

export interface ContainerResult {
  readonly task: string;
  /** The instance it ran (the argument before `-C`). */
  readonly instance: string;
  /** The folder it ran in. */
  readonly dir: string;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the containers in order; the items of one loop (consecutive containers of one task) all at
 * once, as the engines start them, so that they contend for the volume as pods do. Throws with the
 * output of the first that fails.
 */
export async function runContainers(runs: readonly ContainerRun[], volume: LocalVolume): Promise<ContainerResult[]> {
  const results: ContainerResult[] = [];
  for (let i = 0; i < runs.length;) {
    let j = i + 1;
    while (j < runs.length && runs[j]!.task === runs[i]!.task) j++;
    results.push(...await Promise.all(runs.slice(i, j).map((run) => runOne(run, volume))));
    i = j;
  }
  return results;
}

function runOne(run: ContainerRun, volume: LocalVolume): Promise<ContainerResult> {
  const [program, ...rest] = [...run.command, ...run.args];
  if (program !== 'pipewright') throw new Error(`${run.task}: runs ${program}, not pipewright`);
  const dir = typeof volume.dir === 'string' ? volume.dir : volume.dir(run);
  // The mount, or a folder inside it (a project in a sub-folder of the repository on the volume).
  const args = rest.map((a) => (a === volume.mountPath ? dir : a.startsWith(`${volume.mountPath}/`) ? dir + a.slice(volume.mountPath.length) : a));
  const instance = rest[rest.indexOf('-C') - 1]!;
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const [name, ref] of Object.entries(run.secrets)) {
    if (volume.secrets?.[ref] !== undefined) env[name] = volume.secrets[ref];
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [volume.cli ?? CLI, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ task: run.task, instance, dir, stdout, stderr });
      else reject(new Error(`${run.task}: pipewright ${args.join(' ')} exited ${code}\n${stdout}\n${stderr}`));
    });
  });
}
