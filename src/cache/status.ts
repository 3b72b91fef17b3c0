/**
 * What `run` would do, and why, without doing any of it. A stage whose upstream will run cannot
 * be judged yet (its inputs do not exist); it is reported as waiting on that upstream. A missing
 * dep that `run` would link in from DVC's cache first is judged as it will be once linked (its
 * cache objects read and md5-checked as `run` checks them, nothing written); only a dep in neither
 * the workspace nor DVC's cache blocks its stage.
 */
import type { GraphNode, PipelineGraph } from '../graph/graph.js';
import type { ContentHash } from './hash.js';
import { describeReason, paramMissing, type Reason } from './reasons.js';
import { MissingDeps } from './missing-deps.js';
import type { Decision, StageCache } from './stage-cache.js';
import { ExternalDepError, externalFingerprint } from './external-fingerprint.js';

export type StageState = 'up-to-date' | 'will-run' | 'will-restore' | 'frozen' | 'blocked' | 'error';

export interface StageStatus {
  readonly stage: string;
  readonly state: StageState;
  readonly reasons: readonly (Reason & { readonly text: string })[];
  /** For `error`: what is wrong. */
  readonly message?: string;
}

export async function pipelineStatus(graph: PipelineGraph, stages: readonly string[], cache: StageCache, force = false): Promise<StageStatus[]> {
  const result: StageStatus[] = [];
  const willRun = new Set<string>();
  const blocked = new Set<string>();
  const expected = new Map<string, ContentHash>();
  const expectedMd5 = new Map<string, string>();
  const missing = new MissingDeps(graph);
  const described = (reasons: readonly Reason[]) => reasons.map((r) => ({ ...r, text: describeReason(r) }));
  for (const name of stages) {
    const node = graph.nodes.get(name)!;
    const { fromDvcCache, blocked: deps } = await missing.split(name);
    const blockedUp = node.upstream.find((u) => blocked.has(u));
    const params = node.missingParams ?? [];
    if (deps.length || params.length || blockedUp) {
      blocked.add(name);
      const reasons: Reason[] = deps.length || params.length
        ? [...deps.map((d): Reason => ({ kind: 'dep-missing', path: d.path, help: d.help })), ...params.map(paramMissing)]
        : [{ kind: 'upstream-blocked', stage: blockedUp! }];
      result.push({ stage: name, state: 'blocked', reasons: described(reasons) });
      continue;
    }
    // Judged as after `run` links them in: said first, whatever else is decided.
    for (const dep of fromDvcCache) {
      expected.set(dep.path, dep.hash);
      if (dep.md5) expectedMd5.set(dep.path, dep.md5);
    }
    const linked: Reason[] = fromDvcCache.map((d) => ({ kind: 'dep-from-dvc-cache', path: d.path, dvcFile: d.dvcFile }));
    const withText = (reasons: readonly Reason[]) => described([...linked, ...reasons]);
    const blocking = node.upstream.find((u) => willRun.has(u));
    if (blocking) {
      willRun.add(name);
      result.push({ stage: name, state: 'will-run', reasons: withText([{ kind: 'upstream-will-run', stage: blocking }]) });
      continue;
    }
    if (node.generated) {
      // Nothing to judge before the generator has proposed its points; what follows waits on it.
      willRun.add(name);
      result.push({ stage: name, state: 'will-run', reasons: withText([{ kind: 'generated-sweep' }]) });
      continue;
    }
    let decision: Decision;
    try {
      ({ decision } = await cache.plan(node, { force, expected, expectedMd5, lookOnly: true }));
    } catch (err) {
      // An external dep that cannot be reached: this stage cannot be judged; the rest can.
      if (!(err instanceof ExternalDepError)) throw err;
      willRun.add(name);
      result.push({ stage: name, state: 'error', reasons: withText([]), message: (err as Error).message });
      continue;
    }
    const unchecked = await uncheckedExternals(node);
    switch (decision.action) {
      case 'skip':
        result.push({ stage: name, state: node.frozen ? 'frozen' : 'up-to-date', reasons: withText([...decision.reasons, ...unchecked]) });
        break;
      case 'restore':
        if (decision.from === 'dvc') for (const out of decision.dvc) expectedMd5.set(out.path, out.md5);
        else for (const out of decision.entry.outs) expected.set(out.path, out.hash);
        result.push({ stage: name, state: 'will-restore', reasons: withText([...(decision.from === 'remote' ? [{ kind: 'on-remote', remote: decision.remote } as const] : []), ...decision.reasons, ...unchecked]) });
        break;
      case 'run':
        willRun.add(name);
        result.push({ stage: name, state: 'will-run', reasons: withText([...decision.reasons, ...unchecked]) });
        break;
      case 'fail':
        willRun.add(name);
        result.push({ stage: name, state: 'error', reasons: withText(decision.reasons), message: decision.message });
        break;
    }
  }
  return result;
}

/** External deps that no client here can check: said, so that "up to date" is not taken for more than it is. */
async function uncheckedExternals(node: GraphNode): Promise<Reason[]> {
  const reasons: Reason[] = [];
  // http(s) deps were checked by the plan (a HEAD request); the others cannot be.
  for (const dep of node.deps.filter((d) => d.external && !/^https?:/i.test(d.path))) {
    const state = await externalFingerprint(dep.path);
    if (!state.checked) reasons.push({ kind: 'external-unchecked', path: dep.path, why: state.why });
  }
  return reasons;
}
