/**
 * The plan as an Argo `Workflow`: one DAG template (`main`) whose tasks call container templates,
 * the shared volume mounted in each, the pipeline's params as the workflow's arguments. Tasks that
 * differ only by the instance they run share one template, which takes the instance as its input
 * (as a loop's does): a pipeline of thousands of stages stays far below etcd's ~1.5 MB object limit.
 * Validated against Argo's JSON schema in the tests.
 */
import { sharedTemplates, type SharedTemplate } from './shared-templates.js';
import {
  ENTRY_TEMPLATE, PIPEWRIGHT_COMMAND, execArgs, taskKubernetes, memoryQuantity, parameterText, secretRef, taskSecrets, whereOutsTravel, wholeGpus,
  type CompileOptions, type CompilePlan, type TaskPlan } from './tasks.js';

type Json = Record<string, unknown>;

/** The volume's name inside the workflow (its claim is the user's). */
const VOLUME = 'workspace';
/** The input of a sweep's template: the instance to run, one per item. */
const INSTANCE_INPUT = 'instance';

export function compileArgo(plan: CompilePlan, options: CompileOptions): Json {
  const templates = sharedTemplates(plan.tasks, (task) => containerTemplate(task, options, `{{inputs.parameters.${INSTANCE_INPUT}}}`));
  const pipeline = options.kubernetes;
  // A template has no imagePullSecrets of its own in Argo: the workflow pulls with all of them.
  const pullSecrets = [...new Set(plan.tasks.flatMap((t) => taskKubernetes(t, options)?.imagePullSecrets ?? []))];
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { generateName: `${plan.name.slice(0, 62)}-` },
    spec: {
      entrypoint: ENTRY_TEMPLATE,
      ...(options.parallelism ? { parallelism: options.parallelism } : {}),
      ...(pipeline?.serviceAccountName ? { serviceAccountName: pipeline.serviceAccountName } : {}),
      ...(pipeline?.nodeSelector ? { nodeSelector: pipeline.nodeSelector } : {}),
      ...(pipeline?.tolerations ? { tolerations: pipeline.tolerations } : {}),
      ...(pullSecrets.length ? { imagePullSecrets: pullSecrets.map((name) => ({ name })) } : {}),
      ...(plan.params.length ? { arguments: { parameters: plan.params.map((p) => ({ name: p.name, value: parameterText(p.defaultValue) })) } } : {}),
      ...(options.volume ? { volumes: [{ name: VOLUME, persistentVolumeClaim: { claimName: options.volume.claim } }] } : {}),
      templates: [
        { name: ENTRY_TEMPLATE, dag: { tasks: plan.tasks.map((task) => dagTask(task, templates.of(task))) } },
        ...plan.tasks.flatMap((task) => {
          const used = templates.of(task);
          if (used.shared) return used.owner === task ? [{ name: task.name, inputs: { parameters: [{ name: INSTANCE_INPUT }] }, ...used.body }] : [];
          return [{ name: task.name, ...containerTemplate(task, options, task.instances[0]!) }];
        }),
      ],
    },
  };
}

function dagTask(task: TaskPlan, template: SharedTemplate<TaskPlan, Json>): Json {
  return {
    name: task.name,
    template: template.shared ? template.owner.name : task.name,
    ...(task.dependsOn.length ? { dependencies: [...task.dependsOn] } : {}),
    ...(template.shared ? { arguments: { parameters: [{ name: INSTANCE_INPUT, value: task.loop ? '{{item}}' : task.instances[0]! }] } } : {}),
    ...(task.loop ? { withItems: [...task.instances] } : {}),
  };
}

/**
 * A stage's template, without its name and inputs, running `instance` (a name, or the input's
 * placeholder). Params are read straight from `{{workflow.parameters.…}}` in the container's
 * arguments rather than handed down as task arguments: one substitution, so a value holding `{{…}}`
 * is never taken for a placeholder on a second pass.
 */
function containerTemplate(task: TaskPlan, options: CompileOptions, instance: string): Json {
  const controls = task.controls;
  const retry = controls?.retry;
  const resources = controls?.resources;
  const gpus = resources ? wholeGpus(resources.gpus) : 0;
  const secrets = taskSecrets(task, options);
  const pod = podKnobs(task, options);
  return {
    ...pod,
    ...(retry && retry.limit > 0 ? {
      // IntOrString fields are strings in Argo's published schema.
      retryStrategy: { limit: String(retry.limit), backoff: { duration: `${retry.backoffMs / 1000}s`, factor: String(retry.factor) } },
    } : {}),
    ...(controls?.timeoutMs ? { activeDeadlineSeconds: String(Math.ceil(controls.timeoutMs / 1000)) } : {}),
    container: {
      image: options.image,
      command: [...PIPEWRIGHT_COMMAND],
      args: execArgs(task, instance, options, (p) => `{{workflow.parameters.${p.name}}}`),
      ...(secrets.length ? {
        env: secrets.map(([name, ref]) => {
          const { secret, key } = secretRef(ref);
          return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
        }),
      } : {}),
      ...(resources && (resources.cpuLimit || resources.memoryBytes || gpus) ? {
        resources: {
          limits: {
            ...(resources.cpuLimit ? { cpu: String(resources.cpuLimit) } : {}),
            ...(resources.memoryBytes ? { memory: memoryQuantity(resources.memoryBytes) } : {}),
            ...(gpus ? { [options.accelerator]: String(gpus) } : {}),
          },
        },
      } : {}),
      ...(options.volume ? { volumeMounts: [{ name: VOLUME, mountPath: options.volume.mountPath }] } : {}),
    },
  };
}

/** A task's own scheduling knobs, where they differ from the workflow's (which every pod has already). */
function podKnobs(task: TaskPlan, options: CompileOptions): Json {
  const knobs = taskKubernetes(task, options);
  const pipeline = options.kubernetes;
  const differs = (key: 'nodeSelector' | 'tolerations' | 'serviceAccountName') => knobs?.[key] !== undefined && JSON.stringify(knobs[key]) !== JSON.stringify(pipeline?.[key]);
  return {
    ...(differs('serviceAccountName') ? { serviceAccountName: knobs!.serviceAccountName } : {}),
    ...(differs('nodeSelector') ? { nodeSelector: knobs!.nodeSelector } : {}),
    ...(differs('tolerations') ? { tolerations: knobs!.tolerations } : {}),
  };
}

export function argoHeader(source: string, options: CompileOptions): string {
  return [
    `# Compiled by \`pipewright compile --target argo\` from ${source}. Each task runs \`pipewright exec\``,
    `# of one stage instance ${whereOutsTravel(options)}; pipewright's cache decides what runs.`,
    '# Submit with: argo submit THIS_FILE (-p PARAM=VALUE to override a param).',
  ].join('\n');
}
