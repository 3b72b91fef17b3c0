/** `pipewright worker`: take a project's jobs from Redis and run them here, until SIGTERM or Ctrl-C. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { parseMemory } from '../define/controls.js';
import { availableParallelism } from 'node:os';
import { ExitCode, addProjectOption, enterProject, nonNegativeInt, positiveInt, runCommand } from './common.js';

interface WorkerFlags {
  cwd: string;
  redis?: string;
  concurrency: number;
  labels?: string;
  gpus?: number;
  resources?: { cpus?: number; memoryBytes?: number; gpus?: number };
  lockDuration: number;
  stalledInterval: number;
  /** False with --no-remote. */
  remote: boolean;
}

function parseResources(text: string): { cpus?: number; memoryBytes?: number; gpus?: number } {
  const out: { cpus?: number; memoryBytes?: number; gpus?: number } = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [key, value = ''] = part.split('=');
    const number = Number(value);
    if (key === 'cpus' && Number.isInteger(number) && number > 0) out.cpus = number;
    else if (key === 'gpus' && Number.isInteger(number) && number >= 0) out.gpus = number;
    else if (key === 'memory' && parseMemory(value) !== undefined) out.memoryBytes = parseMemory(value)!;
    else throw new InvalidArgumentError(`--resources: "${part}" is not cpus=N, gpus=N or memory=SIZE (e.g. cpus=8,memory=32G)`);
  }
  return out;
}

export function workerCommandDefinition(): Command {
  return addProjectOption(new Command('worker'))
    .description("take this project's jobs from Redis (pipewright run --executor bullmq) and run them here, in this checkout")
    .option('--redis <url>', 'Redis URL (default: PIPEWRIGHT_REDIS, then pipewright.config.yaml redis:, then redis://127.0.0.1:6379)')
    .addOption(new Option('--concurrency <n>', 'jobs run at once').argParser(positiveInt).default(availableParallelism(), 'the number of cores'))
    .option('--labels <list>', 'take jobs of stages labelled with these (comma-separated, e.g. gpu,bigmem)')
    .option('--gpus <n>', 'GPU devices this worker hands out (default: the machine\'s)', nonNegativeInt)
    .option('--resources <list>', 'the most one job may hold here, e.g. cpus=8,memory=32G,gpus=2 (a job asking more is left for another worker)', parseResources)
    .option('--lock-duration <ms>', "a job's lock; a worker that stops renewing it (killed) loses the job to another after this", positiveInt, 30_000)
    .option('--no-remote', "do not look jobs up in the remote's run-cache before running them")
    .option('--stalled-interval <ms>', 'how often jobs of dead workers are looked for and handed out again', positiveInt, 30_000)
    .addHelpText('after', `
It prints a line per job it takes and finishes. SIGTERM or Ctrl-C finishes the jobs in hand, then exits.
It serves the project named by \`name:\` in pipewright.config.yaml, else by the pipeline itself
(a TS pipeline('NAME', ...), name: in pipewright.yaml), wherever the checkout lies; a checkout that
names no project (a dvc.yaml) is refused: pull the config that \`run --executor bullmq\` wrote.
A job of another revision of the project (pipeline file, git commit) is refused, never computed.

Example:
  PIPEWRIGHT_REDIS=redis://queue.lan:6379 pipewright worker --concurrency 4 --labels gpu`)
    .action((flags: WorkerFlags) => runCommand(async () => {
      const [{ startWorker }, { redisUrl }, { queuePrefix, requireProjectIdentity }, { sharedWorkspace }, { remoteTransportIfAny }, { findPipelineFile, loadPipeline }, { detectGpus }, { readdirSync }, { dirname }] = await Promise.all([
        import('../distributed/worker.js'), import('../distributed/protocol.js'), import('../distributed/identity.js'), import('../distributed/transport.js'), import('../distributed/remote-transport.js'), import('../define/load.js'),
        import('../run/slots.js'), import('node:fs'), import('node:path')]);
      const file = findPipelineFile(enterProject(flags.cwd));
      const root = dirname(file);
      const declaration = await loadPipeline(file);
      // Named by the project, not by this checkout's folder: a worker anywhere serves the same queues.
      const identity = requireProjectIdentity(root, declaration);
      const log = (line: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
      // Listened for before the worker says it takes jobs: a SIGTERM before any listener exists
      // would end the process at once, without finishing the jobs in hand.
      const stopAsked = new Promise<void>((resolve) => {
        const stop = () => {
          log('stopping: finishing the jobs in hand');
          resolve();
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
      const worker = await startWorker({
        root,
        pipelineFile: file,
        redisUrl: redisUrl(root, flags.redis),
        project: identity.name,
        prefix: queuePrefix(identity),
        concurrency: flags.concurrency,
        labels: (flags.labels ?? '').split(',').map((l) => l.trim()).filter(Boolean),
        gpus: flags.resources?.gpus ?? flags.gpus ?? detectGpus((dir) => readdirSync(dir)),
        ...(flags.resources ? { resources: flags.resources } : {}),
        // The project's remote carries inputs and outs when it has one; else the checkout is shared.
        transport: (await remoteTransportIfAny(root, log)) ?? sharedWorkspace,
        // What the remote records is restored, not run, whatever the coordinator knows.
        ...(flags.remote ? await sharedTierOf(root, log) : {}),
        lockDurationMs: flags.lockDuration,
        stalledIntervalMs: flags.stalledInterval,
        log,
      });
      await stopAsked;
      await worker.close();
      log('stopped');
      return ExitCode.ok;
    }));
}

async function sharedTierOf(root: string, log: (line: string) => void): Promise<{ shared?: import('../remote/cache-tier.js').RemoteCacheTier }> {
  const { RemoteCacheTier } = await import('../remote/cache-tier.js');
  // Read again before every job: another worker may have pushed the run a moment ago.
  const shared = await RemoteCacheTier.forRun(root, undefined, (message) => log(`warning: ${message}`), undefined, 0);
  return shared ? { shared } : {};
}
