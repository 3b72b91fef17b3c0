/** `pipewright dag`: draw the pipeline. */
import { Command, Option } from 'commander';
import { DAG_FORMATS } from '../report/dag-formats.js';
import { ExitCode, addProjectOption, enterProject, runCommand } from './common.js';
export function dagCommandDefinition() {
    return addProjectOption(new Command('dag'))
        .description('draw the pipeline graph')
        .argument('[stage...]', 'draw only these stages and their upstream')
        .addOption(new Option('-f, --format <format>', 'output format').choices(DAG_FORMATS).default('ascii'))
        .option('--downstream', 'also draw what depends on the named stages')
        .option('--instances', "draw every instance of a sweep, not one node for the sweep")
        .action((stages, flags) => runCommand(async () => {
        const [{ selectStages }, { drawDag }, { openProject }] = await Promise.all([
            import('../graph/select.js'), import('../report/dag.js'), import('../run/project.js')
        ]);
        const project = await openProject(enterProject(flags.cwd));
        const selected = selectStages(project.graph, { targets: stages, downstream: flags.downstream === true });
        process.stdout.write(drawDag(project.graph, selected, flags.format, { instances: flags.instances === true }));
        return ExitCode.ok;
    }));
}
//# sourceMappingURL=dag.js.map