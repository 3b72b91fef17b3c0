/**
 * `pipewright export dvc`: the pipeline written out as a dvc.yaml (+ params.yaml) that DVC itself
 * runs, TS stages through `npx pipewright exec`. See define/dvc-export.ts for what becomes what.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Command } from 'commander';
import { ExitCode, addProjectOption, collect, enterProject, runCommand } from './common.js';
import { outputFolder } from './option-values.js';

export function exportCommandDefinition(): Command {
  const dvc = addProjectOption(new Command('dvc'))
    .description('write the pipeline as a dvc.yaml (and params.yaml) that DVC runs: TS stages become `npx pipewright exec STAGE`')
    .option('-o, --out <dir>', 'folder to write dvc.yaml into (relative to the project; stages get `wdir:` back to it)', '.')
    .option('--force', 'replace an existing dvc.yaml / params.yaml')
    .option('--skip <stage>', 'leave a stage out, e.g. a custom search DVC cannot run (repeatable)', collect, [])
    .addHelpText('after', `
Sweeps become a \`matrix\` (a grid) or a \`foreach\` over their instances (random draws), named
as pipewright names them where DVC allows it; \`pipewright exec\` accepts DVC's names too.
What DVC cannot express (a custom search, a list inserted into a command, ...) is an error, exit 2.`)
    .action((flags: { cwd: string; out: string; force?: boolean; skip: string[] }) => runCommand(async () => {
      const [{ openProject }, { exportDvc }, { CodeIdentities }, { PipelineError }, { createRequire }] = await Promise.all([
        import('../run/project.js'), import('../define/dvc-export.js'), import('../cache/code-identity.js'), import('../errors.js'), import('node:module')]);
      const root = enterProject(flags.cwd);
      const outDir = resolve(root, flags.out);
      const { graph, declaration } = await openProject(root);
      const identities = new CodeIdentities(declaration.root);
      const exported = await exportDvc(graph, {
        outDir,
        skip: flags.skip,
        codeFiles: async (stage) => {
          const identity = await identities.of(stage, undefined);
          return 'files' in identity ? Object.keys(identity.files) : [];
        },
      });

      const files: [string, unknown, string][] = [[join(outDir, 'dvc.yaml'), exported.dvcYaml, header(relative(outDir, declaration.file))]];
      if (exported.params) files.push([join(outDir, 'params.yaml'), exported.params, 'Params of the exported stages: edit them here, DVC passes them to `pipewright exec`.']);
      // Nothing is written unless everything may be: a half-replaced pair would disagree.
      for (const [file] of files) {
        if (existsSync(file) && !flags.force) {
          throw new PipelineError('not-exportable', `${relative(process.cwd(), file) || file} exists`, undefined, 'pass --force to replace it, or -o DIR to write elsewhere');
        }
      }
      // The CommonJS build of `yaml`, as yaml-source.ts loads it (the bundle's ES import of it has no named exports).
      const YAML = createRequire(import.meta.url)('yaml') as typeof import('yaml');
      outputFolder(outDir, '-o', flags.out);
      for (const [file, data, comment] of files) {
        const doc = new YAML.Document(data);
        doc.commentBefore = ` ${comment}`;
        writeFileSync(file, doc.toString({ lineWidth: 0 }));
      }
      const stages = Object.keys(exported.dvcYaml.stages as object).length;
      process.stdout.write(`wrote ${files.map(([f]) => relative(process.cwd(), f) || f).join(' and ')}: ${stages} stage${stages === 1 ? '' : 's'}; run them with \`dvc repro\`\n`);
      return ExitCode.ok;
    }));
  return new Command('export')
    .description('write the pipeline out for another tool')
    .addCommand(dvc);
}

function header(pipelineFile: string): string {
  return `Written by \`pipewright export dvc\` from ${pipelineFile}; change that file and export again.`;
}
