/**
 * The documentation site: `scripts/docs-build.mjs` (what `npm run docs` runs after the build) makes the
 * command pages from `--help` and the API reference from the types, and VitePress builds the site;
 * every internal link and anchor of the built HTML resolves; the command pages are the CLI's `--help`
 * of now; and the shell samples of the getting-started page run, as written, in an empty folder, and
 * print what the page says they print.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLI, REPO } from '../helpers/project.js';
import { checkLinks, linksOf } from './link-check.js';

const made: string[] = [];
after(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** The shell samples of a page: each ```sh block after `<!-- sample: NAME -->`, and the ```text block after `<!-- output: NAME -->`. */
export function samplesOf(markdown: string): { name: string; script: string; expected: string[] }[] {
  const blocks = new Map<string, { script?: string; expected?: string[] }>();
  for (const m of markdown.matchAll(/<!-- (sample|output): ([\w-]+) -->\n```(\w+)\n([\s\S]*?)\n```/g)) {
    const [, kind, name, , body] = m as unknown as [string, string, string, string, string];
    const entry = blocks.get(name) ?? {};
    if (kind === 'sample') entry.script = body;
    else entry.expected = body.split('\n').filter((line) => line.trim() !== '');
    blocks.set(name, entry);
  }
  return [...blocks].map(([name, { script, expected }]) => {
    assert.ok(script, `output block "${name}" has no sample block`);
    return { name, script, expected: expected ?? [] };
  });
}

