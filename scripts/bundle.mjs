/**
 * Bundles the CLI and the two executor entries (worker thread, child process) into dist/bin with
 * esbuild. Resolving and loading ~150 ES and CommonJS modules one by one is most of a no-op run's
 * time; one file of shared chunks starts in a fraction of it. Native addons and the loaders that
 * are imported on demand stay outside.
 */
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist/bin', { recursive: true, force: true });

const external = ['libsql', '@node-rs/xxhash', 'tsx', 'tsx/*', 'esbuild', 'piscina', 'vega', 'vega-lite', '@resvg/resvg-js', 'ml-random-forest'];
// Some bundled CommonJS packages call require(); give the ESM bundle one.
const banner = { js: "import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);" };

await build({
  entryPoints: {
    pipewright: 'src/cli/entry.ts',
    'thread-worker': 'src/executors/thread-worker.ts',
    'child-entry': 'src/executors/child-entry.ts',
  },
  outdir: 'dist/bin',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // The no-op fast path is a file of its own, below.
  external: [...external, './fast-path.js'],
  banner,
  logLevel: 'warning',
});

// The fast path in one file, not a chain of shared chunks: loading those level by level cost a
// no-op more than its check. (log-update, for a terminal only, is loaded from node_modules.)
await build({
  entryPoints: { 'fast-path': 'src/cli/fast-path.ts' },
  outdir: 'dist/bin',
  bundle: true,
  splitting: false,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  external: [...external, 'log-update'],
  banner,
  logLevel: 'warning',
});
