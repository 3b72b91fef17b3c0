/**
 * What `pipewright init` writes: a small working pipeline of two stages and a params file, in
 * YAML (shell commands on Node scripts) or in TypeScript (stages with zod params), and the
 * project's config. Each file's text is built here; init.ts decides what may be written.
 */

export type Flavour = 'ts' | 'yaml';

/** Lines every project's .gitignore gets: pipewright's own state and cache. */
export const GITIGNORE_LINES = ['.pipewright/'];

const CONFIG = (name: string) => `# pipewright.config.yaml: settings of this project (see \`pipewright --help\`)
name: ${name}
# A shared cache: pipewright remote add NAME URL --default  (a folder, or s3://bucket/prefix)
# Per-stage retries, timeouts, resources and secrets:
# stages:
#   summarize: { retries: 2, timeout: 10m }
`;

const YAML_PIPELINE = `# pipewright.yaml: make numbers, then summarize them.
#   pipewright run                         run what changed
#   pipewright run -S data.rows=5000       with a param changed
#   pipewright dag | status | metrics show
stages:
  prepare:
    desc: Make a table of random numbers (stands in for fetching data)
    cmd: node scripts/prepare.mjs \${params.data.rows} \${params.data.seed} data/numbers.csv
    deps: [scripts/prepare.mjs]
    params: [data.rows, data.seed]
    outs: [data/numbers.csv]
  summarize:
    desc: Their mean and a histogram
    cmd: node scripts/summarize.mjs data/numbers.csv \${params.summary.bins} metrics.json
    deps: [scripts/summarize.mjs, data/numbers.csv]
    params: [summary.bins]
    metrics: [metrics.json]
`;

const PARAMS = `data:
  rows: 1000
  seed: 7
summary:
  bins: 10
`;

const PREPARE_SCRIPT = `// node scripts/prepare.mjs ROWS SEED OUT: ROWS seeded random numbers, one per line.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const [rows, seed, out] = process.argv.slice(2);
let state = Number(seed);
const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, Array.from({ length: Number(rows) }, () => random().toFixed(6)).join('\\n') + '\\n');
`;

const SUMMARIZE_SCRIPT = `// node scripts/summarize.mjs IN BINS OUT: the numbers' count, mean and histogram as JSON metrics.
import { readFileSync, writeFileSync } from 'node:fs';

const [input, bins, out] = process.argv.slice(2);
const numbers = readFileSync(input, 'utf8').split('\\n').filter(Boolean).map(Number);
const histogram = Array.from({ length: Number(bins) }, () => 0);
for (const x of numbers) histogram[Math.min(histogram.length - 1, Math.floor(x * histogram.length))]++;
const mean = numbers.reduce((a, b) => a + b, 0) / numbers.length;
writeFileSync(out, JSON.stringify({ count: numbers.length, mean: Number(mean.toFixed(4)), histogram }, null, 2) + '\\n');
`;

const TS_PIPELINE = `/**
 * Make numbers, then summarize them.
 *   pipewright run                        run what changed
 *   pipewright run -S prepare.rows=5000   with a param changed
 *   pipewright dag | status | metrics show
 */
import { readFile, writeFile } from 'node:fs/promises';
import { pipeline, stage } from 'pipewright';
import { z } from 'zod';

export const prepare = stage('prepare', {
  desc: 'Make a table of random numbers (stands in for fetching data)',
  params: z.object({ rows: z.number().int().positive().default(1000), seed: z.number().int().default(7) }),
  outs: { numbers: 'data/numbers.json' },
  run: async ({ params, outs, log }) => {
    let state = params.seed;
    const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const numbers = Array.from({ length: params.rows }, random);
    await writeFile(outs.numbers, JSON.stringify(numbers));
    log(\`\${numbers.length} numbers\`);
  },
});

export const summarize = stage('summarize', {
  desc: 'Their mean and a histogram',
  params: z.object({ bins: z.number().int().positive().default(10) }),
  inputs: { numbers: prepare.outs.numbers },
  metrics: 'metrics.json',
  // What run returns is written to the metrics file.
  run: async ({ params, inputs }) => {
    const numbers = JSON.parse(await readFile(inputs.numbers, 'utf8')) as number[];
    const histogram = Array.from({ length: params.bins }, () => 0);
    for (const x of numbers) histogram[Math.min(params.bins - 1, Math.floor(x * params.bins))]!++;
    const mean = numbers.reduce((a, b) => a + b, 0) / numbers.length;
    return { count: numbers.length, mean: Number(mean.toFixed(4)), histogram };
  },
});

export default pipeline('NAME', [prepare, summarize]);
`;

const PACKAGE_JSON = (name: string, versions: { pipewright: string; zod: string; typescript: string; node: string }) => JSON.stringify({
  name, private: true, type: 'module',
  scripts: { pipeline: 'pipewright run', typecheck: 'tsc --noEmit' },
  dependencies: { pipewright: versions.pipewright, zod: versions.zod },
  devDependencies: { '@types/node': versions.node, typescript: versions.typescript },
}, null, 2) + '\n';

const TSCONFIG = JSON.stringify({
  compilerOptions: {
    target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true,
    noUncheckedIndexedAccess: true, allowImportingTsExtensions: true, skipLibCheck: true, types: ['node'],
  },
  include: ['*.ts', 'src/**/*.ts'],
}, null, 2) + '\n';

/** The files of a new project, by path; `name` is the project's (its folder's name). */
export function starterFiles(flavour: Flavour, name: string, versions: { pipewright: string; zod: string; typescript: string; node: string }): Record<string, string> {
  const config = { 'pipewright.config.yaml': CONFIG(name) };
  if (flavour === 'yaml') {
    return { 'pipewright.yaml': YAML_PIPELINE, 'params.yaml': PARAMS, 'scripts/prepare.mjs': PREPARE_SCRIPT, 'scripts/summarize.mjs': SUMMARIZE_SCRIPT, ...config };
  }
  return { 'pipewright.ts': TS_PIPELINE.replace("pipeline('NAME'", `pipeline(${JSON.stringify(name)}`), 'package.json': PACKAGE_JSON(name, versions), 'tsconfig.json': TSCONFIG, ...config };
}
