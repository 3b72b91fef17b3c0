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

describe('examples/tracking', { timeout: 120_000 }, () => {
  it('a source of frames, detection on 2 threads, a tracker fed its own tracks: three objects keep their ids over 300 frames', async () => {
    const p = project();
    for (const file of execFileSync('git', ['ls-files', '-z', 'examples/tracking'], { cwd: REPO, encoding: 'utf8' }).split('\0').filter(Boolean)) {
      mkdirSync(dirname(join(p.dir, file)), { recursive: true });
      cpSync(join(REPO, file), join(p.dir, file));
    }
    const result = await p.run('stream', 'examples/tracking/track.flow.ts');
    assert.equal(result.code, 0, result.stderr);
    const frames = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { t: number; objects: { id: number; x: number; y: number }[] });
    assert.deepEqual(frames.map((f) => f.t), Array.from({ length: 300 }, (_, t) => t), 'every frame, in order');
    const last = new Map<number, { x: number; y: number }>();
    for (const frame of frames) {
      assert.deepEqual(frame.objects.map((o) => o.id), [1, 2, 3], `frame ${frame.t}: the same three ids`);
      for (const o of frame.objects) {
        const before = last.get(o.id);
        // The dots move about 1.7 a frame: a jump means a track took another dot.
        if (before) assert.ok(Math.hypot(o.x - before.x, o.y - before.y) < 3, `frame ${frame.t}: object ${o.id} jumped`);
        last.set(o.id, o);
      }
    }
  });
});
