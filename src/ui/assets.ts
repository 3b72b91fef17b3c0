/**
 * The page's files, read once at startup: the entry script and stylesheet, and the chunks esbuild
 * split off (the charts, loaded when a page needs them) from the ui-chunks folder next to them. A
 * request only ever looks a name up in this fixed map: no part of its path reaches the filesystem.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface Asset {
  readonly type: string;
  readonly body: Buffer;
}

/** Where scripts/bundle.mjs puts the page's chunks, under the assets folder (and its URL). */
export const CHUNKS = 'ui-chunks';
const JS = 'text/javascript; charset=utf-8';

export function loadAssets(dir: string): ReadonlyMap<string, Asset> {
  const assets = new Map<string, Asset>([
    ['ui-client.js', { type: JS, body: readAsset(dir, 'ui-client.js') }],
    ['ui-client.css', { type: 'text/css; charset=utf-8', body: readAsset(dir, 'ui-client.css') }],
  ]);
  const chunks = join(dir, CHUNKS);
  for (const name of existsSync(chunks) ? readdirSync(chunks) : []) {
    if (/^[\w-]+\.js$/.test(name)) assets.set(`${CHUNKS}/${name}`, { type: JS, body: readAsset(chunks, name) });
  }
  return assets;
}

function readAsset(dir: string, name: string): Buffer {
  try {
    return readFileSync(join(dir, name));
  } catch {
    throw new Error(`the UI's ${name} is missing from ${dir}: build it with \`npm run build\``);
  }
}
