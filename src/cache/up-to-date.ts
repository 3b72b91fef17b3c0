/**
 * The no-op fast path. After a full run of a YAML pipeline leaves every stage up to date, the
 * (size, mtime, inode) of every file that went into that verdict is written down: the pipeline
 * and params files, the lockfile, and every dep and out (folders file by file, and their
 * sub-folders, whose mtime moves when an entry is added or removed). The next plain `run` that
 * finds all of them unchanged is a no-op without loading the pipeline, building the graph or
 * opening the state database: the same trust in file stats as the state database's, applied once
 * to the whole run. TS pipelines never take it: their module may build stages from anything.
 */
import { readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Params } from '../define/declaration.js';
import type { Metrics } from '../define/stage.js';
import type { LockedOut } from './lockfile.js';
import type { PipelineGraph } from '../graph/graph.js';
import { writtenPaths } from '../graph/resolve.js';
import { LOCKFILE, layout } from '../layout.js';
import { VERSION } from '../version.js';

const FORMAT = 1;

interface Certificate {
  readonly version: number;
  /** A new pipewright may judge differently: its first run takes the long way. */
  readonly pipewright: string;
  readonly pipelineFile: string;
  /** Stage instances in order, with what the run store records of them. */
  readonly stages: readonly UpToDateStage[];
  /** Absolute path → `size:mtime:ino`, or `-` for a path that must not exist. */
  readonly stamps: Readonly<Record<string, string>>;
}

function stampOf(abs: string): string {
  const s = statSync(abs, { throwIfNoEntry: false });
  return s ? `${s.isDirectory() ? 'd' : 'f'}${s.size}:${s.mtimeMs}:${s.ino}` : '-';
}

/** Stamps a path and, for a folder, everything below it. */
function stampTree(abs: string, into: Record<string, string>): void {
  const stamp = stampOf(abs);
  into[abs] = stamp;
  if (!stamp.startsWith('d')) return;
  for (const entry of readdirSync(abs, { withFileTypes: true })) stampTree(join(abs, entry.name), into);
}

export interface UpToDateStage {
  readonly name: string;
  readonly of: string;
  readonly params: Params;
  readonly metrics?: Metrics;
  readonly outs?: readonly LockedOut[];
  readonly fingerprint?: string;
}

export interface UpToDateRun {
  readonly stages: readonly UpToDateStage[];
}

/** The stages of a run that is certainly a no-op, or undefined when it has to be worked out. */
export function checkUpToDate(root: string, pipelineFile: string): UpToDateRun | undefined {
  const paths = layout(root);
  if (existsSync(paths.workspaceLock)) return undefined; // another run may be changing things
  let certificate: Certificate;
  try {
    certificate = JSON.parse(readFileSync(paths.upToDate, 'utf8')) as Certificate;
  } catch {
    return undefined;
  }
  if (certificate.version !== FORMAT || certificate.pipewright !== VERSION || certificate.pipelineFile !== pipelineFile) return undefined;
  for (const [abs, stamp] of Object.entries(certificate.stamps)) if (stampOf(abs) !== stamp) return undefined;
  return { stages: certificate.stages };
}

/**
 * Records that a full run found every stage up to date. Only a run that verified the no-op the
 * long way is recorded: never one that ran something, whose stages could have touched files
 * they do not declare.
 */
export function recordUpToDate(graph: PipelineGraph, seen: ReadonlyMap<string, Pick<UpToDateStage, 'metrics' | 'outs' | 'fingerprint'>>): void {
  const { declaration } = graph;
  const paths = layout(declaration.root);
  if (!declaration.sourceFiles || [...graph.nodes.values()].some((n) => n.alwaysChanged || n.frozen)) return;
  const stamps: Record<string, string> = {};
  for (const file of [...declaration.sourceFiles(), join(declaration.root, LOCKFILE)]) stamps[file] = stampOf(file);
  for (const node of graph.nodes.values()) {
    const used = [...node.deps.map((d) => d.path), ...Object.values(node.inputs).map((i) => i.path), ...writtenPaths(node).map((o) => o.path)];
    for (const path of used) stampTree(join(declaration.root, path), stamps);
  }
  const certificate: Certificate = {
    version: FORMAT,
    pipewright: VERSION,
    pipelineFile: declaration.file,
    stages: graph.order.map((name) => {
      const node = graph.nodes.get(name)!;
      const { metrics, outs, fingerprint } = seen.get(name) ?? {};
      return { name, of: node.of, params: node.params, metrics, outs, fingerprint };
    }),
    stamps,
  };
  const tmp = `${paths.upToDate}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(certificate));
  renameSync(tmp, paths.upToDate);
}

/** Any run that may change things first removes the record, so a killed run cannot leave one. */
export function forgetUpToDate(root: string): void {
  rmSync(layout(root).upToDate, { force: true });
}
