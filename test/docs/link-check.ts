/**
 * The documentation site's link check: every `href` and `src` in the built HTML that points inside the
 * site must name a file the build wrote, and a `#fragment` on a link to a page (or within one) must
 * name an `id` that page has. Links to other sites (a scheme, or `//host`) are not followed.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export interface BrokenLink {
  /** The page the link is on, relative to the site's folder. */
  readonly page: string;
  /** The link as written in the HTML. */
  readonly link: string;
  readonly reason: string;
}

function htmlFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...htmlFiles(path));
    else if (entry.name.endsWith('.html')) found.push(path);
  }
  return found;
}

const decodeEntities = (text: string): string =>
  text.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** The `href` and `src` values of a page's tags (attribute values in quotes, as VitePress writes them). */
export function linksOf(html: string): string[] {
  const links: string[] = [];
  for (const m of html.matchAll(/\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) links.push(decodeEntities(m[1] ?? m[2] ?? ''));
  return links;
}

function idsOf(html: string): Set<string> {
  const ids = new Set<string>();
  for (const m of html.matchAll(/\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) ids.add(decodeEntities(m[1] ?? m[2] ?? ''));
  return ids;
}

const external = (link: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith('//');

/** The file a site path names: itself, its `index.html` when a folder, or `X.html` for a clean URL `X`. */
function fileFor(siteDir: string, path: string): string | undefined {
  const candidates = path.endsWith('/') ? [join(path, 'index.html')] : [path, `${path}.html`, join(path, 'index.html')];
  for (const candidate of candidates) {
    const full = join(siteDir, candidate);
    if (existsSync(full) && statSync(full).isFile()) return full;
  }
  return undefined;
}

/** Every broken internal link of the site built in `siteDir` (served at `base`, VitePress's default `/`). */
export function checkLinks(siteDir: string, base = '/'): BrokenLink[] {
  const root = resolve(siteDir);
  const broken: BrokenLink[] = [];
  const idCache = new Map<string, Set<string>>();
  const ids = (file: string): Set<string> => {
    let found = idCache.get(file);
    if (!found) idCache.set(file, (found = idsOf(readFileSync(file, 'utf8'))));
    return found;
  };
  for (const page of htmlFiles(root)) {
    const pageName = relative(root, page).split(sep).join('/');
    for (const link of linksOf(readFileSync(page, 'utf8'))) {
      if (link === '' || external(link)) continue;
      const hashAt = link.indexOf('#');
      const beforeHash = hashAt >= 0 ? link.slice(0, hashAt) : link;
      const fragment = hashAt >= 0 ? link.slice(hashAt + 1) : undefined;
      const pathPart = beforeHash.split('?')[0] ?? '';
      let target: string | undefined;
      if (pathPart === '') target = page;
      else {
        let sitePath: string;
        if (pathPart.startsWith('/')) {
          if (!pathPart.startsWith(base)) {
            broken.push({ page: pageName, link, reason: `outside the site's base ${base}` });
            continue;
          }
          sitePath = pathPart.slice(base.length);
        } else sitePath = relative(root, resolve(dirname(page), pathPart)).split(sep).join('/') + (pathPart.endsWith('/') ? '/' : '');
        let decoded: string;
        try {
          decoded = decodeURIComponent(sitePath);
        } catch {
          broken.push({ page: pageName, link, reason: 'not a valid URL path' });
          continue;
        }
        if (decoded.startsWith('..')) {
          broken.push({ page: pageName, link, reason: 'points above the site' });
          continue;
        }
        target = fileFor(root, decoded === '' ? '/' : decoded);
        if (!target) {
          broken.push({ page: pageName, link, reason: `no file ${decoded || '/'} in the site` });
          continue;
        }
      }
      if (fragment !== undefined && fragment !== '' && target.endsWith('.html')) {
        let id: string;
        try {
          id = decodeURIComponent(fragment);
        } catch {
          id = fragment;
        }
        if (!ids(target).has(id)) broken.push({ page: pageName, link, reason: `no anchor #${id} in ${relative(root, target).split(sep).join('/')}` });
      }
    }
  }
  return broken;
}
