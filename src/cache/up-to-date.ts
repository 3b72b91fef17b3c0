/**
 * The no-op fast path. After a full run of a YAML pipeline leaves every stage up to date, the
 * (size, mtime, inode) of every file that went into that verdict is written down: the pipeline
 * and params files, the lockfile, and every dep and out (folders file by file, and their
 * sub-folders, whose mtime moves when an entry is added or removed). The next plain `run` that
 * finds all of them unchanged is a no-op without loading the pipeline, building the graph or
 * opening the state database: the same trust in file stats as the state database's, applied once
 * to the whole run. TS pipelines never take it: their module may build stages from anything.
 */
import { closeSync, existsSync, fstatSync, linkSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Params } from '../define/declaration.js';
import type { Metrics } from '../define/stage.js';
import type { LockedOut } from './lockfile.js';
import type { PipelineGraph } from '../graph/graph.js';
import { LOCKFILE, layout } from '../layout.js';
import { VERSION } from '../version.js';

const FORMAT = 3;

interface Certificate {
  readonly version: number;
  /** A new pipewright may judge differently: its first run takes the long way. */
  readonly pipewright: string;
  readonly pipelineFile: string;
  /** Stage instances in order, with what the run store records of them. */
  readonly stages: readonly UpToDateStage[];
  /** Absolute paths, and for each the STAMP_WIDTH numbers of its stamp in `stamps`. */
  readonly paths: readonly string[];
  readonly stamps: readonly number[];
}

/**
 * A path as it was: kind, size, mtime and inode, as numbers compared as a stat gives them, kept in
 * one flat array: a thousand-stage no-op reads two thousand stamps, and as text (a float mtime to
 * format) or as small arrays (each a dozen allocations to parse) they made the check of 2,003 paths
 * half as slow again (measured: 14–16 ms against 9–11 ms).
 * A path that must not exist is MISSING.
 */
type Stamp = readonly [kind: number, size: number, mtimeMs: number, ino: number];
const STAMP_WIDTH = 4;
const MISSING = 0;
const FILE = 1;
const FOLDER = 2;

const NO_THROW = { throwIfNoEntry: false } as const;

function stampOf(abs: string): Stamp {
  const s = statSync(abs, NO_THROW);
  return s ? [s.isDirectory() ? FOLDER : FILE, s.size, s.mtimeMs, s.ino] : [MISSING, 0, 0, 0];
}

function unchanged(abs: string, stamps: readonly number[], at: number): boolean {
  const s = statSync(abs, NO_THROW);
  if (!s) return stamps[at] === MISSING;
  return stamps[at] === (s.isDirectory() ? FOLDER : FILE) && stamps[at + 1] === s.size && stamps[at + 2] === s.mtimeMs && stamps[at + 3] === s.ino;
}

/** Stamps a path and, for a folder, everything below it. */
function stampTree(abs: string, into: Map<string, Stamp>): void {
  const stamp = stampOf(abs);
  into.set(abs, stamp);
  if (stamp[0] !== FOLDER) return;
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
  /** The certificate file that said so, and its inode (see keepCertificate). */
  readonly certificate: { readonly file: string; readonly ino: number };
}

/** The stages of a run that is certainly a no-op, or undefined when it has to be worked out. */
export function checkUpToDate(root: string, pipelineFile: string): UpToDateRun | undefined {
  const paths = layout(root);
  if (existsSync(paths.workspaceLock)) return undefined; // another run may be changing things
  let certificate: Certificate;
  let ino: number;
  try {
    const fd = openSync(paths.upToDate, 'r');
    try {
      ino = fstatSync(fd).ino;
      certificate = JSON.parse(readFileSync(fd, 'utf8')) as Certificate;
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  if (certificate.version !== FORMAT || certificate.pipewright !== VERSION || certificate.pipelineFile !== pipelineFile) return undefined;
  const { paths: stamped, stamps } = certificate;
  for (let i = 0; i < stamped.length; i++) if (!unchanged(stamped[i]!, stamps, i * STAMP_WIDTH)) return undefined;
  return { stages: certificate.stages, certificate: { file: paths.upToDate, ino } };
}

/**
 * A hard link to the certificate a no-op was answered from, so the run store can take that run's
 * instances from it later: a thousand-stage no-op then journals one short line, not 300 KB of
 * rows. Named by inode, which no other file can have while the link exists; undefined when the
 * certificate was replaced meanwhile (the caller journals the rows).
 */
export function keepCertificate({ file, ino }: UpToDateRun['certificate']): string | undefined {
  const kept = `${file.replace(/\.json$/, '')}.${ino}.json`;
  try {
    linkSync(file, kept);
  } catch {
    // Kept already by an earlier no-op, or the certificate is gone.
  }
  return statSync(kept, { throwIfNoEntry: false })?.ino === ino ? kept : undefined;
}

/** The stages of a kept certificate, or undefined if it cannot be read. */
export function keptStages(kept: string): readonly UpToDateStage[] | undefined {
  try {
    return (JSON.parse(readFileSync(kept, 'utf8')) as Certificate).stages;
  } catch {
    return undefined;
  }
}

/**
 * Records that a full run found every stage up to date. Only a run that verified the no-op the
 * long way is recorded: never one that ran something, whose stages could have touched files
 * they do not declare.
 */
export function recordUpToDate(graph: PipelineGraph, seen: ReadonlyMap<string, Pick<UpToDateStage, 'metrics' | 'outs' | 'fingerprint'>>): void {
  const { declaration } = graph;
  const paths = layout(declaration.root);
  // An external dep can change without any file here changing: such a pipeline takes the long way.
  if (!declaration.sourceFiles || [...graph.nodes.values()].some((n) => n.alwaysChanged || n.frozen || n.deps.some((d) => d.external))) return;
  const stamps = new Map<string, Stamp>();
  for (const file of [...declaration.sourceFiles(), join(declaration.root, LOCKFILE)]) stamps.set(file, stampOf(file));
  for (const node of graph.nodes.values()) {
    // Every path the stage reads or writes (a metrics file inside an out folder is stamped once).
    const used = [...node.deps, ...Object.values(node.inputs), ...node.outs, ...node.metrics, ...node.plots].map((p) => p.path);
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
    paths: [...stamps.keys()],
    stamps: [...stamps.values()].flat(),
  };
  const tmp = `${paths.upToDate}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(certificate));
  renameSync(tmp, paths.upToDate);
}

/** Any run that may change things first removes the record, so a killed run cannot leave one. */
export function forgetUpToDate(root: string): void {
  rmSync(layout(root).upToDate, { force: true });
}
