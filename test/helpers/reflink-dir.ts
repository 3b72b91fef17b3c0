/**
 * A folder on a file system where reflinks work (copy-on-write clones, FICLONE), for the tests of
 * placing files by reflink: the temp folder when its file system has them (btrfs, XFS), else a
 * small btrfs image mounted on a loop device, which needs root and `mkfs.btrfs` (Debian's
 * btrfs-progs; scripts/system-deps.mjs installs it where it can). Where neither is possible, the
 * reason, for the test to skip with: mounting is a privilege a container may not have.
 */
import { spawnSync } from 'node:child_process';
import { constants, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type ReflinkDir = { readonly dir: string; cleanup(): void } | { readonly reason: string };

function reflinksIn(dir: string): boolean {
  try {
    writeFileSync(join(dir, 'probe'), 'probe');
    copyFileSync(join(dir, 'probe'), join(dir, 'probe-clone'), constants.COPYFILE_FICLONE_FORCE);
    return true;
  } catch {
    return false;
  } finally {
    rmSync(join(dir, 'probe'), { force: true });
    rmSync(join(dir, 'probe-clone'), { force: true });
  }
}

export function reflinkDir(): ReflinkDir {
  const dir = mkdtempSync(join(tmpdir(), 'pw-reflink-'));
  if (reflinksIn(dir)) return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  const cleanDir = () => rmSync(dir, { recursive: true, force: true });
  if (process.getuid?.() !== 0) {
    cleanDir();
    return { reason: 'no file system with reflinks here: the temp folder has none, and mounting a btrfs image needs root' };
  }
  if (spawnSync('sh', ['-c', 'command -v mkfs.btrfs']).status !== 0) {
    cleanDir();
    return { reason: 'no file system with reflinks here: the temp folder has none, and mkfs.btrfs is not installed (apt-get install -y btrfs-progs)' };
  }
  // Sparse: 200 MB on paper (mkfs.btrfs's smallest default layout), a few MB on disk.
  const image = `${dir}.img`;
  const steps = [['truncate', '-s', '200M', image], ['mkfs.btrfs', '-q', image], ['mount', '-o', 'loop', image, dir]];
  for (const [command, ...args] of steps) {
    const run = spawnSync(command!, args, { encoding: 'utf8' });
    if (run.status !== 0) {
      rmSync(image, { force: true });
      cleanDir();
      return { reason: `no file system with reflinks here: \`${command} ${args.join(' ')}\` failed (${(run.stderr || run.error?.message || '').trim()})` };
    }
  }
  return {
    dir,
    cleanup: () => {
      spawnSync('umount', [dir]);
      rmSync(image, { force: true });
      cleanDir();
    },
  };
}
