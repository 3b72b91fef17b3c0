import * as z from '../zod.js';
import type { RunEventListener, RunSummary } from './events.js';
export declare const runOptionsSchema: z.ZodMiniObject<{
    dir: z.ZodMiniDefault<z.ZodMiniString<string>>;
    targets: z.ZodMiniDefault<z.ZodMiniArray<z.ZodMiniString<string>>>;
    downstream: z.ZodMiniDefault<z.ZodMiniBoolean<boolean>>;
    jobs: z.ZodMiniDefault<z.ZodMiniInt>;
    failMode: z.ZodMiniDefault<z.ZodMiniEnum<{
        "fail-fast": "fail-fast";
        "keep-going": "keep-going";
    }>>;
    overrides: z.ZodMiniDefault<z.ZodMiniArray<z.ZodMiniString<string>>>;
    force: z.ZodMiniDefault<z.ZodMiniBoolean<boolean>>;
    links: z.ZodMiniDefault<z.ZodMiniArray<z.ZodMiniEnum<{
        copy: "copy";
        hardlink: "hardlink";
        reflink: "reflink";
    }>>>;
    streamOutput: z.ZodMiniDefault<z.ZodMiniBoolean<boolean>>;
    command: z.ZodMiniDefault<z.ZodMiniString<string>>;
    record: z.ZodMiniDefault<z.ZodMiniBoolean<boolean>>;
    name: z.ZodMiniOptional<z.ZodMiniString<string>>;
    version: z.ZodMiniOptional<z.ZodMiniString<string>>;
    argv: z.ZodMiniDefault<z.ZodMiniArray<z.ZodMiniString<string>>>;
    dev: z.ZodMiniDefault<z.ZodMiniBoolean<boolean>>;
}, z.core.$strip>;
export type FilledRunOptions = z.output<typeof runOptionsSchema>;
export type RunOptions = z.input<typeof runOptionsSchema> & {
    readonly signal?: AbortSignal;
    readonly onEvent?: RunEventListener;
    /**
     * Told the run's id and name as soon as it is in the store. A no-op answered by the fast path
     * is journaled and gets them later, so it is not told, unless `recordNow` asks for the store.
     */
    readonly onRecord?: (run: {
        readonly id: number;
        readonly name: string;
    }) => void;
    readonly recordNow?: boolean;
};
export declare function runPipeline(options?: RunOptions): Promise<RunSummary>;
