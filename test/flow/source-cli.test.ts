/**
 * A flow with a source cell through the CLI: `pipewright stream FILE` runs it without reading any input (with
 * its scaled cells on threads, order kept), `--in` and `serve` are refused with the reason (exit 2), and `dag`
 * shows the source and the recurrent connection.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { CLI, useProjects } from '../helpers/project.js';

const project = useProjects();

const TRACK = `import { cell, flow, source } from 'pipewright';
export const frames = source('frames', { run: function* () { for (let i = 0; i < 60; i++) yield { t: i, x: i * i }; } });
const detect = cell('detect', { scale: 2, executor: 'threads', run: async (f: { t: number; x: number }) => {
  await new Promise((r) => setTimeout(r, f.t % 3));
  return f;
} });
const track = cell('track', { inputs: ['frame', 'last'], outputs: ['speed', 'last'],
  run: ({ frame, last }: { frame: { t: number; x: number }; last: { t: number; x: number } | null }) =>
    ({ speed: last ? frame.x - last.x : 0, last: frame }) });
export default flow('track', { cells: [frames, detect, track],
  connect: [['frames', 'detect'], ['detect', 'track.frame'], ['track.last', 'track.last', { initial: null }]] });
`;

describe('a flow with a source, from the CLI', { timeout: 60_000 }, () => {
  it('pipewright stream pulls it without reading stdin: outputs in order through a cell on 2 threads', async () => {
    const p = project({ 'track.flow.ts': TRACK });
    // stdin stays open and empty: a stream that read it would never end.
    const child = spawn(process.execPath, [CLI, 'stream', 'track.flow.ts'], { cwd: p.dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.destroy();
    assert.equal(code, 0, stderr);
    assert.deepEqual(stdout.trim().split('\n').map(Number), Array.from({ length: 60 }, (_, t) => (t === 0 ? 0 : 2 * t - 1)));
  });

  it('--in and serve are refused with the reason (exit 2); dag draws the source and the recurrent connection', async () => {
    const p = project({ 'track.flow.ts': TRACK, 'items.jsonl': '1\n' });
    const withIn = await p.run('stream', 'track.flow.ts', '--in', 'items.jsonl');
    assert.equal(withIn.code, 2);
    assert.match(withIn.stderr, /flow "track" pulls its items from source "frames": it reads no --in/);
    const served = await p.run('serve', 'track.flow.ts', '--port', '0');
    assert.equal(served.code, 2);
    assert.match(served.stderr, /flow "track" pulls its items from source "frames": a served flow takes its items from requests/);
    assert.doesNotMatch(served.stderr, /\n\s+at /, 'no stack trace');
    const dag = await p.run('dag', 'track.flow.ts', '--format', 'json');
    assert.equal(dag.code, 0, dag.stderr);
    const drawn = JSON.parse(dag.stdout);
    assert.equal(drawn.cells.find((c: { name: string }) => c.name === 'frames').source, true);
    assert.deepEqual(drawn.recurrent, [{ from: 'track.last', to: 'track.last', initial: null }]);
    assert.deepEqual(drawn.inputs, []);
    const ascii = await p.run('dag', 'track.flow.ts');
    assert.match(ascii.stdout, /frames \(source\)/);
    assert.match(ascii.stdout, /track \(↺ track\.last\)/);
  });
});
