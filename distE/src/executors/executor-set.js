import { InlineExecutor } from './inline.js';
import { ProcessesExecutor } from './processes.js';
import { ThreadsExecutor } from './threads.js';
export function createExecutorSet(jobs) {
    const made = new Map();
    const factories = {
        inline: () => new InlineExecutor(),
        threads: () => new ThreadsExecutor(jobs),
        processes: () => new ProcessesExecutor(),
    };
    return {
        get(kind) {
            let executor = made.get(kind);
            if (!executor) {
                executor = factories[kind]();
                made.set(kind, executor);
            }
            return executor;
        },
        async close() {
            await Promise.all([...made.values()].map((e) => e.close()));
            made.clear();
        },
    };
}
//# sourceMappingURL=executor-set.js.map