/**
 * A run that dies under the UI: its event stream's trouble ends that stream, never the server,
 * and a run killed with -9 is shown as stopped (its unfinished instances not run), not as running
 * forever, and its logs are no longer followed.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { useProjects, waitFor } from '../helpers/project.js';
import { RunState, nodeState, type RunEventLine } from '../../src/ui/client/run-state.js';
import { rawGet, signIn, startUi } from './helpers.js';

const project = useProjects();

const FILES = {
  'wait.cjs': `const fs = require('fs');
console.log('waiting for ' + process.argv[2]);
const timer = setInterval(() => { if (fs.existsSync(process.argv[2])) { clearInterval(timer); fs.writeFileSync(process.argv[3], 'x'); } }, 50);`,
  'pipewright.yaml': `stages:
  first:
    cmd: node wait.cjs gate first.out
    deps: [wait.cjs]
    outs: [first.out]
  second:
    cmd: node wait.cjs gate second.out
    deps: [first.out]
    outs: [second.out]
`,
};

describe('a run that dies under the UI', () => {
  it('ends a broken event stream alone, and shows a killed run as stopped', async () => {
    const p = project(FILES);
    const ui = await startUi(p);
    const run = p.start(['run', '--name', 'doomed']);
    try {
      const events = join(p.dir, '.pipewright/runs/1/events.jsonl');
      await waitFor(() => existsSync(events) && readFileSync(events, 'utf8').includes('"type":"started"'), 'the first stage to start');
      const cookie = await signIn(ui);

      // A stream open on the running run, then the store made unreadable under it (a journal line
      // that is not a run): the stream stops; the server goes on.
      const stream = new Promise<string>((resolve) => {
        const req = request({ host: '127.0.0.1', port: ui.port, path: '/api/runs/1/events', headers: { host: `127.0.0.1:${ui.port}`, cookie } }, (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (t: string) => (body += t)).on('end', () => resolve(body)).on('error', () => resolve(body)).on('aborted', () => resolve(body));
        });
        req.on('error', () => resolve(''));
        req.end();
      });
      await new Promise((r) => setTimeout(r, 300));
      writeFileSync(join(p.dir, '.pipewright/runs.pending.jsonl'), '{}\n');
      await stream;
      assert.match(ui.output(), /the event stream of .* stopped/);
      rmSync(join(p.dir, '.pipewright/runs.pending.jsonl'), { force: true });
      assert.equal((await rawGet(ui.port, '/api/runs/1', { cookie })).status, 200, 'the server still answers');

      // Killed while its first stage runs.
      run.child.kill('SIGKILL');
      await run.done;
      const detail = JSON.parse((await rawGet(ui.port, '/api/runs/1', { cookie })).body) as { run: { status: string }; instances: Parameters<RunState['takeRecords']>[0] };
      assert.equal(detail.run.status, 'interrupted');
      const replay = await rawGet(ui.port, '/api/runs/1/events', { cookie });
      assert.match(replay.body, /^event: end$/m, 'the stream of a dead run ends');
      // What the page makes of it: the events, the store's rows, then the run is over.
      const state = new RunState();
      state.takeRecords(detail.instances);
      for (const m of replay.body.matchAll(/^data: (\[.*\])$/gm)) state.apply(JSON.parse(m[1]!) as RunEventLine[]);
      state.settle();
      assert.equal(nodeState(state.byStage().get('first') ?? []), 'not-run');
      assert.match(state.instances.get('first')!.error!, /stopped while this ran/);
      assert.equal(nodeState(state.byStage().get('second') ?? []), 'pending', 'never queued: nothing said of it');
      // Its log is what it wrote before it was killed.
      const log = await rawGet(ui.port, '/api/runs/1/instances/first/log', { cookie });
      assert.equal(log.status, 200, log.body);
      assert.match((JSON.parse(log.body) as { text: string }).text, /waiting for gate/);
    } finally {
      // The killed run's stage (its own process group) is still waiting at its gate: opened, it
      // writes its out and ends. Waited for, or the project's removal after the tests races its
      // write (rmdir: ENOTEMPTY, seen once on Node 20).
      writeFileSync(join(p.dir, 'gate'), '');
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
      await waitFor(() => p.exists('first.out'), 'the orphaned stage to write its out', 5_000).catch(() => undefined);
      await ui.stop();
    }
  });
});
