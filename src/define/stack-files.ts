/**
 * The files of the modules on the current call stack, innermost first, as absolute paths (a
 * `file:` URL made a path, a loader's `?query` dropped, from a plain path too; Node's own `node:` modules left out):
 * `stage()` and `flow()` learn from it which user module declared them.
 */
import { fileURLToPath } from 'node:url';

const OWN_FILE = fileURLToPath(import.meta.url);

/** `depth` frames are looked at, this module's own left out. */
export function stackFiles(depth: number): string[] {
  const savedPrepare = Error.prepareStackTrace;
  const savedLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = depth + 1;
  Error.prepareStackTrace = (_error, calls) => calls;
  const calls = (new Error().stack as unknown as NodeJS.CallSite[]) ?? [];
  Error.prepareStackTrace = savedPrepare;
  Error.stackTraceLimit = savedLimit;
  const files: string[] = [];
  for (const call of calls) {
    let file = call.getFileName?.();
    if (!file || file.startsWith('node:')) continue;
    if (file.startsWith('file://')) file = fileURLToPath(file.replace(/\?.*$/, ''));
    // tsx on Node 22 names a module it loaded for tsImport by its path with `?namespace=...` added.
    else file = file.replace(/\?namespace=[^/]*$/, '');
    if (file.startsWith('/') && file !== OWN_FILE) files.push(file);
  }
  return files;
}
