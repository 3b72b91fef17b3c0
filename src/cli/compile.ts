/**
 * `pipewright compile --target kfp|argo`: the pipeline as a Kubeflow PipelineSpec or an Argo
 * Workflow whose every task runs `pipewright exec` of one stage instance (see src/compile/).
 */
import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { CompileOptions } from '../compile/tasks.js';
import { IMAGE_PROJECT } from '../compile/tasks.js';
import { ExitCode, addProjectOption, collect, enterProject, positiveInt, runCommand } from './common.js';

interface CompileFlags {
  cwd: string;
  target: 'kfp' | 'argo';
  out?: string;
  image?: string;
  volume?: string;
  /** A name, or false for --no-remote. */
  remote?: string | false;
  remoteSecret?: string;
  jobs?: number;
  accelerator: string;
  tar?: boolean;
  set: string[];
  nodeSelector: string[];
  toleration: string[];
  serviceAccount?: string;
  imagePullSecret: string[];
}

export const DEFAULT_VOLUME = 'pipewright-workspace:/workspace';

export function compileCommandDefinition(): Command {
  return addProjectOption(new Command('compile'))
    .description('compile the pipeline for a cluster: a Kubeflow Pipelines YAML (v2 IR) or an Argo Workflow')
    .addOption(new Option('-t, --target <target>', 'what to write').choices(['kfp', 'argo']).makeOptionMandatory())
    .option('-o, --out <file>', 'file to write, - for stdout (default: NAME.TARGET.yaml, NAME the pipeline\'s)')
    .addOption(new Option('--image <image>', 'the image every task runs (Node, pipewright and the project; see the Dockerfile)').env('PIPEWRIGHT_IMAGE'))
    .option('--volume <pvc:mount|none>', `the PersistentVolumeClaim that holds the project, and where tasks mount it (default: ${DEFAULT_VOLUME}; none when a remote carries outs)`)
    .option('-r, --remote <name>', 'outs travel through this remote of pipewright.config.yaml (default: default_remote there, if set)')
    .option('--no-remote', 'outs travel through the volume even when the project has a default_remote')
    .option('--remote-secret <secret>', 'the Kubernetes Secret whose keys AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY every task reads as env vars, for an S3 remote')
    .option('-j, --jobs <n>', 'instances of a sweep run at once (Argo: tasks of the workflow)', positiveInt)
    .option('--accelerator <resource>', 'the Kubernetes resource of a GPU, for stages with resources.gpus', 'nvidia.com/gpu')
    .option('--tar', 'write NAME.yaml.tar.gz, as Kubeflow\'s Python compiler did (-o NAME.tar.gz or NAME.tgz is used as given)')
    .option('-S, --set <stage.param=value>', 'compile with this param as its default (repeatable)', collect, [])
    .option('--node-selector <key=value>', 'every task\'s pod runs on nodes with this label (repeatable; per stage: kubernetes.nodeSelector)', collect, [])
    .option('--toleration <key[=value]:effect>', 'every task\'s pod tolerates this taint, e.g. nvidia.com/gpu:NoSchedule (repeatable)', collect, [])
    .option('--service-account <name>', 'the Kubernetes service account every task\'s pod runs as (Argo; Kubeflow takes it when a run starts)')
    .option('--image-pull-secret <name>', 'the Secret the image is pulled with, for a private registry (repeatable)', collect, [])
    .addHelpText('after', `
Each task runs \`pipewright exec --cached INSTANCE -C DIR\` in the image; pipewright's own cache
decides whether it runs, restores or skips (KFP's caching is turned off). How outs go from task
to task:

  volume (default)  DIR is the volume's mount: the project must be on the volume, and outs and
                    pipewright's cache stay there from task to task and run to run.
  remote            when the project has a default_remote (pipewright.config.yaml) or with
                    --remote NAME: each task runs \`exec --cached --remote NAME\`, in the image's
                    own copy of the project (DIR = ${IMAGE_PROJECT}, see the Dockerfile) and no
                    volume unless --volume PVC:MOUNT is given. A task brings down what its upstream
                    tasks pushed (outs verified against their hashes), restores its own instance
                    from the remote when it ran before, else runs it, and pushes its outs and
                    run-cache entry. An S3 remote's credentials come from a Kubernetes Secret
                    (--remote-secret NAME: env vars from its keys, never values in the YAML) or
                    the pods' own identity; a folder remote must be mounted at its path in the pods.

The stages' params become the pipeline's parameters (with their current values as defaults); a
sweep becomes a ParallelFor (kfp) or withItems (argo) over its instances.

Examples:
  pipewright compile --target kfp --image registry.example.com/spam:1 -o spam.yaml
  pipewright compile --target argo --volume data:/mnt/workspace -o - | argo submit -
  pipewright compile --target argo --remote s3 --remote-secret s3-creds -o - | argo submit -`)
    .action((flags: CompileFlags) => runCommand(async () => {
      const [{ openProject }, { compilePipeline }, { tarGz, tarTarget }, { ensureProjectIdentity, imageName, projectIdentity }, { basename }] = await Promise.all([
        import('../run/project.js'), import('../compile/compile.js'), import('../compile/write.js'), import('../distributed/identity.js'), import('node:path')]);
      const root = enterProject(flags.cwd);
      const { graph } = await openProject(root, flags.set);
      const { remote, volume } = await outsRoute(root, flags);
      // Named after the project's identity, as workers' queues are, not after this checkout's folder:
      // where there is none yet, the name it will have (written below, once the pipeline compiled).
      const { root: projectRoot } = graph.declaration;
      const image = flags.image ?? imageName(projectIdentity(projectRoot, graph.declaration) ?? { name: basename(projectRoot), from: 'config' });
      if (!flags.image) process.stderr.write(`note: tasks run the image ${image}; pass --image REGISTRY/NAME:TAG for a cluster\n`);
      const compiled = compilePipeline(graph, flags.target, {
        image, accelerator: flags.accelerator, ...(volume ? { volume } : {}), ...(remote ? { remote } : {}), ...(flags.jobs ? { parallelism: flags.jobs } : {}),
        ...await kubernetesKnobs(root, flags),
      });
      for (const note of compiled.notes) process.stderr.write(`note: ${note}\n`);
      if (!flags.image) ensureProjectIdentity(projectRoot, graph.declaration, (line) => process.stderr.write(`note: ${line}\n`));
      warnMissingDeps(graph, remote ? `remote ${remote.name}` : 'volume');
      const file = flags.out ?? `${compiled.plan.name}.${flags.target}.yaml`;
      const toStdout = file === '-';
      const target = flags.tar && !toStdout ? tarTarget(file) : undefined;
      const bytes: string | Buffer = flags.tar ? tarGz(target?.member ?? `${compiled.plan.name}.yaml`, compiled.text) : compiled.text;
      if (toStdout) {
        process.stdout.write(bytes);
        return ExitCode.ok;
      }
      const written = target?.archive ?? file;
      writeFileSync(written, bytes);
      const instances = compiled.plan.tasks.reduce((n, t) => n + t.instances.length, 0);
      process.stderr.write(`wrote ${written}: ${compiled.plan.tasks.length} task${compiled.plan.tasks.length === 1 ? '' : 's'} (${instances} instance${instances === 1 ? '' : 's'}), ${compiled.plan.params.length} parameter${compiled.plan.params.length === 1 ? '' : 's'}\n`);
      return ExitCode.ok;
    }));
}

