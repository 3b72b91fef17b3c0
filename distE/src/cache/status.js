import { describeReason } from './reasons.js';
export async function pipelineStatus(graph, stages, cache, force = false) {
    const result = [];
    const willRun = new Set();
    const expected = new Map();
    const withText = (reasons) => reasons.map((r) => ({ ...r, text: describeReason(r) }));
    for (const name of stages) {
        const node = graph.nodes.get(name);
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
        const { decision } = await cache.plan(node, { force, expected });
        switch (decision.action) {
            case 'skip':
                result.push({ stage: name, state: node.frozen ? 'frozen' : 'up-to-date', reasons: withText(decision.reasons) });
                break;
            case 'restore':
                for (const out of decision.entry.outs)
                    expected.set(out.path, out.hash);
                result.push({ stage: name, state: 'will-restore', reasons: withText(decision.reasons) });
                break;
            case 'run':
                willRun.add(name);
                result.push({ stage: name, state: 'will-run', reasons: withText(decision.reasons) });
                break;
            case 'fail':
                willRun.add(name);
                result.push({ stage: name, state: 'error', reasons: withText(decision.reasons), message: decision.message });
                break;
        }
    }
    return result;
}
//# sourceMappingURL=status.js.map