/**
 * `--help` on every command and subcommand, found by walking the program's own help: each
 * answers with exit 0, its usage line, a description, and a description for every option.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { useProjects } from '../helpers/project.js';

const project = useProjects();

/** The command names listed under "Commands:" in a help text. */
function commandsIn(help: string): string[] {
  const section = help.split(/^Commands:\n/m)[1];
  if (!section) return [];
  return [...section.split(/\n\n/)[0]!.matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]!).filter((name) => name !== 'help');
}

describe('--help', () => {
  it('every command and subcommand has help: usage, a description, every option described', async () => {
    const p = project();
    const seen: string[] = [];
    const walk = async (path: string[]): Promise<void> => {
      const r = await p.run(...path, '--help');
      const name = ['pipewright', ...path].join(' ');
      assert.equal(r.code, 0, `${name} --help: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^Usage: ${name}( |$)`, 'm'), name);
      const lines = r.stdout.split('\n');
      assert.ok(lines[2]!.trim().length > 10, `${name} has a description`);
      const options = r.stdout.split(/^Options:\n/m)[1]?.split(/\n\n/)[0] ?? '';
      for (const line of options.split('\n').filter((l) => /^ {2}-/.test(l))) {
        assert.match(line, /^ {2}-\S.*\S {2,}\S/, `${name}: an option without a description: ${line}`);
      }
      seen.push(name);
      for (const sub of commandsIn(r.stdout)) await walk([...path, sub]);
    };
    await walk([]);
    for (const expected of ['run', 'status', 'dag', 'list', 'exec', 'export dvc', 'gc', 'runs', 'runs rm', 'show', 'diff', 'metrics show', 'metrics diff',
      'checkout', 'queue add', 'queue list', 'queue start', 'plots', 'analyze']) {
      assert.ok(seen.includes(`pipewright ${expected}`), `${expected} was reached: ${seen.join(', ')}`);
    }
  });
});
