/**
 * A project that has not installed `pipewright` or `zod` yet (one `pipewright init` just made, run
 * with npx) imports them all the same: a bare import of either that the project cannot resolve is
 * resolved from pipewright's own package instead, so `npx pipewright init && npx pipewright run`
 * works before any `npm install`, with one copy of zod. A copy the project installed always wins.
 */
import { register } from 'node:module';
import { OWN_PACKAGE_JSON } from '../version.js';

/** Runs in Node's loader thread: the default resolution first, pipewright's own package if that fails. */
const HOOKS = `
let base;
export function initialize(data) { base = data.base; }
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (err) {
    if (!base || err?.code !== 'ERR_MODULE_NOT_FOUND' || !/^(pipewright|zod)(\\/|$)/.test(specifier)) throw err;
    return next(specifier, { ...context, parentURL: base });
  }
}
`;

let registered = false;

/** Installs the fallback once per process, before a user's TS module is loaded. */
export function resolveOwnPackagesAsFallback(): void {
  if (registered || !OWN_PACKAGE_JSON) return;
  registered = true;
  register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, { parentURL: OWN_PACKAGE_JSON.href, data: { base: OWN_PACKAGE_JSON.href } });
}
