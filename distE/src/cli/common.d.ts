import { type Command } from 'commander';
export declare const ExitCode: {
    readonly ok: 0;
    readonly stageFailed: 1;
    readonly usage: 2;
    readonly cancelled: 130;
};
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
export declare function addProjectOption(command: Command): Command;
/** Moves into the project folder, so that stages in every executor see it as their cwd. */
export declare function enterProject(dir: string): string;
export declare function positiveInt(value: string): number;
export declare function collect(value: string, previous: string[]): string[];
/** Runs a command's body: a PipelineError becomes its message and exit code 2. */
export declare function runCommand(body: () => Promise<ExitCode>): Promise<void>;
/** The project's run store, for commands that read history; a clear error when nothing was recorded. */
export declare function openRunStore(dir: string): Promise<import('../store/run-store.js').RunStore>;
/** The run store, or undefined when the project has none yet (a list of runs is then just empty). */
export declare function openRunStoreIfAny(dir: string): Promise<import('../store/run-store.js').RunStore | undefined>;
export declare function printJson(value: unknown): void;
