/**
 * Bundles the CLI into dist/bin with esbuild: the command's entry with the no-op fast path as one
 * CommonJS file (pipewright.cjs), and the full CLI (main.js) and the two executor entries (worker
 * thread, child process) as ES modules sharing chunks. Resolving and loading ~150 ES and CommonJS
 * modules one by one was most of a no-op run's time. Native addons and the loaders that are
 * imported on demand stay outside.
 */
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist/bin', { recursive: true, force: true });

const external = ['libsql', '@node-rs/xxhash', 'tsx', 'tsx/*', 'esbuild', 'piscina', 'vega', 'vega-lite', '@resvg/resvg-js', 'ml-random-forest', 'bullmq', 'ioredis', 'fastify'];
// Some bundled CommonJS packages call require(); give the ESM bundle one.
const banner = { js: "import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);" };

await build({
  entryPoints: {
    main: 'src/cli/main.ts',
    'thread-worker': 'src/executors/thread-worker.ts',
    'child-entry': 'src/executors/child-entry.ts',
    'clone-entry': 'src/flow/clone-entry.ts',
    // `pipewright ui`'s significance fit, on a thread of its own (src/ui/api-compare.ts).
    'significance-worker': 'src/ui/significance-worker.ts',
  },
  outdir: 'dist/bin',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  external,
  banner,
  logLevel: 'warning',
});

// The command's entry, with the no-op fast path in it, as one CommonJS file: Node starts a
// CommonJS entry ~4 ms sooner than an ES module and loads it without the ES loader's reads, which
// is a tenth of a no-op's own time. Anything else goes on to the ES modules above (main.js).
await build({
  entryPoints: { pipewright: 'src/cli/entry.ts' },
  outExtension: { '.js': '.cjs' },
  outdir: 'dist/bin',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // log-update, for a terminal only, is loaded from node_modules.
  external: [...external, 'log-update', './main.js'],
  define: { 'import.meta.url': 'importMetaUrl' },
  inject: ['scripts/import-meta-url.js'],
  logLevel: 'warning',
});

// The `pipewright ui` page: plain TS for the browser and its stylesheet, served from dist/bin as
// files (no inline script, so the page's Content-Security-Policy holds). What only some views need
// (the charts: vega, ~1 MB) is split into dist/bin/ui-chunks/, loaded when such a view opens; the
// server reads that folder's files once at startup (src/ui/assets.ts).
await build({
  entryPoints: { 'ui-client': 'src/ui/client/main.ts' },
  outdir: 'dist/bin',
  bundle: true,
  splitting: true,
  chunkNames: 'ui-chunks/[name]-[hash]',
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  logLevel: 'warning',
});
await build({
  entryPoints: { 'ui-client': 'src/ui/client/style.css' },
  outdir: 'dist/bin',
  bundle: true,
  minify: true,
  logLevel: 'warning',
});
