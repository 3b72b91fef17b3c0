/** `pipewright dag`: draw the pipeline. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { DAG_FORMATS, type DagFormat } from '../report/dag-formats.js';
import { ExitCode, addProjectOption, enterProject, runCommand } from './common.js';

export function dagCommandDefinition(): Command {
  return addProjectOption(new Command('dag'))
    .description('draw the pipeline graph')
    .argument('[stage...]', 'draw only these stages and their upstream; or a flow file (*.flow.ts) to draw its cells')
    .addOption(new Option('-f, --format <format>', 'output format').choices(DAG_FORMATS).default('ascii'))
    .option('--downstream', 'also draw what depends on the named stages')
    .option('--instances', "draw every instance of a sweep, not one node for the sweep")
    .action((stages: string[], flags: { cwd: string; format: DagFormat; downstream?: boolean; instances?: boolean }) => runCommand(async () => {
      // `dag FILE`: a flow file is drawn as its cells.
      if (stages.length === 1 && /\.[cm]?[jt]s$/.test(stages[0]!) && existsSync(stages[0]!)) {
        const [{ loadFlowFile }, { drawFlow }] = await Promise.all([import('../flow/load-flow.js'), import('../flow/draw.js')]);
        process.stdout.write(drawFlow(await loadFlowFile(resolve(stages[0]!), stages[0]), flags.format));
        return ExitCode.ok;
      }
      const [{ selectStages }, { drawDag }, { openProject }] = await Promise.all([
        import('../graph/select.js'), import('../report/dag.js'), import('../run/project.js')]);
      const project = await openProject(enterProject(flags.cwd));
      const selected = selectStages(project.graph, { targets: stages, downstream: flags.downstream === true });
      process.stdout.write(drawDag(project.graph, selected, flags.format, { instances: flags.instances === true }));
      return ExitCode.ok;
    }));
}
