/**
 * Compiled YAML reads the same under YAML 1.1 (Go's yaml.v2 in argo, kubectl and the KFP server;
 * PyYAML in the KFP SDK) and YAML 1.2: a quoted string in params.yaml that a 1.1 reader would take
 * for a date, a boolean or a number (`"2023-01-01"`, `"yes"`, `"on"`, `"No"`, `"12:30"`,
 * `"1_000"`, `"0b101"`) is written quoted, and every parameter's default is the source's string.
 */
import { strict as assert } from 'node:assert';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { useProjects } from '../helpers/project.js';
import { TARGETS } from './compiled.js';

const YAML = createRequire(import.meta.url)('yaml') as typeof import('yaml');
const project = useProjects();

/** Strings YAML 1.1 or 1.2 resolve to something else when plain: dates, booleans, sexagesimals, numbers, null. */
const TRICKY: Record<string, string> = {
  d: '2023-01-01', t: '2026-07-19T12:30:00Z', y: 'yes', o: 'on', n: 'No', off: 'OFF', s: '12:30', u: '1_000', b: '0b101',
  q: '0o17', x: '0x1F', z: '~', nu: 'null', f: '1e3', k: 'y', inf: '.inf', neg: '-5', plain: 'just text',
};

const read = (text: string, version: '1.1' | '1.2') => YAML.parseAllDocuments(text, { version }).map((d) => d.toJS());

describe('compiled YAML under YAML 1.1 and 1.2 readers', () => {
  for (const target of TARGETS) {
    it(`${target}: both readers read the same documents, and every string param is the source's string`, async () => {
      const keys = Object.keys(TRICKY);
      const p = project({
        'params.yaml': keys.map((k) => `${k}: ${JSON.stringify(TRICKY[k])}\n`).join(''),
        'pipewright.yaml': `stages:\n  s:\n    cmd: echo ${keys.map((k) => `\${params.${k}}`).join(' ')} > out.txt\n    params: [${keys.join(', ')}]\n    outs: [out.txt]\n`,
      });
      const r = await p.run('compile', '--target', target, '-o', 'wf.yaml');
      assert.equal(r.code, 0, r.stderr);
      const text = p.read('wf.yaml');
      const old = read(text, '1.1');
      assert.deepEqual(old, read(text, '1.2'), 'a YAML 1.1 reader reads what a 1.2 reader reads');
      const defaults: Record<string, unknown> = target === 'kfp'
        ? Object.fromEntries(Object.entries(old[0].root.inputDefinitions.parameters as Record<string, { defaultValue: unknown }>).map(([k, v]) => [k, v.defaultValue]))
        : Object.fromEntries((old[0].spec.arguments.parameters as { name: string; value: unknown }[]).map((a) => [a.name, a.value]));
      for (const [key, value] of Object.entries(TRICKY)) assert.equal(defaults[key], value, `${target}: param ${key}`);
    });
  }
});
