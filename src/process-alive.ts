/**
 * Whether a process of this machine is still there: used by the workspace lock, the run store
 * (a run whose process died is "interrupted"), the shell pool's leftovers and served flows.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it is there, owned by someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
