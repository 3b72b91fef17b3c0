/**
 * What `run --watch` watches: every file a run reads that the user edits — the pipeline file, the
 * params and vars files it read, every dep of every stage (folders whole), and for a TypeScript
 * pipeline the local modules it imports — and nothing a run writes itself (outs, pipewright's
 * state, the lockfiles), so that a run never sets off the next one.
 */
import { statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { forgetPipeline, findPipelineFile } from '../define/load.js';
import { writtenPaths } from '../graph/resolve.js';
import { LOCKFILE, STATE_DIR } from '../layout.js';
import { openProject, type Project } from './project.js';

export interface WatchSet {
  readonly root: string;
  /** The pipeline file; also watched while it is broken, so that fixing it is seen. */
  readonly pipelineFile: string;
  /** Absolute paths, sorted: files, and folders watched with all they hold. Some may not exist yet. */
  readonly paths: readonly string[];
  /** How many of `paths` are folders (for the "watching …" line). */
  readonly folders: number;
  /** Whether a change at this absolute path is a run's own doing, not the user's. */
  readonly isRunOutput: (path: string) => boolean;
}

/** The names in the project folder that belong to pipewright or DVC, never to the user's data. */
const OWN_NAMES = [STATE_DIR, LOCKFILE, 'dvc.lock', '.dvc', '.git'];

/**
 * Loads the pipeline afresh (forgetting the one a previous run loaded) as a run with these
 * overrides would, and works out its watch set. The load is left in place, so that the run that
 * follows uses this very declaration. Throws the pipeline's PipelineError when it is broken.
 */
export async function loadWatchSet(dir: string, overrides: readonly string[], versions: readonly string[]): Promise<WatchSet> {
  forgetPipeline(findPipelineFile(resolve(dir)));
  return watchSetOf(await openProject(dir, overrides, versions));
}

export async function watchSetOf(project: Project): Promise<WatchSet> {
  const { root, declaration, graph } = project;
  const written = new Set<string>();
  for (const node of graph.nodes.values()) for (const out of writtenPaths(node)) written.add(out.path);
  const isWritten = (rel: string) => written.has(rel) || ancestorsOf(rel).some((a) => written.has(a));
  const isRunOutput = (path: string) => {
    const rel = relative(root, path).split(sep).join('/');
    return isWritten(rel) || OWN_NAMES.some((name) => rel === name || rel.startsWith(`${name}/`) || rel.startsWith(`${name}.tmp`));
  };

  const wanted = new Set<string>([declaration.file, ...(declaration.sourceFiles?.() ?? [])]);
  for (const node of graph.nodes.values()) {
    // A dep another stage writes (an input is always one) changes only when that stage runs.
    for (const dep of node.deps) if (!dep.external && !isWritten(dep.path)) wanted.add(join(root, dep.path));
    for (const input of Object.values(node.inputs)) if (!isWritten(input.path)) wanted.add(join(root, input.path));
  }
  if (declaration.format === 'ts') {
    const entries = [declaration.file, ...declaration.stages.filter((s) => s.kind === 'ts' && !s.builtin).flatMap((s) => s.codeFiles)];
    for (const file of await localModules(root, entries)) wanted.add(file);
  }
  const paths = [...wanted].map((p) => resolve(root, p)).filter((p) => !isRunOutput(p)).sort();
  return { root, pipelineFile: declaration.file, paths, folders: paths.filter(isFolder).length, isRunOutput };
}

/**
 * The last good watch set with the files a load error names added (a params file broken before
 * the first good load), or just the pipeline file when there was none: what to watch for a fix.
 */
export function watchSetAfterError(previous: WatchSet | undefined, dir: string, error: unknown): WatchSet {
  const root = previous?.root ?? resolve(dir);
  let pipelineFile = previous?.pipelineFile;
  try {
    pipelineFile = findPipelineFile(root);
  } catch {
    // Deleted or renamed: keep watching where it was, and its siblings' names would need a folder watch.
  }
  const named = (error as { where?: { file?: string } } | undefined)?.where?.file;
  const paths = new Set(previous?.paths ?? []);
  if (pipelineFile) paths.add(pipelineFile);
  if (named && !named.includes('://')) paths.add(isAbsolute(named) ? named : resolve(root, named));
  const sorted = [...paths].sort();
  return {
    root,
    pipelineFile: pipelineFile ?? join(root, 'pipewright.yaml'),
    paths: sorted,
    folders: sorted.filter(isFolder).length,
    isRunOutput: previous?.isRunOutput ?? (() => false),
  };
}

/**
 * The user's modules a TS pipeline loads, found by esbuild's resolver as the stages' code
 * identities are (cache/code-identity.ts), starting from the pipeline file too: it may import a
 * module no stage is defined in (shared settings) whose edit changes the pipeline.
 */
async function localModules(root: string, entries: readonly string[]): Promise<string[]> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [...new Set(entries)],
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
    outdir: 'out',
  }).catch(() => undefined);
  // The loader took these modules a moment ago; if esbuild cannot follow them, watch the entries.
  if (!result) return entries.map((e) => resolve(root, e));
  return Object.keys(result.metafile.inputs).filter((input) => !input.includes(':')).map((input) => resolve(root, input));
}

function ancestorsOf(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
