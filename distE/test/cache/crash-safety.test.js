import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { killTree, useProjects, waitFor } from '../helpers/project.js';
const project = useProjects();
/** Writes its out in five pieces with pauses, so a kill can land mid-write. */
const step = `
const fs = require('fs');
const [name, input, out] = process.argv.slice(2);
fs.appendFileSync('executions.log', name + '\\n');
const data = (input === '-' ? '' : fs.readFileSync(input, 'utf8')) + name.repeat(2000);
const fd = fs.openSync(out, 'w');
let i = 0;
const piece = Math.ceil(data.length / 5);
(function next() {
  if (i >= 5) { fs.closeSync(fd); return; }
  fs.writeSync(fd, data.slice(i * piece, (i + 1) * piece));
  i++;
  setTimeout(next, 40);
})();
`;
const chain = ['a', 'b', 'c', 'd', 'e', 'f'];
const loose = ['g', 'h', 'i', 'j', 'k', 'l'];
const pipelineYaml = `stages:\n${chain.map((s, i) => `  ${s}:
    cmd: node step.cjs ${s} ${i ? `out/${chain[i - 1]}.txt` : '-'} out/${s}.txt
    deps: [step.cjs${i ? `, out/${chain[i - 1]}.txt` : ''}]
    outs: [out/${s}.txt]
`).join('')}${loose.map((s) => `  ${s}:
    cmd: node step.cjs ${s} - out/${s}.txt
    deps: [step.cjs]
    outs: [out/${s}.txt]
`).join('')}`;
const expected = (stage) => {
    const i = chain.indexOf(stage);
    return i < 0 ? stage.repeat(2000) : chain.slice(0, i + 1).map((s) => s.repeat(2000)).join('');
};
function lockedStages(p) {
    if (!p.exists('pipewright.lock'))
        return new Set();
    const lock = parse(p.read('pipewright.lock'));
    return new Set(Object.keys(lock.stages));
}
function executionsSince(p, marker) {
    const log = p.exists('executions.log') ? p.read('executions.log') : '';
    return log.slice(log.lastIndexOf(marker) + marker.length).trim().split('\n').filter(Boolean);
}
describe('crash safety', () => {
    it('kill -9 at random instants: the next run trusts nothing half-written and repeats nothing finished', async () => {
        const p = project({ 'step.cjs': step, 'pipewright.yaml': pipelineYaml });
        // A fixed seed keeps the test repeatable while still spreading the kills over the run.
        let seed = 12345;
        const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
        let kills = 0;
        for (let round = 0; round < 12; round++) {
            const finished = lockedStages(p);
            const marker = `--- round ${round}\n`;
            p.write({ 'executions.log': (p.exists('executions.log') ? p.read('executions.log') : '') + marker });
            const run = p.start(['run', '-j', '2']);
            const delay = 100 + random() * 700;
            const timer = setTimeout(() => killTree(run.child.pid), delay);
            const result = await run.done;
            clearTimeout(timer);
            if (result.signal === 'SIGKILL')
                kills++;
            else
                assert.equal(result.code, 0, result.stdout + result.stderr);
            const again = executionsSince(p, marker).filter((s) => finished.has(s));
            assert.deepEqual(again, [], `round ${round}: stages finished in an earlier run ran again`);
        }
        assert.ok(kills >= 6, `only ${kills} of 12 runs were killed mid-way`);
        const final = await p.run('run', '-j', '2');
        assert.equal(final.code, 0, final.stdout + final.stderr);
        for (const stage of [...chain, ...loose])
            assert.equal(p.read(`out/${stage}.txt`), expected(stage), `out of ${stage}`);
        const status = await p.run('status');
        assert.match(status.stdout, /Everything is up to date\./);
    });
    it('a TS stage killed mid-write leaves no out in the workspace: outs are written aside', async () => {
        const p = project({
            'pipewright.ts': `
import { writeFileSync } from 'node:fs';
import { pipeline, stage } from 'pipewright';
const slow = stage('slow', { outs: { data: 'data.txt' }, run: async ({ outs, root }) => {
  writeFileSync(outs.data, 'half');
  writeFileSync(root + '/half-written', '');
  await new Promise((r) => setTimeout(r, 60000));
} });
export default pipeline('slow', [slow]);
`,
        });
        const run = p.start(['run']);
        await waitFor(() => p.exists('half-written'), 'the stage to write half its out');
        killTree(run.child.pid);
        await run.done;
        assert.equal(p.exists('data.txt'), false);
    });
});
describe('one writer', () => {
    const slow = {
        'pipewright.yaml': 'stages:\n  slow:\n    cmd: touch started && sleep 3 && echo done > out.txt\n    outs: [out.txt]\n',
    };
    it('refuses a second run while one is working, naming it', async () => {
        const p = project(slow);
        const first = p.start(['run']);
        await waitFor(() => p.exists('started'), 'the first run to start its stage');
        const second = await p.run('run');
        assert.equal(second.code, 2);
        assert.match(second.stderr, new RegExp(`another pipewright run is working in this folder \\(pid ${first.child.pid}, \`pipewright run\``));
        assert.match(second.stderr, /hint: wait for it to finish, or stop it/);
        assert.equal((await first.done).code, 0);
        assert.equal(p.read('out.txt'), 'done\n');
    });
    it('takes over the lock of a run that died', async () => {
        const p = project(slow);
        const first = p.start(['run']);
        await waitFor(() => p.exists('started'), 'the first run to start its stage');
        killTree(first.child.pid);
        await first.done;
        assert.ok(p.exists('.pipewright/run.lock'));
        const second = await p.run('run');
        assert.equal(second.code, 0, second.stderr);
        assert.match(second.stdout, new RegExp(`warning: taking over the lock of pipewright run pid ${first.child.pid}, which is no longer running`));
        assert.equal(p.exists('.pipewright/run.lock'), false, 'released at the end');
    });
});
//# sourceMappingURL=crash-safety.test.js.map