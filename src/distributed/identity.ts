/**
 * Which project a checkout is, wherever it lies: what names its queues on Redis (so that a worker
 * in `/app`, `/builds/team/proj` or `~/proj-2` serves the coordinator's jobs, and two projects on
 * one Redis never take each other's) and its compiled image. In order: `name:` of
 * pipewright.config.yaml; else the name the pipeline declares (a TS `pipeline('spam', …)`, `name:`
 * of pipewright.yaml). A dvc.yaml or an unnamed pipewright.yaml declares none, and its folder's
 * name differs from checkout to checkout: the first command that needs the identity on the
 * coordinator's side (`run` sending work to workers, `compile`) writes `name: <folder>` into
 * pipewright.config.yaml, to be committed; a worker never guesses one.
 */
import { basename } from 'node:path';
import { PipelineError } from '../errors.js';
import { PROJECT_CONFIG, editProjectConfig, readProjectConfig } from '../define/project-config.js';

export interface ProjectIdentity {
  readonly name: string;
  /** Where the name comes from. */
  readonly from: 'config' | 'pipeline';
}

interface Named {
  readonly name: string;
  readonly namedAfterFolder?: boolean;
}

/** The checkout's identity, or undefined when only its folder's name could be had. */
export function projectIdentity(root: string, declaration: Named): ProjectIdentity | undefined {
  const configured = readProjectConfig(root)?.data.name;
  if (configured !== undefined) return { name: configured, from: 'config' };
  if (!declaration.namedAfterFolder) return { name: declaration.name, from: 'pipeline' };
  return undefined;
}

/**
 * The identity, on the side that starts distributed work: when there is none yet, `name: <folder>`
 * is written into pipewright.config.yaml (made, or edited keeping its comments and keys) and
 * `note` says so, once. A file that cannot be written leaves the folder's name, with the reason.
 */
export function ensureProjectIdentity(root: string, declaration: Named, note: (line: string) => void): ProjectIdentity {
  const known = projectIdentity(root, declaration);
  if (known) return known;
  const name = basename(root);
  try {
    editProjectConfig(root, (doc) => {
      const map = doc.contents as unknown as { items: unknown[] };
      map.items.unshift(doc.createPair('name', name));
    });
  } catch (err) {
    note(`could not write name: ${name} into ${PROJECT_CONFIG} (${(err as Error).message}): workers in folders of other names will not find this project's jobs`);
    return { name, from: 'pipeline' };
  }
  note(`wrote name: ${name} into ${PROJECT_CONFIG}: the project's identity on Redis, so that workers in any folder find its jobs; commit the file`);
  return { name, from: 'config' };
}

/** A worker's: without an identity it would serve a queue named after its folder, which the coordinator's need not be. */
export function requireProjectIdentity(root: string, declaration: Named): ProjectIdentity {
  const known = projectIdentity(root, declaration);
  if (known) return known;
  throw new PipelineError('usage', `this checkout does not say which project it is: "${declaration.name}" is only its folder's name, and a checkout elsewhere (a container's /app, a CI folder) has another, so a worker here would miss the coordinator's jobs`,
    undefined, `pull the pipewright.config.yaml the coordinator wrote (\`pipewright run --executor bullmq\` writes \`name:\` there on first use), or add \`name: ${declaration.name}\` to ${PROJECT_CONFIG} yourself, the same in every checkout, and commit it`);
}

/** One prefix per project, so that projects can share a Redis. */
export function queuePrefix(identity: ProjectIdentity): string {
  return `pw-${identity.name.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

/** The compiled tasks' default image: the identity as a Docker repository name. */
export function imageName(identity: ProjectIdentity): string {
  return `${identity.name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}:latest`;
}
