/**
 * `pipewright run --watch`, through the real CLI in a temp project: real saves, real reruns. Every
 * wait polls the output or the files (waitFor); the few pauses only space saves apart.
 */
import { strict as assert } from 'node:assert';
import { renameSync, writeFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { useProjects, waitFor, type TestProject } from '../helpers/project.js';

const project = useProjects();
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const count = (text: string, pattern: RegExp) => text.match(new RegExp(pattern.source, pattern.flags + 'g'))?.length ?? 0;

/** Each stage appends its name to stages.log (not a dep, not an out): the log of what ran. */
const CHAIN_YAML = `stages:
  a:
    cmd: cat in_a.txt > a.txt && echo a >> stages.log
    deps: [in_a.txt]
    outs: [a.txt]
  b:
    cmd: cat a.txt in_b.txt > b.txt && echo b >> stages.log
    deps: [a.txt, in_b.txt]
    outs: [b.txt]
  c:
    cmd: cat b.txt > c.txt && echo c >> stages.log
    deps: [b.txt]
    outs: [c.txt]
`;
const chain = () => project({ 'pipewright.yaml': CHAIN_YAML, 'in_a.txt': 'a1\n', 'in_b.txt': 'b1\n' });

/** Watchers a failed test left running: they would keep the test file from ending. */
const started: { exitCode: number | null; signalCode: NodeJS.Signals | null; kill(signal: NodeJS.Signals): boolean }[] = [];
after(() => started.filter((c) => c.exitCode === null && c.signalCode === null).forEach((c) => c.kill('SIGKILL')));

/** The CLI's `run --watch`, with a way to wait for its nth "Watching …" line (one after each run). */
function startWatching(p: TestProject, ...args: string[]) {
  const run = p.start(['run', '--watch', ...args]);
  started.push(run.child);
  const watching = async (n: number) => {
    try {
      await waitFor(() => count(run.output(), /^Watching /m) >= n, `"Watching" line #${n}`);
    } catch (err) {
      throw new Error(`${(err as Error).message}; the output:\n${run.output()}`);
    }
  };
  return { ...run, watching };
}

/** Like an editor's atomic save: written aside, then renamed over the file. */
function saveAtomically(p: TestProject, path: string, text: string): void {
  writeFileSync(p.path(`${path}.swp`), text);
  renameSync(p.path(`${path}.swp`), p.path(path));
}

describe('pipewright run --watch', () => {
  it('reruns only the changed dep\'s stage and its downstream; a burst of saves makes one run; the lock is free between runs', async () => {
    const p = chain();
    const w = startWatching(p);
    try {
      await w.watching(1);
      assert.equal(p.read('stages.log'), 'a\nb\nc\n');
      assert.match(w.output(), /Watching 3 files for changes; press Ctrl-C to stop/); // pipewright.yaml, in_a.txt, in_b.txt: no outs
      assert.equal(p.exists('.pipewright/run.lock'), false, 'the workspace lock is released between runs');
      const other = await p.run('run');
      assert.equal(other.code, 0, `a plain run between watch runs is not locked out: ${other.stderr}`);

      saveAtomically(p, 'in_b.txt', 'b2\n');
      await w.watching(2);
      const second = w.output().split(/^Changed: /m)[1]!;
      assert.match(second, /^in_b\.txt\n/);
      assert.match(second, /= a up to date/);
      assert.match(second, /▶ b \(dep in_b\.txt modified\)/);
      assert.match(second, /▶ c \(dep b\.txt modified\)/);
      assert.match(second, /2 ran, 1 up to date/);
      assert.equal(p.read('stages.log'), 'a\nb\nc\nb\nc\n');
      assert.equal(p.read('c.txt'), 'a1\nb2\n');

      for (let i = 1; i <= 5; i++) {
        writeFileSync(p.path('in_a.txt'), `a-burst-${i}\n`);
        await pause(40);
      }
      await w.watching(3);
      assert.equal(count(w.output(), /^Running /m), 3, `five quick saves make one run:\n${w.output()}`);
      assert.equal(count(w.output(), /^Changed: in_a\.txt$/m), 1);
      assert.equal(p.read('stages.log'), 'a\nb\nc\nb\nc\na\nb\nc\n');
      assert.equal(p.read('c.txt'), 'a-burst-5\nb2\n');
      assert.equal(w.child.exitCode, null);
    } finally {
      w.child.kill('SIGINT');
      await w.done;
    }
  });

  it('a folder dep is watched with all it holds, except the outs a run writes into it', async () => {
    const p = project({
      'pipewright.yaml': `stages:
  gen:
    cmd: cat in.txt > data/gen.txt
    deps: [in.txt]
    outs: [data/gen.txt]
  use:
    cmd: cat data/*.txt > all.txt
    deps: [data]
    outs: [all.txt]
`,
      'in.txt': 'gen1\n',
      'data/raw.txt': 'raw1\n',
      'data/more/deep.txt': 'deep1\n',
    });
    const w = startWatching(p);
    try {
      await w.watching(1);
      assert.match(w.output(), /Watching 2 files and 1 folder for changes/);
      assert.equal(count(w.output(), /^Running /m), 1, `writing data/gen.txt did not set off another run:\n${w.output()}`);
      assert.equal(p.read('all.txt'), 'gen1\nraw1\n');

      writeFileSync(p.path('data/raw.txt'), 'raw2\n');
      await w.watching(2);
      assert.match(w.output(), /^Changed: data\/raw\.txt$/m);
      assert.match(w.output(), /= gen up to date/);
      assert.equal(p.read('all.txt'), 'gen1\nraw2\n');

      writeFileSync(p.path('data/more/deep.txt'), 'deep2\n');
      await w.watching(3);
      assert.match(w.output(), /^Changed: data\/more\/deep\.txt$/m);
      assert.equal(count(w.output(), /^Running /m), 3);
    } finally {
      w.child.kill('SIGINT');
      await w.done;
    }
  });

  it('dvc.yaml: a save of params.yaml reruns the stage whose param changed, not the other', async () => {
    const p = project({
      'params.yaml': 'one: {n: 1}\ntwo: {n: 1}\n',
      'dvc.yaml': `stages:
  one:
    cmd: echo \${one.n} > one.txt
    params: [one.n]
    outs: [one.txt]
  two:
    cmd: cat one.txt > two.txt && echo \${two.n} >> two.txt
    deps: [one.txt]
    params: [two.n]
    outs: [two.txt]
`,
    });
    const w = startWatching(p);
    try {
      await w.watching(1);
      assert.match(w.output(), /Watching 2 files for changes/); // dvc.yaml, params.yaml
      writeFileSync(p.path('params.yaml'), 'one: {n: 1}\ntwo: {n: 2}\n');
      await w.watching(2);
      assert.match(w.output(), /^Changed: params\.yaml$/m);
      assert.match(w.output(), /= one up to date/);
      assert.match(w.output(), /▶ two \(param two\.n changed 1 → 2\)/);
      assert.equal(p.read('two.txt'), '1\n2\n');
    } finally {
      w.child.kill('SIGINT');
      await w.done;
    }
  });

  it('a pipeline file broken by a save is reported and watched; once fixed, saves run again', async () => {
    const p = chain();
    const w = startWatching(p);
    try {
      await w.watching(1);
      writeFileSync(p.path('pipewright.yaml'), CHAIN_YAML + '  d: [\n');
      await waitFor(() => /error: pipewright\.yaml:\d+:\d+: invalid YAML/.test(w.output()), `the YAML error; output:\n${w.output()}`);
      await w.watching(2);
      assert.equal(w.child.exitCode, null, 'still watching');
      assert.equal(count(w.output(), /^Running /m), 1, 'nothing runs from a broken pipeline');

      // A save of a dep while the pipeline is broken runs nothing either.
      writeFileSync(p.path('in_a.txt'), 'a2\n');
      await w.watching(3);
      assert.equal(count(w.output(), /^Running /m), 1);

      writeFileSync(p.path('pipewright.yaml'), CHAIN_YAML);
      await w.watching(4);
      assert.equal(count(w.output(), /^Running /m), 2, `the fix runs:\n${w.output()}`);
      assert.equal(p.read('c.txt'), 'a2\nb1\n', 'with the dep saved while it was broken');

      writeFileSync(p.path('in_b.txt'), 'b3\n');
      await w.watching(5);
      assert.equal(count(w.output(), /^Running /m), 3);
      assert.equal(p.read('c.txt'), 'a2\nb3\n');
    } finally {
      w.child.kill('SIGINT');
      await w.done;
    }
  });

  it('saves during a run queue exactly one more run, which starts when the run ends', async () => {
    // The stage holds until the test drops a `go` file, so the saves surely come while it runs.
    const p = project({
      'slow.cjs': `const fs = require('fs');
fs.appendFileSync('started.log', 'run\\n');
const until = Date.now() + 20000;
(function wait() {
  if (fs.existsSync('go')) { fs.rmSync('go'); fs.copyFileSync('in.txt', 'slow.txt'); return; }
  if (Date.now() > until) { console.error('no go'); process.exit(3); }
  setTimeout(wait, 20);
})();
`,
      'pipewright.yaml': 'stages:\n  slow:\n    cmd: node slow.cjs\n    deps: [in.txt, slow.cjs]\n    outs: [slow.txt]\n',
      'in.txt': '1\n',
      go: '',
    });
    const w = startWatching(p);
    const runsStarted = () => (p.exists('started.log') ? count(p.read('started.log'), /run/) : 0);
    try {
      await w.watching(1);
      writeFileSync(p.path('in.txt'), '2\n');
      await waitFor(() => runsStarted() === 2, 'the second run');
      for (const text of ['3\n', '4\n', '5\n']) {
        await pause(150);
        writeFileSync(p.path('in.txt'), text);
      }
      await pause(1000); // well past the debounce: the saves are seen while the run still holds
      writeFileSync(p.path('go'), '');
      await waitFor(() => runsStarted() === 3, `the queued run; output:\n${w.output()}`);
      assert.equal(count(w.output(), /^Watching /m), 1, 'the queued run follows at once, no waiting between');
      writeFileSync(p.path('go'), '');
      await w.watching(2);
      assert.equal(runsStarted(), 3, 'one more run, not one per save');
      assert.equal(p.read('slow.txt'), '5\n');
      assert.equal(count(w.output(), /^Running /m), 3);
      assert.doesNotMatch(w.output(), /another pipewright run/);
    } finally {
      w.child.kill('SIGINT');
      await w.done;
    }
  });

  it('Ctrl-C while waiting exits 0; while a run is going it cancels the run and exits 130; no lock is left', async () => {
    const idle = chain();
    let w = startWatching(idle);
    await w.watching(1);
    w.child.kill('SIGINT');
    let result = await w.done;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Stopped watching/);
    assert.equal(idle.exists('.pipewright/run.lock'), false);

    const busy = project({
      'pipewright.yaml': 'stages:\n  slow:\n    cmd: echo > started && sleep 30\n    outs: [never.txt]\n',
    });
    w = startWatching(busy);
    await waitFor(() => busy.exists('started'), 'the stage to start');
    w.child.kill('SIGINT');
    result = await w.done;
    assert.equal(result.code, 130, result.stdout + result.stderr);
    assert.match(result.stdout, /- slow cancelled/);
    assert.equal(busy.exists('.pipewright/run.lock'), false);
  });

  it('--force applies to the first run only: a save then reruns only what it made stale', async () => {
    const p = chain();
    assert.equal((await p.run('run')).code, 0);
    assert.equal(p.read('stages.log'), 'a\nb\nc\n');
    const w = startWatching(p, '--force');
    try {
      await w.watching(1);
      assert.equal(p.read('stages.log'), 'a\nb\nc\na\nb\nc\n', 'the first run is forced: all three ran though up to date');
      assert.match(w.output(), /3 ran/);
      writeFileSync(p.path('in_b.txt'), 'b2\n');
      await w.watching(2);
      const second = w.output().split(/^Changed: /m)[1]!;
      assert.match(second, /= a up to date/, `the rerun is not forced:\n${second}`);
      assert.match(second, /2 ran, 1 up to date/);
      assert.equal(p.read('stages.log'), 'a\nb\nc\na\nb\nc\nb\nc\n');
    } finally {
      w.child.kill('SIGINT');
      await w.done;
    }
  });

  it('a second Ctrl-C during a run quits at once, not after the stage has been stopped', async () => {
    // The stage ignores SIGTERM: the first Ctrl-C's cancel has to wait for the SIGKILL after the
    // grace period (CANCEL_GRACE_MS, 2 s); the second must not. Two lines: a command of its own
    // process, whose end the run waits for (a one-line command in a pooled shell is let go at once).
    const p = project({
      'pipewright.yaml': "stages:\n  stubborn:\n    cmd: |\n      trap '' TERM\n      echo $$ > started; sleep 30\n    outs: [never.txt]\n",
    });
    const w = startWatching(p);
    try {
      await waitFor(() => p.exists('started') && p.read('started').endsWith('\n'), 'the stage to start');
      w.child.kill('SIGINT');
      await waitFor(() => /Cancelling: stopping running stages \(Ctrl-C again to quit at once\)/.test(w.output()), 'the first Ctrl-C to be taken');
      const second = Date.now();
      w.child.kill('SIGINT');
      const result = await w.done;
      const took = Date.now() - second;
      assert.equal(result.code, 130, result.stdout + result.stderr);
      assert.ok(took < 1_000, `quit ${took} ms after the second Ctrl-C`);
      assert.doesNotMatch(result.stdout, /stubborn cancelled/, `quit without waiting for the run to end:\n${result.stdout}${result.stderr}`);
    } finally {
      // The stage outlives a quit at once: it is ended here, with its group.
      const pid = p.exists('started') ? Number(p.read('started')) : 0;
      if (pid) try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
      w.child.kill('SIGKILL');
    }
  });

  it('--watch with --name is refused: every run is recorded under a name of its own', async () => {
    const result = await chain().run('run', '--watch', '-n', 'mine');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /'-w, --watch' cannot be used with option '-n, --name/);
  });

  it('a TS pipeline: an edit of a module a stage imports reruns it; an edit of pipewright.ts is loaded afresh', async () => {
    const p = project({
      'helper.ts': `export const greeting = 'hello';\n`,
      'pipewright.ts': `import { writeFileSync } from 'node:fs';
import { pipeline, stage } from 'pipewright';
import { greeting } from './helper.ts';
const greet = stage('greet', { outs: { out: 'greet.txt' }, run: ({ outs }) => writeFileSync(outs.out, greeting + ' 1') });
export default pipeline('p', [greet]);
`,
    });
    const w = startWatching(p);
    try {
      await w.watching(1);
      assert.equal(p.read('greet.txt'), 'hello 1');
      assert.match(w.output(), /Watching 2 files/); // pipewright.ts, helper.ts

      writeFileSync(p.path('helper.ts'), `export const greeting = 'hi';\n`);
      await w.watching(2);
      assert.equal(p.read('greet.txt'), 'hi 1');

      // A new stage in the edited file: the watcher's process must load the file again, not
      // only the stage threads (which start afresh each run anyway).
      writeFileSync(p.path('pipewright.ts'), p.read('pipewright.ts')
        .replace("greeting + ' 1'", "greeting + ' 2'")
        .replace("export default pipeline('p', [greet]);", `const shout = stage('shout', { inputs: { g: greet.outs.out }, outs: { out: 'shout.txt' },
  run: ({ outs, inputs }) => writeFileSync(outs.out, readFileSync(inputs.g, 'utf8').toUpperCase()) });
export default pipeline('p', [greet, shout]);`)
        .replace("import { writeFileSync } from 'node:fs';", "import { readFileSync, writeFileSync } from 'node:fs';"));
      await w.watching(3);
      assert.equal(p.read('greet.txt'), 'hi 2', `the edited pipeline ran:\n${w.output()}`);
      assert.equal(p.read('shout.txt'), 'HI 2');
      assert.doesNotMatch(w.output(), /failed/);
    } finally {
      w.child.kill('SIGINT');
      await w.done;
    }
  });
});
