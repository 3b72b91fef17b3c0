import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO, useProjects } from '../helpers/project.js';

const project = useProjects();

describe('examples/spam-stream', { timeout: 120_000 }, () => {
  it('the pipeline trains the model, the flow serves it: pipewright stream labels e-mails in order', async () => {
    const p = project();
    const tracked = execFileSync('git', ['ls-files', '-z', 'examples/spam', 'examples/spam-stream'], { cwd: REPO, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const file of tracked) {
      mkdirSync(dirname(join(p.dir, file)), { recursive: true });
      cpSync(join(REPO, file), join(p.dir, file));
    }
    p.write({ 'package.json': '{ "type": "module" }\n' });
    symlinkSync(join(REPO, 'node_modules/@stdlib'), join(p.dir, 'node_modules/@stdlib'));
    const untrained = await p.run('stream', 'examples/spam-stream/spam.flow.ts', '--in', 'examples/spam-stream/emails.jsonl');
    assert.equal(untrained.code, 1);
    assert.match(untrained.stderr, /no trained model at examples\/spam\/features\/vocab\.json: run `pipewright run -C examples\/spam` first/);
    const trained = await p.run('run', '-C', 'examples/spam', '-j', '2');
    assert.equal(trained.code, 0, trained.stdout + trained.stderr);
    const result = await p.run('stream', 'examples/spam-stream/spam.flow.ts', '--in', 'examples/spam-stream/emails.jsonl');
    assert.equal(result.code, 0, result.stderr);
    const labels = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { spam: boolean; probability: number });
    assert.deepEqual(labels.map((l) => l.spam), [true, false, true, false]);
    assert.ok(labels.every((l) => l.probability >= 0 && l.probability <= 1));
  });
});
