/**
 * A worker's revision as its checkout is now, checked before every job, at the cost of a few
 * stats: reading and hashing the pipeline file and starting `git rev-parse HEAD` (5 ms on a small
 * VM) for each job cost more than a trivial job itself. Both are done again only when what they
 * depend on changed: the pipeline file (its stat), and git's HEAD with the branch it names (the
 * loose ref's stat, packed-refs' stat). Git writes each of those by renaming a new file into place,
 * so a commit, a pull, a checkout or a reset changes one of them.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { revisionOf, type Revision } from './protocol.js';

interface GitDirs {
  /** Where HEAD is (a linked worktree has its own). */
  readonly gitDir: string;
  /** Where branches and packed-refs are (the main repository's). */
  readonly commonDir: string;
}

/** `compute` is revisionOf, or a counting stand-in for a test. */
export function revisionWatch(pipelineFile: string, compute: (file: string) => Revision = revisionOf): () => Revision {
  // Found once: a checkout that becomes a repository under a running worker is told as before,
  // without a commit, which a coordinator's commit does not contradict (protocol.ts).
  const git = gitDirs(dirname(pipelineFile));
  let last: { readonly stamp: string; readonly revision: Revision } | undefined;
  return () => {
    const stamp = stampOf(pipelineFile, git);
    // Something this does not understand (a reftable repository, an unreadable HEAD): no shortcut.
    if (stamp === undefined) return compute(pipelineFile);
    // Stamped before computing: a change in between is seen at the next job, never hidden.
    if (last?.stamp !== stamp) last = { stamp, revision: compute(pipelineFile) };
    return last.revision;
  };
}

function stampOf(pipelineFile: string, git: GitDirs | 'unknown' | undefined): string | undefined {
  if (git === 'unknown') return undefined;
  const parts = [statStamp(pipelineFile)];
  if (git) {
    let head: string;
    try {
      head = readFileSync(join(git.gitDir, 'HEAD'), 'utf8').trim();
    } catch {
      return undefined;
    }
    parts.push(head);
    // A detached HEAD names its commit itself; a branch is a loose ref, or a line of packed-refs.
    if (head.startsWith('ref: ')) parts.push(statStamp(join(git.commonDir, head.slice(5))), statStamp(join(git.commonDir, 'packed-refs')));
  }
  return parts.join('|');
}

function statStamp(path: string): string {
  try {
    const s = statSync(path, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch {
    return 'none';
  }
}

/** The repository around `dir`, as protocol.ts's gitHead finds it; 'unknown' where refs are not plain files. */
function gitDirs(dir: string): GitDirs | 'unknown' | undefined {
  let dotGit: string | undefined;
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) {
      dotGit = join(d, '.git');
      break;
    }
    if (dirname(d) === d) return undefined;
  }
  try {
    let gitDir = dotGit;
    // A linked worktree or a submodule: `.git` is a file naming the real one.
    if (statSync(dotGit).isFile()) gitDir = resolve(dirname(dotGit), readFileSync(dotGit, 'utf8').match(/^gitdir: (.+)$/m)![1]!.trim());
    const commonFile = join(gitDir, 'commondir');
    const commonDir = existsSync(commonFile) ? resolve(gitDir, readFileSync(commonFile, 'utf8').trim()) : gitDir;
    if (existsSync(join(commonDir, 'reftable'))) return 'unknown';
    return { gitDir, commonDir };
  } catch {
    return 'unknown';
  }
}
