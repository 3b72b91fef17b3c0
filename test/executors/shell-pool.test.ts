import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ShellPool } from '../../src/executors/shell-pool.js';
import { descendants, waitFor } from '../helpers/project.js';

const dir = mkdtempSync(join(tmpdir(), 'pw-shells-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const never = new AbortController().signal;

describe('the shell pool', () => {
  it('runs commands in their folder with their output in their log, and reports exit codes', async () => {
    const pool = new ShellPool();
    try {
      await pool.run('pwd; echo out; echo err >&2; export LEAK=1', dir, join(dir, 'a.log'), never);
      assert.equal(readFileSync(join(dir, 'a.log'), 'utf8'), `${dir}\nout\nerr\n`);
      // Each command runs in a subshell: nothing it sets reaches the next one.
      await pool.run('echo "leak=${LEAK:-none} $__pw_unset"', dir, join(dir, 'b.log'), never);
      assert.equal(readFileSync(join(dir, 'b.log'), 'utf8'), 'leak=none \n');
      await assert.rejects(pool.run('exit 3', dir, join(dir, 'c.log'), never), /command exited with code 3/);
      await assert.rejects(pool.run('kill -9 $(sh -c \'echo $PPID\')', dir, join(dir, 'd.log'), never), /killed by signal 9/);
      // Tabs inside a command are the command's own.
      await pool.run("printf 'a\\tb\\n'", dir, join(dir, 'e.log'), never);
      assert.equal(readFileSync(join(dir, 'e.log'), 'utf8'), 'a\tb\n');
      assert.equal(ShellPool.accepts('echo a\necho b', dir, 'x.log'), false, 'a command with a newline goes to spawn');
    } finally {
      pool.close();
    }
  });

  it('a silent command leaves no log, a cancelled one keeps what it printed, and closing leaves nothing of the pool', async () => {
    const logs = join(dir, 'logs');
    mkdirSync(logs);
    const pool = new ShellPool();
    try {
      await pool.run('true', dir, join(logs, 'quiet.log'), never);
      assert.ok(!existsSync(join(logs, 'quiet.log')), 'no output, no log file');
      await pool.run('echo loud', dir, join(logs, 'loud.log'), never);
      assert.equal(readFileSync(join(logs, 'loud.log'), 'utf8'), 'loud\n');
      await assert.rejects(pool.run('exit 4', dir, join(logs, 'failed-quietly.log'), never), /code 4/);
      assert.ok(!existsSync(join(logs, 'failed-quietly.log')));

      const controller = new AbortController();
      const job = pool.run('echo partial; sleep 30', dir, join(logs, 'cut.log'), controller.signal);
      const printed = () => readdirSync(logs).some((f) => f.startsWith('.') && statSync(join(logs, f)).size > 0);
      await waitFor(printed, 'the command to print');
      controller.abort(new Error('stop'));
      await assert.rejects(job, { name: 'CancelledError' });
      assert.equal(readFileSync(join(logs, 'cut.log'), 'utf8'), 'partial\n');
    } finally {
      pool.close();
    }
    assert.deepEqual(readdirSync(logs).sort(), ['cut.log', 'loud.log']);

    // What a run killed with -9 leaves: scratch files of shells that are gone. A live shell's stays.
    const gone = spawnSync('true').pid!;
    writeFileSync(join(logs, `.shell-${gone}.out`), 'old output');
    writeFileSync(join(logs, `.shell-${process.pid}.out`), '');
    ShellPool.removeLeftovers(logs);
    assert.deepEqual(readdirSync(logs).sort(), [`.shell-${process.pid}.out`, 'cut.log', 'loud.log']);
  });

  it('cancelling kills the command and what it started; a shell killed from outside fails its job only', async () => {
    const pool = new ShellPool();
    try {
      const controller = new AbortController();
      const pidFile = join(dir, 'sleeper.pid');
      const job = pool.run(`sleep 30 & echo $! > ${pidFile}; wait`, dir, join(dir, 'f.log'), controller.signal);
      await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', 'the background sleeper');
      const sleeper = Number(readFileSync(pidFile, 'utf8'));
      controller.abort(new Error('stop'));
      await assert.rejects(job, { name: 'CancelledError' });
      await waitFor(() => !alive(sleeper), 'the sleeper to be killed');

      const own = descendants(process.pid);
      const running = pool.run('sleep 30', dir, join(dir, 'g.log'), never);
      await waitFor(() => descendants(process.pid).some((p) => !own.includes(p)), 'the shell to start');
      for (const pid of descendants(process.pid).filter((p) => !own.includes(p))) process.kill(pid, 'SIGKILL');
      await assert.rejects(running, /killed by signal 9|the shell running the command died/);
      writeFileSync(join(dir, 'h.log'), '');
      await pool.run('echo again', dir, join(dir, 'h.log'), never);
      assert.equal(readFileSync(join(dir, 'h.log'), 'utf8'), 'again\n', 'the next command gets a working shell');
    } finally {
      pool.close();
    }
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
