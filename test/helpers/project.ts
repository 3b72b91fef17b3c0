/**
 * Test rig: a temp project folder, files written into it, and the real `pipewright` CLI run in it
 * with a pinned environment (no colours, no CI variables), as a user would run it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const CLI = join(REPO, 'dist/bin/pipewright.cjs');

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export class TestProject {
  readonly dir: string;

  constructor(files: Record<string, string> = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'pw-test-'));
    // A user's pipewright.ts imports 'pipewright' and 'zod'; give it both, as an install would.
    mkdirSync(join(this.dir, 'node_modules'));
    symlinkSync(REPO, join(this.dir, 'node_modules/pipewright'));
    symlinkSync(join(REPO, 'node_modules/zod'), join(this.dir, 'node_modules/zod'));
    this.write(files);
  }

  write(files: Record<string, string>): void {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(this.dir, path)), { recursive: true });
      writeFileSync(join(this.dir, path), text);
    }
  }

  read(path: string): string {
    return readFileSync(join(this.dir, path), 'utf8');
  }

  exists(path: string): boolean {
    return existsSync(join(this.dir, path));
  }

  path(path: string): string {
    return join(this.dir, path);
  }

  /** Starts the CLI in the project; the caller may signal it before awaiting `done`. */
  start(args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<CliResult>; output: () => string } {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...extraEnv };
    for (const key of Object.keys(env)) if (key === 'CI' || key.startsWith('GITHUB_') || key.startsWith('NODE_TEST')) delete env[key];
    const child = spawn(process.execPath, [CLI, ...args], { cwd: this.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr!.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    const done = new Promise<CliResult>((res) => child.on('close', (code, signal) => res({ code, signal, stdout, stderr })));
    return { child, done, output: () => stdout + stderr };
  }

  run(...args: string[]): Promise<CliResult> {
    return this.start(args).done;
  }

  /** Runs the CLI with these environment variables added. */
  runWithEnv(env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> {
    return this.start(args, env).done;
  }

  remove(): void {
    // A process the test stopped may still be leaving its last file: try again shortly.
    rmSync(this.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
}

/** Waits until `check` holds, polling; fails after `timeoutMs`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Stage code for a pair of stages that can only both finish if they run at the same time: each
 * writes its own signal file, then waits for the other's (failing after 15 s rather than hanging).
 */
export function rendezvousScript(): string {
  return `
const fs = require('fs');
const [mine, theirs] = process.argv.slice(-2);
fs.writeFileSync(mine, 'here');
const until = Date.now() + 15000;
(function wait() {
  if (fs.existsSync(theirs)) { fs.writeFileSync(mine + '.done', 'met'); return; }
  if (Date.now() > until) { console.error('never met ' + theirs); process.exit(3); }
  setTimeout(wait, 20);
})();
`;
}

/** Every live descendant of a process, from /proc (Linux). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    for (const child of children.get(queue.pop()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** Like pulling the plug: SIGKILL to a process and everything it started, at once. */
export function killTree(pid: number): void {
  const all = [pid, ...descendants(pid)];
  for (const p of all) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** `project(files)` for one test file: every project it makes is removed after the file's tests. */
export function useProjects(): (files?: Record<string, string>) => TestProject {
  const made: TestProject[] = [];
  after(() => made.forEach((p) => p.remove()));
  return (files = {}) => {
    const p = new TestProject(files);
    made.push(p);
    return p;
  };
}
