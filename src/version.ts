/** pipewright's own package: its folder and version, from its package.json (found above this file in dist/src or dist/bin). */
import { readFileSync } from 'node:fs';

/** The URL of pipewright's own package.json, and what it says. */
const OWN = ((): { url: URL; version: string } | undefined => {
  for (let url = new URL('.', import.meta.url); url.pathname !== '/'; url = new URL('..', url)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', url), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'pipewright') return { url: new URL('package.json', url), version: pkg.version };
    } catch {
      // not here; one folder up
    }
  }
  return undefined;
})();

export const VERSION: string = OWN?.version ?? 'unknown';

/** The file URL of pipewright's own package.json; undefined when it cannot be found. */
export const OWN_PACKAGE_JSON: URL | undefined = OWN?.url;
