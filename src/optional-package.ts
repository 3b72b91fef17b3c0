/**
 * Packages only some users need (S3 remotes, BullMQ workers, `serve`, plots) are optional peer
 * dependencies: the core install stays small, and a feature whose package is missing says which
 * `npm i` adds it (exit 2), never a stack trace. Loaded on first use of the feature.
 */
import { PipelineError } from './errors.js';

/** The optional packages, by feature, as the README's install section lists them. */
export const OPTIONAL = {
  s3: { feature: 'an S3 remote', packages: ['@aws-sdk/client-s3'] },
  workers: { feature: 'workers on Redis (pipewright worker, run --executor bullmq)', packages: ['bullmq', 'ioredis'] },
  serve: { feature: 'pipewright serve', packages: ['fastify'] },
  plots: { feature: 'plots rendered to SVG or PNG', packages: ['vega', 'vega-lite', '@resvg/resvg-js', 'dejavu-fonts-ttf'] },
} as const;

type Group = (typeof OPTIONAL)[keyof typeof OPTIONAL];

/** Whether an error is Node's "cannot find" for one of these packages (import or require). */
function isMissing(err: unknown, packages: readonly string[]): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  const message = String((err as Error).message);
  return packages.some((name) => message.includes(`'${name}'`) || message.includes(`"${name}"`) || message.includes(`${name}/`));
}

function missing(group: Group): PipelineError {
  return new PipelineError('missing-package', `${group.feature} needs ${group.packages.join(', ')}, which ${group.packages.length > 1 ? 'are' : 'is'} not installed`,
    undefined, `npm i ${group.packages.join(' ')}`);
}

/** Awaits a dynamic import of (or through) a feature's package; its absence is a PipelineError naming the `npm i`. */
export async function loadOptional<T>(group: Group, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    throw isMissing(err, group.packages) ? missing(group) : err;
  }
}

/** The same for a `require` (a CommonJS package loaded where an ES import would lose its named exports). */
export function requireOptional<T>(group: Group, load: () => T): T {
  try {
    return load();
  } catch (err) {
    throw isMissing(err, group.packages) ? missing(group) : err;
  }
}