/** The pipeline's pod knobs: pipewright.config.yaml's `kubernetes:` with the flags over it, and those by label. */
async function kubernetesKnobs(root: string, flags: CompileFlags): Promise<Pick<CompileOptions, 'kubernetes' | 'kubernetesByLabel'>> {
  const [{ readProjectConfig }, { kubernetesShape, mergeKubernetes }, z] = await Promise.all([import('../define/project-config.js'), import('../define/controls.js'), import('../zod.js')]);
  const { labels, ...fromConfig } = readProjectConfig(root)?.data.kubernetes ?? {};
  const written = {
    ...(flags.nodeSelector.length ? { nodeSelector: Object.fromEntries(flags.nodeSelector.map((pair) => splitPair(pair, '--node-selector', 'KEY=VALUE, e.g. pool=gpu'))) } : {}),
    ...(flags.toleration.length ? { tolerations: flags.toleration.map(parseToleration) } : {}),
    ...(flags.serviceAccount ? { serviceAccountName: flags.serviceAccount } : {}),
    ...(flags.imagePullSecret.length ? { imagePullSecrets: flags.imagePullSecret } : {}),
  };
  const checked = z.safeParse(kubernetesShape, written);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new InvalidArgumentError(`${issue.path.map(String).join('.')}: ${issue.message}`);
  }
  const kubernetes = mergeKubernetes(mergeKubernetes(undefined, fromConfig), checked.data);
  return { ...(kubernetes ? { kubernetes } : {}), ...(labels ? { kubernetesByLabel: labels } : {}) };
}

function splitPair(text: string, flag: string, expected: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`${flag} ${text}: expected ${expected}`);
  return [text.slice(0, at), text.slice(at + 1)];
}

/** `key=value:Effect`, `key:Effect` (any value), `key=value` (every effect). */
function parseToleration(text: string): Record<string, string> {
  const m = /^([^=:]+)(?:=([^:]*))?(?::(NoSchedule|PreferNoSchedule|NoExecute))?$/.exec(text);
  if (!m) throw new InvalidArgumentError(`--toleration ${text}: expected KEY[=VALUE][:EFFECT], EFFECT one of NoSchedule, PreferNoSchedule, NoExecute`);
  return { key: m[1]!, operator: m[2] === undefined ? 'Exists' : 'Equal', ...(m[2] === undefined ? {} : { value: m[2] }), ...(m[3] ? { effect: m[3] } : {}) };
}

