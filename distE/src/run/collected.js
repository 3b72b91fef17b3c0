/**
 * What a collecting stage receives when it runs on its own (`pipewright exec`, a cluster task):
 * every instance it collects, rebuilt from the lockfile, where each finished instance left its
 * params and (for a TS stage that returned them) its metrics; metrics files are read as they are.
 */
import { readLockfile } from '../cache/lockfile.js';
import { declaredStage } from '../define/declaration.js';
import { readMetrics } from '../executors/exec-instance.js';
import { resolveStage } from '../graph/resolve.js';
export function collectedFromLock(graph, node, warn) {
    const root = graph.declaration.root;
    const lock = readLockfile(root, warn);
    const collected = {};
    for (const [key, of] of Object.entries(node.collects)) {
        const declared = declaredStage(graph.declaration, of);
        const swept = Object.keys(declared.sweep?.space ?? {});
        // A grid/random sweep's instances are in the graph; a generated one's only in the lockfile.
        const names = graph.nodes.get(of)?.generated
            ? Object.keys(lock).filter((name) => name === of || name.startsWith(`${of}@`))
            : graph.sweeps.get(of) ?? [of];
        collected[key] = names.flatMap((name) => {
            const entry = lock[name];
            if (!entry)
                return [];
            const values = Object.fromEntries(swept.filter((k) => k in entry.params).map((k) => [k, entry.params[k]]));
            const instance = resolveStage(graph.declaration, declared, entry.params, { name, values });
            const metrics = readMetrics(root, instance) ?? entry.metrics;
            return [{ name, params: entry.params, values, status: 'skipped', ...(metrics ? { metrics } : {}) }];
        });
    }
    return collected;
}
//# sourceMappingURL=collected.js.map