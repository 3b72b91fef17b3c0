/** Why a stage instance will run, or be restored: what status prints and `run` reports. */
import { flattenParams } from '../define/interpolate.js';
import type { MissingParam } from '../define/declaration.js';
import type { FingerprintParts } from './fingerprint.js';
import type { LockEntry } from './lockfile.js';

export type Reason =
  | { readonly kind: 'never-run' }
  | { readonly kind: 'forced' }
  | { readonly kind: 'always-changed' }
  | { readonly kind: 'frozen' }
  | { readonly kind: 'param-changed'; readonly key: string; readonly from?: unknown; readonly to?: unknown }
  | { readonly kind: 'dep-changed'; readonly path: string; readonly change: 'modified' | 'added' | 'removed' | 'missing' }
  | { readonly kind: 'code-changed'; readonly what: readonly string[] }
  | { readonly kind: 'outs-changed' }
  | { readonly kind: 'out-missing'; readonly path: string }
  | { readonly kind: 'out-modified'; readonly path: string }
  | { readonly kind: 'upstream-will-run'; readonly stage: string }
  | { readonly kind: 'generated-sweep' }
  | { readonly kind: 'dvc-lock' }
  | { readonly kind: 'external-unchecked'; readonly path: string; readonly why: string }
  | { readonly kind: 'dep-missing'; readonly path: string; readonly help: string }
  | { readonly kind: 'on-remote'; readonly remote: string }
  | { readonly kind: 'param-missing'; readonly file: string; readonly key: string; readonly noFile?: boolean }
  | { readonly kind: 'dep-from-dvc-cache'; readonly path: string; readonly dvcFile: string }
  | { readonly kind: 'upstream-blocked'; readonly stage: string };

/** What differs between the last recorded run and now. */
export function changeReasons(lock: LockEntry | undefined, parts: FingerprintParts): Reason[] {
  if (!lock) return [{ kind: 'never-run' }];
  const reasons: Reason[] = [];
  if ('cmd' in lock.code || 'cmd' in parts.code) {
    // A command that differs only by the params inserted into it is reported as the param change.
    const template = (code: typeof lock.code) => ('cmd' in code ? code.template ?? code.cmd : undefined);
    if (template(lock.code) !== template(parts.code)) reasons.push({ kind: 'code-changed', what: ['command'] });
  } else {
    const before = lock.code.files;
    const now = parts.code.files;
    const changed = [...new Set([...Object.keys(before), ...Object.keys(now)])].filter((f) => before[f] !== now[f]).sort();
    if (lock.code.fn !== parts.code.fn && changed.length === 0) changed.push('run function');
    if (changed.length) reasons.push({ kind: 'code-changed', what: changed });
  }
  const oldParams = new Map(flattenParams(lock.params));
  const newParams = new Map(flattenParams(parts.params));
  for (const key of [...new Set([...oldParams.keys(), ...newParams.keys()])].sort()) {
    const from = oldParams.get(key);
    const to = newParams.get(key);
    if (JSON.stringify(from) !== JSON.stringify(to)) reasons.push({ kind: 'param-changed', key, from, to });
  }
  // The command changed through a value that is not a declared param (a dvc.yaml `vars` entry).
  if ('cmd' in lock.code && 'cmd' in parts.code && lock.code.cmd !== parts.code.cmd
    && !reasons.some((r) => r.kind === 'code-changed' || r.kind === 'param-changed')) {
    reasons.push({ kind: 'code-changed', what: ['command'] });
  }
  const oldDeps = new Map(lock.deps.map((d) => [d.path, d.hash]));
  for (const [path, hash] of Object.entries(parts.deps).sort()) {
    const before = oldDeps.get(path);
    if (before === undefined) reasons.push({ kind: 'dep-changed', path, change: 'added' });
    else if (hash === MISSING) reasons.push({ kind: 'dep-changed', path, change: 'missing' });
    else if (before !== hash) reasons.push({ kind: 'dep-changed', path, change: 'modified' });
  }
  for (const path of oldDeps.keys()) if (!(path in parts.deps)) reasons.push({ kind: 'dep-changed', path, change: 'removed' });
  if (JSON.stringify(lock.outs.map(outKey)) !== JSON.stringify(parts.outs)) reasons.push({ kind: 'outs-changed' });
  return reasons;
}

/** Stands in for the hash of a dep that is not there. */
export const MISSING = 'missing';

export function outKey(out: { path: string; cache: boolean }): string {
  return out.cache ? out.path : `${out.path} (not cached)`;
}

export function describeReason(reason: Reason): string {
  switch (reason.kind) {
    case 'never-run': return 'never run';
    case 'forced': return 'forced';
    case 'always-changed': return 'always changed';
    case 'frozen': return 'frozen';
    case 'param-changed':
      return reason.from === undefined ? `param ${reason.key} added (${show(reason.to)})`
        : reason.to === undefined ? `param ${reason.key} removed (was ${show(reason.from)})`
        : `param ${reason.key} changed ${show(reason.from)} → ${show(reason.to)}`;
    case 'dep-changed': return `dep ${reason.path} ${reason.change}`;
    case 'code-changed': return reason.what[0] === 'command' ? 'command changed' : `code changed: ${reason.what.join(', ')}`;
    case 'outs-changed': return 'outs changed';
    case 'out-missing': return `out ${reason.path} missing`;
    case 'out-modified': return `out ${reason.path} modified`;
    case 'upstream-will-run': return `upstream ${reason.stage} will run`;
    case 'external-unchecked': return `dep ${reason.path} is external, not checked: ${reason.why}`;
    case 'dvc-lock': return "as dvc.lock records it: DVC's outs reused, not recomputed";
    case 'dep-missing': return `dep ${reason.path} missing: ${reason.help}`;
    case 'on-remote': return `from remote ${reason.remote}, where a run with these inputs is recorded`;
    case 'param-missing': return reason.noFile
      ? `params file ${reason.file} missing (the stage lists its param ${reason.key}): create it, or remove the param from the stage`
      : `param ${reason.key} missing from ${reason.file}: add it there, or remove it from the stage's params`;
    case 'dep-from-dvc-cache': return `dep ${reason.path} will be linked from DVC's cache (tracked by ${reason.dvcFile})`;
    case 'upstream-blocked': return `upstream ${reason.stage} is blocked`;
    case 'generated-sweep': return 'its generator decides the instances while it runs (each cached on its own)';
  }
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A param its file lacks, as a reason: what `status` says and `run` blocks on. */
export function paramMissing(missing: MissingParam): Reason {
  return { kind: 'param-missing', file: missing.file, key: missing.key, ...(missing.noFile ? { noFile: true } : {}) };
}