/**
 * The volume and the remote of the compiled tasks: a remote when one is named or the config has a
 * default_remote (checked now: an unknown name is exit 2, naming the configured ones), and then no
 * volume unless one is given; without a remote, a volume there must be.
 */
async function outsRoute(root: string, flags: CompileFlags): Promise<{ volume?: Volume; remote?: CompileRemote }> {
  const { chooseRemote, listRemotes } = await import('../remote/config.js');
  const name = flags.remote === false ? undefined : flags.remote ?? listRemotes(root).find((r) => r.isDefault)?.name;
  const remote = name === undefined ? undefined : chooseRemote(root, name);
  const volumeText = flags.volume ?? (remote ? 'none' : DEFAULT_VOLUME);
  const volume = volumeText === 'none' ? undefined : parseVolume(volumeText);
  if (!volume && !remote) {
    throw new InvalidArgumentError('--volume none: outs need a way from task to task; name a remote (--remote NAME, see `pipewright remote add`) or a volume (--volume PVC:MOUNT)');
  }
  if (flags.remoteSecret !== undefined && !remote) {
    throw new InvalidArgumentError('--remote-secret: there is no remote (the project has no default_remote, or --no-remote was given); add --remote NAME');
  }
  if (flags.remoteSecret !== undefined && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(flags.remoteSecret)) {
    throw new InvalidArgumentError(`--remote-secret ${flags.remoteSecret}: expected the name of a Kubernetes Secret (lower case, digits, '-', '.')`);
  }
  if (!remote) return { ...(volume ? { volume } : {}) };
  if (remote.location.kind === 'folder') {
    process.stderr.write(`note: remote ${remote.name} is the folder ${remote.location.path}: every task's pod must have it mounted there\n`);
  }
  const secret = flags.remoteSecret;
  const secrets = secret === undefined ? {} : Object.fromEntries(REMOTE_SECRET_KEYS.map((key) => [key, `${secret}/${key}`]));
  return { ...(volume ? { volume } : {}), remote: { name: remote.name, secrets } };
}

/** The env vars (and Secret keys) an S3 remote's credentials are read from in a task. */
const REMOTE_SECRET_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;

type Volume = NonNullable<CompileOptions['volume']>;
type CompileRemote = NonNullable<CompileOptions['remote']>;

/** `claim:/mount/path`: a PVC name (DNS-1123 subdomain) and an absolute mount path. */
export function parseVolume(text: string): { claim: string; mountPath: string } {
  const colon = text.indexOf(':');
  const claim = colon > 0 ? text.slice(0, colon) : '';
  const mountPath = text.slice(colon + 1);
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(claim) || claim.length > 253 || !mountPath.startsWith('/')) {
    throw new InvalidArgumentError(`--volume ${text}: expected PVC:MOUNT (or none, with a remote), a PersistentVolumeClaim name (lower case, digits, '-', '.') and an absolute path, e.g. ${DEFAULT_VOLUME}`);
  }
  return { claim, mountPath: mountPath.length > 1 ? mountPath.replace(/\/+$/, '') : mountPath };
}

/** Shown at most, of the deps neither made by a stage nor here; the rest are counted. */
const MISSING_SHOWN = 10;

/**
 * A dep that no stage makes and that is not in the project here: its task will fail on the cluster
 * unless the volume or the remote holds it. Said once per path, naming the stages that read it.
 */
function warnMissingDeps(graph: import('../graph/graph.js').PipelineGraph, holder: string): void {
  const readers = new Map<string, Set<string>>();
  for (const name of graph.order) {
    const node = graph.nodes.get(name)!;
    for (const dep of node.missing ?? []) {
      if (!readers.has(dep.path)) readers.set(dep.path, new Set());
      readers.get(dep.path)!.add(node.of);
    }
  }
  const paths = [...readers.keys()];
  for (const path of paths.slice(0, MISSING_SHOWN)) {
    const stages = [...readers.get(path)!];
    process.stderr.write(`warning: dep ${path} (of ${stages.length === 1 ? `stage "${stages[0]}"` : `stages ${stages.map((s) => `"${s}"`).join(', ')}`}) is neither made by a stage nor here: its task fails on the cluster unless the ${holder} holds it\n`);
  }
  if (paths.length > MISSING_SHOWN) process.stderr.write(`warning: ${paths.length - MISSING_SHOWN} more deps are neither made by a stage nor here (\`pipewright status\` lists them all)\n`);
}
