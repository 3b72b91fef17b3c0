/**
 * A pipeline for remote tests: `prep` makes a folder of files (deterministic bytes, so two copies of
 * the project make the same objects), a sweep of `point` instances reads it, `sum` reads one file.
 * Every stage appends its name to runs.log (not an out), so a test counts real executions.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { hashBytes } from '../../src/cache/hash.js';
import { manifestHash, type ManifestEntry } from '../../src/cache/workspace-hash.js';
import type { TestProject } from '../helpers/project.js';

export function pipelineFiles(options: { points?: number; fileKiB?: number; files?: number } = {}): Record<string, string> {
  const points = Array.from({ length: options.points ?? 3 }, (_, i) => i + 1);
  return {
    'params.yaml': 'x: 1\n',
    'make.cjs': `const fs = require('fs');
const [dir, files, kib] = process.argv.slice(2);
fs.mkdirSync(dir + '/sub', { recursive: true });
let seed = 7;
for (let f = 0; f < Number(files); f++) {
  const bytes = Buffer.alloc(Number(kib) * 1024);
  for (let i = 0; i < bytes.length; i++) { seed = (seed * 1103515245 + 12345) & 0x7fffffff; bytes[i] = seed >> 16; }
  fs.writeFileSync(dir + (f % 2 ? '/sub/' : '/') + 'part-' + f + '.bin', bytes);
}`,
    'pipewright.yaml': `stages:
  prep:
    cmd: echo prep >> runs.log && node make.cjs data ${options.files ?? 4} ${options.fileKiB ?? 16}
    deps: [make.cjs]
    outs: [data]
  point:
    cmd: echo point-\${params.x} >> runs.log && mkdir -p points && ls -R data | wc -l > points/\${params.x}.txt && echo \${params.x} >> points/\${params.x}.txt
    params: [x]
    deps: [data]
    sweep:
      space:
        x: {grid: [${points.join(', ')}]}
    outs:
      - points/\${params.x}.txt
  sum:
    cmd: echo sum >> runs.log && wc -c data/part-0.bin > sum.txt
    deps: [data]
    outs: [sum.txt]
`,
  };
}

/** The stages that really ran in this project since the log was last cleared. */
export const executions = (p: TestProject): string[] => (p.exists('runs.log') ? p.read('runs.log').trim().split('\n').filter(Boolean) : []);

/** A config file naming one remote, the default. */
export function remoteConfig(name: string, url: string, endpoint?: string): string {
  return `# the team's shared cache\nremotes:\n  ${name}:\n    url: ${url}\n${endpoint ? `    endpoint: ${endpoint}\n` : ''}default_remote: ${name}\n`;
}

/** The files of a fresh checkout of a project: what git would hold (no .pipewright, no outs). */
export function checkoutFiles(p: TestProject, withLock: boolean): Record<string, string> {
  const names = ['params.yaml', 'make.cjs', 'pipewright.yaml', 'pipewright.config.yaml', ...(withLock ? ['pipewright.lock'] : [])];
  return Object.fromEntries(names.map((n) => [n, p.read(n)]));
}

/**
 * Every object under a cache-like folder (`objects/ab/cdef…`): whether its bytes hash to its name,
 * and leftover temporary files (a folder's `.dir` manifest hashes as its canonical JSON).
 */
export function auditObjects(objectsDir: string): { objects: number; bad: string[]; temporaries: string[] } {
  const bad: string[] = [];
  const temporaries: string[] = [];
  let objects = 0;
  for (const prefix of readdirSync(objectsDir)) {
    for (const rest of readdirSync(join(objectsDir, prefix))) {
      const path = join(objectsDir, prefix, rest);
      if (rest.includes('.tmp-')) {
        temporaries.push(path);
        continue;
      }
      if (!statSync(path).isFile()) continue;
      objects++;
      let hash: string;
      try {
        hash = rest.endsWith('.dir') ? manifestHash(JSON.parse(readFileSync(path, 'utf8')) as ManifestEntry[]) : hashBytes(readFileSync(path));
      } catch {
        hash = 'unreadable';
      }
      if (hash !== prefix + rest) bad.push(path);
    }
  }
  return { objects, bad, temporaries };
}
