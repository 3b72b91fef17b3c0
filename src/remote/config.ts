/**
 * The remotes a project declares in `pipewright.config.yaml`, and which one a command uses: the one
 * named by `-r`, else `default_remote`, else the only one there is.
 */
import type { Document } from 'yaml';
import { PROJECT_CONFIG, editProjectConfig, readProjectConfig } from '../define/project-config.js';
import { PipelineError, closestName } from '../errors.js';
import { REMOTE_NAME, checkSpec, locate, type RemoteLocation, type RemoteSpec } from './url.js';

export interface NamedRemote {
  readonly name: string;
  readonly spec: RemoteSpec;
  readonly location: RemoteLocation;
  readonly isDefault: boolean;
}

export function listRemotes(root: string): NamedRemote[] {
  const data = readProjectConfig(root)?.data;
  return Object.entries(data?.remotes ?? {}).map(([name, spec]) => ({ name, spec, location: locate(spec, root), isDefault: data?.default_remote === name }));
}

/** The remote a command works with; a clear error when there is none or the name is unknown. */
export function chooseRemote(root: string, name: string | undefined): NamedRemote {
  const remotes = listRemotes(root);
  if (name !== undefined) {
    const found = remotes.find((r) => r.name === name);
    if (!found) throw unknownRemote(name, remotes.map((r) => r.name));
    return found;
  }
  const chosen = remotes.find((r) => r.isDefault) ?? (remotes.length === 1 ? remotes[0] : undefined);
  if (chosen) return chosen;
  if (remotes.length === 0) {
    throw new PipelineError('remote', `no remote is configured in ${PROJECT_CONFIG}`, undefined, '`pipewright remote add NAME URL` adds one (a shared folder or s3://bucket/prefix)');
  }
  throw new PipelineError('remote', `${remotes.length} remotes are configured and none is the default`, undefined,
    `name one with -r (${remotes.map((r) => r.name).join(', ')}), or make one the default: pipewright remote add NAME URL --default --force`);
}

export function unknownRemote(name: string, known: readonly string[]): PipelineError {
  const guess = closestName(name, known);
  return new PipelineError('remote', `no remote named "${name}" in ${PROJECT_CONFIG}`, undefined,
    known.length === 0 ? '`pipewright remote add NAME URL` adds one' : `${guess ? `did you mean "${guess}"? ` : ''}configured: ${known.join(', ')}`);
}

export interface AddOptions {
  readonly makeDefault?: boolean;
  /** Replace a remote of the same name. */
  readonly force?: boolean;
}

/** Adds (or with `force` replaces) a remote; checked before the file is touched. */
export async function addRemote(root: string, name: string, spec: RemoteSpec, options: AddOptions = {}): Promise<void> {
  if (!REMOTE_NAME.test(name)) {
    throw new PipelineError('remote', `"${name}" is not a usable remote name`, undefined, 'use letters, digits, "_", "." and "-", starting with a letter or digit');
  }
  const problem = checkSpec(spec);
  if (problem) throw new PipelineError('remote', problem.message, undefined, problem.hint);
  const existing = listRemotes(root).find((r) => r.name === name);
  if (existing && !options.force) {
    throw new PipelineError('remote', `a remote named "${name}" already exists (${existing.spec.url})`, undefined, 'add --force to replace it, or choose another name');
  }
  editProjectConfig(root, (doc) => {
    const value: Record<string, string> = { url: spec.url };
    if (spec.endpoint) value['endpoint'] = spec.endpoint;
    if (spec.region) value['region'] = spec.region;
    doc.setIn(['remotes', name], doc.createNode(value));
    if (options.makeDefault) doc.set('default_remote', name);
  });
}

/** Removes a remote, and `default_remote` with it when it named this one. Objects on the remote stay. */
export async function removeRemote(root: string, name: string): Promise<void> {
  const data = readProjectConfig(root)?.data;
  const known = Object.keys(data?.remotes ?? {});
  if (!known.includes(name)) throw unknownRemote(name, known);
  editProjectConfig(root, (doc: Document.Parsed) => {
    doc.deleteIn(['remotes', name]);
    if (doc.get('default_remote') === name) doc.delete('default_remote');
    // An empty `remotes:` left behind reads as null, which the schema would refuse.
    const remotes = doc.get('remotes') as { items?: unknown[] } | undefined;
    if (remotes?.items?.length === 0) doc.delete('remotes');
  });
}