const squeeze = (text: string): string => text.replace(/\x1b\[[0-9;]*m/g, '').replace(/[ \t]+/g, ' ').trim();

/**
 * A folder on PATH in which `pipewright` and `npx pipewright` are this build's CLI, and `npm install`
 * (no arguments) gives the project what its package.json names (pipewright, zod, @types/node) by linking
 * them from this repository, as test/cli/init.test.ts does: an install without a registry.
 */
function shims(): string {
  const bin = tempDir('pw-docs-bin-');
  const node = JSON.stringify(process.execPath);
  const cli = JSON.stringify(CLI);
  const write = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  write('pipewright', `exec ${node} ${cli} "$@"`);
  write('npx', `if [ "$1" = pipewright ]; then shift; exec ${node} ${cli} "$@"; fi\necho "test shim: npx runs pipewright only, not $*" >&2; exit 127`);
  const repo = JSON.stringify(REPO);
  write(
    'npm',
    [
      `if [ "$*" != install ]; then echo "test shim: npm install only, not npm $*" >&2; exit 127; fi`,
      '[ -f package.json ] || { echo "npm install: no package.json here" >&2; exit 1; }',
      'mkdir -p node_modules/@types',
      `ln -s ${repo} node_modules/pipewright`,
      `ln -s ${repo}/node_modules/zod node_modules/zod`,
      `ln -s ${repo}/node_modules/@types/node node_modules/@types/node`,
      'echo "added 3 packages (linked from the pipewright repository)"',
    ].join('\n'),
  );
  return bin;
}

describe('the documentation site', () => {
  let site = '';
  let buildLog = '';
  let buildCode: number | null = null;

  before(async () => {
    site = tempDir('pw-docs-site-');
    const started = Date.now();
    const child = spawn(process.execPath, [join(REPO, 'scripts/docs-build.mjs'), '--out', site], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' } });
    child.stdout.on('data', (chunk: Buffer) => (buildLog += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (buildLog += chunk.toString()));
    buildCode = await new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    buildLog += `\n(built in ${((Date.now() - started) / 1000).toFixed(1)} s)`;
  }, { timeout: 300_000 });

  it('builds: a page for every markdown file, the command reference and the API reference', () => {
    assert.equal(buildCode, 0, buildLog);
    const pages = ['index', 'getting-started', 'install', 'dvc', 'cli', 'benchmarks', 'mutation-testing', 'mutation-survivors', 'design'];
    const concepts = ['stages', 'cache', 'sweeps', 'flows', 'remotes', 'workers', 'compile', 'dashboard'];
    for (const page of [...pages, ...concepts.map((c) => `concepts/${c}`)]) {
      assert.ok(existsSync(join(REPO, 'docs', `${page}.md`)), `docs/${page}.md`);
      assert.ok(existsSync(join(site, `${page}.html`)), `${page}.html built`);
    }
    for (const page of ['commands/index', 'commands/init', 'commands/run', 'commands/remote-add', 'commands/export-dvc', 'api/index', 'api/functions/stage', 'api/functions/pipeline']) {
      assert.ok(existsSync(join(site, `${page}.html`)), `${page}.html built`);
    }
  });

  it('has no broken internal link or anchor', () => {
    assert.equal(buildCode, 0, buildLog);
    const broken = checkLinks(site);
    assert.deepEqual(broken, [], broken.map((b) => `${b.page}: ${b.link}: ${b.reason}`).join('\n'));
    // The check saw the site's links: the sidebar's pages, the assets, anchors within pages.
    const home = readFileSync(join(site, 'index.html'), 'utf8');
    assert.ok(linksOf(home).some((l) => l.includes('/concepts/cache.html')), 'the sidebar links the concept pages');
  });

  it('the link check finds a missing page, a missing anchor and a missing asset', () => {
    const dir = tempDir('pw-docs-links-');
    mkdirSync(join(dir, 'guide'));
    writeFileSync(join(dir, 'guide/b.html'), '<h2 id="here">here</h2><a href="#here">ok</a><a href="#nowhere">bad</a>');
    writeFileSync(join(dir, 'a.html'), [
      '<a href="/guide/b.html#here">ok</a>',
      '<a href="guide/b#here">ok, a clean URL</a>',
      '<a href="https://example.org/x.html">another site, not followed</a>',
      '<a href="/guide/b.html#gone">bad anchor</a>',
      '<a href="/guide/c.html">bad page</a>',
      '<img src="./logo.png">',
      '<a href="../outside.html">above the site</a>',
    ].join('\n'));
    const broken = checkLinks(dir).map((b) => `${b.page} ${b.link}`).sort();
    assert.deepEqual(broken, ['a.html ../outside.html', 'a.html ./logo.png', 'a.html /guide/b.html#gone', 'a.html /guide/c.html', 'guide/b.html #nowhere']);
  });

  it("the command pages are the commands' --help of this build", () => {
    assert.equal(buildCode, 0, buildLog);
    for (const words of [['run'], ['init'], ['remote', 'add'], ['export', 'dvc']]) {
      const help = spawnSync(process.execPath, [CLI, ...words, '--help'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } }).stdout.trimEnd();
      const page = readFileSync(join(REPO, 'docs/commands', `${words.join('-')}.md`), 'utf8');
      assert.ok(page.includes(help), `docs/commands/${words.join('-')}.md holds pipewright ${words.join(' ')} --help`);
    }
    const listed = readdirSync(join(REPO, 'docs/commands')).filter((f) => f.endsWith('.md') && f !== 'index.md').length;
    assert.ok(listed >= 30, `a page per command and subcommand (${listed})`);
  });

  it("the README: at most 250 lines, the two commands at the top, and its links into docs/ resolve on the site's pages", () => {
    assert.equal(buildCode, 0, buildLog);
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    assert.ok(readme.split('\n').length - 1 <= 250, `README.md has ${readme.split('\n').length - 1} lines`);
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    assert.match(firstBlock, /^npm ci && npm run example$/m);
    assert.match(firstBlock, /^npm ci && npm test$/m);
    const links = [...readme.matchAll(/\]\(((?:docs\/)[^)\s]*)\)/g)].map((m) => m[1] as string);
    assert.ok(links.length >= 10, 'the README links into the site');
    for (const link of links) {
      const [file = '', anchor] = link.split('#');
      assert.ok(existsSync(join(REPO, file)), `README links ${link}: no file ${file}`);
      if (file.endsWith('.md')) {
        const html = join(site, file.replace(/^docs\//, '').replace(/\.md$/, '.html'));
        assert.ok(existsSync(html), `README links ${link}: the site has no ${html}`);
        if (anchor) assert.ok(readFileSync(html, 'utf8').includes(`id="${anchor}"`), `README links ${link}: no anchor #${anchor} on that page`);
      }
    }
  });

  it('the getting-started samples run as written and print what the page shows', { timeout: 120_000 }, () => {
    const samples = samplesOf(readFileSync(join(REPO, 'docs/getting-started.md'), 'utf8'));
    assert.deepEqual(samples.map((s) => s.name), ['ts', 'yaml', 'yaml-again', 'yaml-look'], 'the samples the page marks');
    const work = tempDir('pw-docs-start-');
    const path = `${shims()}:${process.env.PATH ?? ''}`;
    for (const { name, script, expected } of samples) {
      const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: work, encoding: 'utf8', env: { ...process.env, PATH: path, NO_COLOR: '1', CI: '' } });
      const printed = squeeze(`${r.stdout}\n${r.stderr}`.split('\n').map(squeeze).join('\n'));
      assert.equal(r.status, 0, `sample "${name}" exited ${r.status}:\n${script}\n${r.stdout}${r.stderr}`);
      for (const line of expected) assert.ok(printed.includes(squeeze(line)), `sample "${name}" prints ${JSON.stringify(line)}; it printed:\n${r.stdout}${r.stderr}`);
    }
    assert.equal(JSON.parse(readFileSync(join(work, 'my-pipeline/metrics.json'), 'utf8')).count, 1000, 'the TS project ran');
  });
});
