/** pipewright's own version, from its package.json (found above this file in dist/src or dist/bin). */
import { readFileSync } from 'node:fs';

export const VERSION: string = (() => {
  for (let url = new URL('.', import.meta.url); url.pathname !== '/'; url = new URL('..', url)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', url), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'pipewright') return pkg.version;
    } catch {
      // not here; one folder up
    }
  }
  return 'unknown';
})();
