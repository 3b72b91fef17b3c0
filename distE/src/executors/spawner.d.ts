export interface CommandExit {
    readonly code: number | null;
    readonly signal: NodeJS.Signals | null;
}
export declare class Spawner {
    private child;
    private nextId;
    private readonly waiting;
    /** Runs a shell command in its own process group, its output written to `logFile`. */
    run(command: string, cwd: string, logFile: string): {
        id: number;
        exit: Promise<CommandExit>;
    };
    signal(id: number, signal: NodeJS.Signals): void;
    close(): void;
    private start;
}
