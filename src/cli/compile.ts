/**
 * `pipewright compile --target kfp|argo`: the pipeline as a Kubeflow PipelineSpec or an Argo
 * Workflow whose every task runs `pipewright exec` of one stage instance (see src/compile/).
 */
import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ExitCode, addProjectOption, collect, enterProject, positiveInt, runCommand } from './common.js';

interface CompileFlags {
  cwd: string;
  target: 'kfp' | 'argo';
  out?: string;
  image?: string;
  volume: string;
  jobs?: number;
  accelerator: string;
  tar?: boolean;
  set: string[];
}

export const DEFAULT_VOLUME = 'pipewright-workspace:/workspace';

export function compileCommandDefinition(): Command {
  return addProjectOption(new Command('compile'))
    .description('compile the pipeline for a cluster: a Kubeflow Pipelines YAML (v2 IR) or an Argo Workflow')
    .addOption(new Option('-t, --target <target>', 'what to write').choices(['kfp', 'argo']).makeOptionMandatory())
    .option('-o, --out <file>', 'file to write, - for stdout (default: NAME.TARGET.yaml, NAME the pipeline\'s)')
    .addOption(new Option('--image <image>', 'the image every task runs (Node, pipewright and the project; see the Dockerfile)').env('PIPEWRIGHT_IMAGE'))
    .option('--volume <pvc:mount>', 'the PersistentVolumeClaim that holds the project, and where tasks mount it', DEFAULT_VOLUME)
    .option('-j, --jobs <n>', 'instances of a sweep run at once (Argo: tasks of the workflow)', positiveInt)
    .option('--accelerator <resource>', 'the Kubernetes resource of a GPU, for stages with resources.gpus', 'nvidia.com/gpu')
    .option('--tar', 'write NAME.yaml.tar.gz, as Kubeflow\'s Python compiler did')
    .option('-S, --set <stage.param=value>', 'compile with this param as its default (repeatable)', collect, [])
    .addHelpText('after', `
Each task runs \`pipewright exec INSTANCE -C MOUNT\` in the image, on the shared volume: the
project must be on the volume, and outs go from task to task through it. The stages' params
become the pipeline's parameters (with their current values as defaults); a sweep becomes a
ParallelFor (kfp) or withItems (argo) over its instances. KFP's caching is turned off: pipewright's
own cache on the volume decides what runs.

Examples:
  pipewright compile --target kfp --image registry.example.com/spam:1 -o spam.yaml
  pipewright compile --target argo --volume data:/mnt/workspace -o - | argo submit -`)
    .action((flags: CompileFlags) => runCommand(async () => {
      const [{ openProject }, { compilePipeline }, { tarGz }] = await Promise.all([
        import('../run/project.js'), import('../compile/compile.js'), import('../compile/write.js')]);
      const root = enterProject(flags.cwd);
      const { graph } = await openProject(root, flags.set);
      const volume = parseVolume(flags.volume);
      const image = flags.image ?? `${graph.declaration.name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}:latest`;
      if (!flags.image) process.stderr.write(`note: tasks run the image ${image}; pass --image REGISTRY/NAME:TAG for a cluster\n`);
      const compiled = compilePipeline(graph, flags.target, {
        image, volume, accelerator: flags.accelerator, ...(flags.jobs ? { parallelism: flags.jobs } : {}),
      });
      const file = flags.out ?? `${compiled.plan.name}.${flags.target}.yaml`;
      const toStdout = file === '-';
      const bytes: string | Buffer = flags.tar ? tarGz(toStdout ? `${compiled.plan.name}.yaml` : baseName(file), compiled.text) : compiled.text;
      if (toStdout) {
        process.stdout.write(bytes);
        return ExitCode.ok;
      }
      const written = flags.tar ? `${file}.tar.gz` : file;
      writeFileSync(written, bytes);
      const instances = compiled.plan.tasks.reduce((n, t) => n + t.instances.length, 0);
      process.stderr.write(`wrote ${written}: ${compiled.plan.tasks.length} task${compiled.plan.tasks.length === 1 ? '' : 's'} (${instances} instance${instances === 1 ? '' : 's'}), ${compiled.plan.params.length} parameter${compiled.plan.params.length === 1 ? '' : 's'}\n`);
      return ExitCode.ok;
    }));
}

/** `claim:/mount/path`: a PVC name (DNS-1123 subdomain) and an absolute mount path. */
export function parseVolume(text: string): { claim: string; mountPath: string } {
  const colon = text.indexOf(':');
  const claim = colon > 0 ? text.slice(0, colon) : '';
  const mountPath = text.slice(colon + 1);
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(claim) || claim.length > 253 || !mountPath.startsWith('/')) {
    throw new InvalidArgumentError(`--volume ${text}: expected PVC:MOUNT, a PersistentVolumeClaim name (lower case, digits, '-', '.') and an absolute path, e.g. ${DEFAULT_VOLUME}`);
  }
  return { claim, mountPath: mountPath.length > 1 ? mountPath.replace(/\/+$/, '') : mountPath };
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop()!;
}
