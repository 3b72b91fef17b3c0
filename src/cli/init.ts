/** `pipewright init [DIR] [--ts | --yaml]`: a new project with a small pipeline that runs as it is. */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { PipelineError } from '../errors.js';
import { VERSION } from '../version.js';
import { ExitCode, runCommand } from './common.js';
import { GITIGNORE_LINES, starterFiles, type Flavour } from './starter-files.js';

/** What the TS starter's package.json asks for: this pipewright, and the zod, TypeScript and Node types it is built against. */
const VERSIONS = { pipewright: `^${VERSION}`, zod: '^4.0.0', typescript: '^5.9.0', node: '^20.0.0' };

export function initCommandDefinition(): Command {
  return new Command('init')
    .description('start a project: a small working pipeline of two stages, a params file, pipewright.config.yaml and .gitignore entries')
    .argument('[dir]', 'the project folder (made if missing)', '.')
    .addOption(new Option('--ts', 'stages in TypeScript (pipewright.ts, with package.json and tsconfig.json that type-check them); the default').conflicts('yaml'))
    .addOption(new Option('--yaml', 'stages as shell commands in pipewright.yaml, with params.yaml'))
    .addHelpText('after', `
Nothing is overwritten: init stops (exit 2) naming the files that are already there. In a DVC
project (a dvc.yaml) it writes nothing: pipewright runs it as it is.

A TypeScript project needs its packages first: \`npm install\` (pipewright, zod, TypeScript), then
\`pipewright run\`. A YAML project runs as it is.

Examples:
  pipewright init my-project && cd my-project && npm install && npx pipewright run
  pipewright init --yaml numbers && cd numbers && pipewright run`)
    .action((dir: string, flags: { ts?: boolean; yaml?: boolean }) => runCommand(async () => {
      const root = resolve(dir);
      const flavour: Flavour = flags.yaml ? 'yaml' : 'ts';
      if (existsSync(join(root, 'dvc.yaml'))) {
        process.stderr.write(`${shown(root)} is a DVC project: pipewright runs it as it is (pipewright run, status, dag); nothing written\n`);
        return ExitCode.ok;
      }
      const name = projectName(basename(root));
      const files = starterFiles(flavour, name, VERSIONS);
      const taken = [...Object.keys(files), ...['pipewright.ts', 'pipewright.yaml'].filter((f) => !(f in files))].filter((f) => existsSync(join(root, f)));
      if (taken.length) {
        throw new PipelineError('usage', `${shown(root)} already has ${taken.join(', ')}: init writes nothing over a file`, undefined,
          'start in an empty folder (pipewright init NEW-FOLDER), or move those files away');
      }
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text, { flag: 'wx' });
      }
      const ignored = addToGitignore(join(root, '.gitignore'));
      const written = [...Object.keys(files), ...(ignored ? ['.gitignore'] : [])];
      process.stderr.write(`wrote ${written.join(', ')} in ${shown(root)}\n\nnext:\n${root === process.cwd() ? '' : `  cd ${shown(root)}\n`}`
        + `${flavour === 'ts' ? '  npm install          pipewright, zod and TypeScript for the stages (npm run typecheck checks them)\n' : ''}  pipewright run\n`);
      return ExitCode.ok;
    }));
}

/** Appends pipewright's lines to .gitignore (made if missing); false when they were all there. */
function addToGitignore(file: string): boolean {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const present = new Set(text.split(/\r?\n/).map((l) => l.trim()));
  const missing = GITIGNORE_LINES.filter((l) => !present.has(l) && !present.has(l.replace(/\/$/, '')));
  if (!missing.length) return false;
  appendFileSync(file, `${text && !text.endsWith('\n') ? '\n' : ''}# pipewright's state and cache\n${missing.join('\n')}\n`);
  return true;
}

/** A folder name as a pipeline and package name: lower case, letters, digits and `-`. */
function projectName(folder: string): string {
  return folder.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'pipeline';
}

function shown(root: string): string {
  return relative(process.cwd(), root) || '.';
}
