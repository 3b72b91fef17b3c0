/**
 * The core install is light, and each optional feature says which `npm i` it needs. A new project gets
 * `npm pack`'s tarball and exactly the packages npm would install with it (its dependencies and the `zod`
 * peer, and their dependencies, as package-lock.json resolves them; the optional peers left out): that
 * install weighs at most 60 MB, runs a pipeline, and S3 remotes, workers, `serve` and plots each stop with
 * exit 2 and one line naming their packages, never a stack trace.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO } from '../helpers/project.js';

const temp = mkdtempSync(join(tmpdir(), 'pw-light-'));
after(() => rmSync(temp, { recursive: true, force: true }));

interface LockEntry { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; peerDependencies?: Record<string, string>; peerDependenciesMeta?: Record<string, { optional?: boolean }> }

/** The lock paths npm installs for these root packages: each dependency found as Node resolves it, up the folders. */
function closure(roots: readonly string[]): Set<string> {
  const packages = (JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> }).packages;
  const find = (from: string, name: string): string | undefined => {
    for (let base = from; ; base = base.includes('/node_modules/') ? base.slice(0, base.lastIndexOf('/node_modules/')) : '') {
      const path = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (packages[path]) return path;
      if (!base) return undefined;
    }
  };
  const seen = new Set<string>();
  const stack = roots.map((r) => find('', r)!);
  while (stack.length) {
    const path = stack.pop()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const entry = packages[path]!;
    const optionalPeers = new Set(Object.entries(entry.peerDependenciesMeta ?? {}).filter(([, m]) => m.optional).map(([n]) => n));
    for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies })) {
      if (optionalPeers.has(name)) continue;
      const found = find(path, name);
      if (found) stack.push(found);
    }
  }
  return seen;
}

/** Bytes of a package's own files (its nested node_modules are packages of their own in the closure). */
function bytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isSymbolicLink() || entry.name === 'node_modules' && entry.isDirectory()) continue;
    total += entry.isDirectory() ? bytes(join(dir, entry.name)) : lstatSync(join(dir, entry.name)).size;
  }
  return total;
}

let app: string;
let megabytes = 0;
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [join(app, 'node_modules/pipewright/dist/bin/pipewright.cjs'), ...args], { cwd: app, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout + r.stderr };
};

describe('a light install', () => {
  before(() => {
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', temp], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as { filename: string }[];
    app = join(temp, 'app');
    mkdirSync(join(app, 'node_modules'), { recursive: true });
    execFileSync('tar', ['xzf', join(temp, packed[0]!.filename), '-C', temp]);
    execFileSync('mv', [join(temp, 'package'), join(app, 'node_modules/pipewright')]);
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules/pipewright/package.json'), 'utf8')) as { dependencies: Record<string, string>; peerDependencies: Record<string, string>; peerDependenciesMeta: Record<string, { optional?: boolean }> };
    const required = [...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies).filter((p) => !manifest.peerDependenciesMeta[p]?.optional)];
    // Optional dependencies of other platforms (fsevents, other esbuild binaries) are in the lock, not installed.
    const installed = new Set([...closure(required)].filter((path) => existsSync(join(REPO, path))));
    megabytes = (bytes(join(app, 'node_modules/pipewright')) + [...installed].reduce((n, path) => n + bytes(join(REPO, path)), 0)) / 1e6;
    // Top-level packages linked in; nested ones come with them (their real folders).
    for (const path of installed) {
      if (path.indexOf('node_modules/', 1) > 0) continue;
      const name = path.slice('node_modules/'.length);
      mkdirSync(dirname(join(app, 'node_modules', name)), { recursive: true });
      symlinkSync(join(REPO, path), join(app, 'node_modules', name));
    }
    writeFileSync(join(app, 'package.json'), '{ "type": "module", "private": true }\n');
  });

  it(`is at most 60 MB of node_modules, and runs a pipeline`, () => {
    console.log(`core install: ${megabytes.toFixed(1)} MB`);
    assert.ok(megabytes <= 60, `${megabytes.toFixed(1)} MB`);
    assert.ok(megabytes > 5, 'the measure counts the packages');
    const project = join(app, 'numbers');
    assert.equal(cli('init', '--yaml', 'numbers').code, 0);
    const run = spawnSync(process.execPath, [join(app, 'node_modules/pipewright/dist/bin/pipewright.cjs'), 'run'], { cwd: project, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /2 ran/);
  });

  it('the dashboard is part of the core: pipewright ui serves its page', async () => {
    writeFileSync(join(app, 'pipewright.yaml'), 'stages:\n  a:\n    cmd: echo a > a.txt\n    outs: [a.txt]\n');
    const child = spawn(process.execPath, [join(app, 'node_modules/pipewright/dist/bin/pipewright.cjs'), 'ui', '--port', '0'], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (out += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (out += t));
    try {
      for (let i = 0; i < 200 && !/http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.test(out); i++) await new Promise((r) => setTimeout(r, 50));
      const url = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out)?.[1];
      assert.ok(url, out);
      const entry = await fetch(url, { redirect: 'manual' });
      const cookie = entry.headers.get('set-cookie')?.split(';')[0];
      assert.ok(cookie, `the token gives a session (${entry.status})`);
      const page = await fetch(new URL('/', url), { headers: { cookie } });
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<html/i);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('each optional feature without its package: exit 2, one line naming the npm i, no stack trace', () => {
    writeFileSync(join(app, 'pipewright.yaml'), 'stages:\n  a:\n    cmd: >-\n      echo a > a.txt && echo \'[{"x": 1, "y": 2}]\' > p.json\n    outs: [a.txt]\n    plots: [p.json]\n');
    writeFileSync(join(app, 'echo.flow.ts'), "import { cell, flow } from 'pipewright';\nexport default flow('echo', [cell('id', { run: (x: unknown) => x })]);\n");
    writeFileSync(join(app, 'pipewright.config.yaml'), 'name: app\n');
    assert.equal(cli('remote', 'add', 's3', 's3://bucket/prefix', '--default').code, 0);
    const check = (args: string[], message: RegExp) => {
      const r = cli(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.out}`);
      assert.match(r.out, message, args.join(' '));
      assert.doesNotMatch(r.out, /\n\s+at /, `${args.join(' ')}: no stack trace`);
    };
    check(['push'], /an S3 remote needs @aws-sdk\/client-s3, which is not installed\n {2}hint: npm i @aws-sdk\/client-s3/);
    assert.equal(cli('remote', 'remove', 's3').code, 0);
    check(['serve', 'echo.flow.ts', '--port', '0'], /pipewright serve needs fastify, which is not installed\n {2}hint: npm i fastify/);
    check(['worker', '--redis', 'redis://127.0.0.1:9'], /workers on Redis .* needs bullmq, ioredis, which are not installed\n {2}hint: npm i bullmq ioredis/);
    assert.equal(cli('run').code, 0);
    const plots = cli('plots', '-o', 'out');
    assert.equal(plots.code, 2, plots.out);
    assert.match(plots.out, /plots rendered to SVG or PNG needs? vega, vega-lite, @resvg\/resvg-js, dejavu-fonts-ttf, which are not installed\n {2}hint: npm i vega vega-lite @resvg\/resvg-js dejavu-fonts-ttf/);
  });
});
