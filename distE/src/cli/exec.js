/**
 * `pipewright exec STAGE`: run one stage instance right here, through the same exec path every
 * executor uses, without its upstream. What a cluster task (Kubeflow, Argo) runs.
 */
import { Command } from 'commander';
import { ExitCode, addProjectOption, collect, enterProject, runCommand } from './common.js';
export function execCommandDefinition() {
    return addProjectOption(new Command('exec'))
        .description('run one stage here and now, without its upstream (what cluster tasks run)')
        .argument('<stage>', 'the stage to run (for a sweep, one instance: train@lr=0.1,depth=4)')
        .option('-S, --set <stage.param=value>', 'override a param (repeatable)', collect, [])
        .action((stage, flags) => runCommand(async () => {
        const [{ execInstance }, { selectStages }, { openProject }, { addressOf }, { PipelineError }, { collectedFromLock }] = await Promise.all([
            import('../executors/exec-instance.js'), import('../graph/select.js'), import('../run/project.js'), import('../executors/executor.js'), import('../errors.js'),
            import('../run/collected.js')
        ]);
        const { graph } = await openProject(enterProject(flags.cwd), flags.set);
        selectStages(graph, { targets: [stage] });
        const instances = graph.sweeps.get(stage);
        if (instances && !graph.nodes.has(stage)) {
            throw new PipelineError('usage', `"${stage}" is a sweep of ${instances.length} instances: exec runs one`, undefined, `name one, for example: pipewright exec '${instances[0]}'`);
        }
        const controller = new AbortController();
        process.once('SIGINT', () => controller.abort(new Error('interrupted')));
        try {
            const result = await execInstance(
            // A collecting stage gets the instances the lockfile knows, as a run would hand them over.
            addressOf(graph.declaration.file, graph.nodes.get(stage), collectedFromLock(graph, graph.nodes.get(stage), (m) => process.stderr.write(`warning: ${m}\n`))), { output: (stream, text) => process[stream].write(text), signal: controller.signal });
            if (result.metrics)
                process.stdout.write(JSON.stringify(result.metrics) + '\n');
            return ExitCode.ok;
        }
        catch (err) {
            if (controller.signal.aborted)
                return ExitCode.cancelled;
            process.stderr.write(`error: stage "${stage}" failed: ${err.message}\n`);
            return ExitCode.stageFailed;
        }
    }));
}
//# sourceMappingURL=exec.js.map