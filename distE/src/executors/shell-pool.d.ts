export declare class ShellPool {
    private readonly idle;
    private readonly all;
    /** Every group ever started: closing kills what was left running in any of them. */
    private readonly groups;
    /** Whether a command and its paths fit the line protocol (no newline anywhere, no tab in paths). */
    static accepts(command: string, cwd: string, logFile: string): boolean;
    run(command: string, cwd: string, logFile: string, signal: AbortSignal): Promise<void>;
    /** Ends every shell and whatever they left running. */
    close(): void;
    private start;
    private forget;
}
