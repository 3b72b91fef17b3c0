/**
 * Test rig: a temp project folder, files written into it, and the real `pipewright` CLI run in it
 * with a pinned environment (no colours, no CI variables), as a user would run it.
 */
import { type ChildProcess } from 'node:child_process';
export declare const REPO: string;
export declare const CLI: string;
export interface CliResult {
    readonly code: number | null;
    readonly signal: NodeJS.Signals | null;
    readonly stdout: string;
    readonly stderr: string;
}
export declare class TestProject {
    readonly dir: string;
    constructor(files?: Record<string, string>);
    write(files: Record<string, string>): void;
    read(path: string): string;
    exists(path: string): boolean;
    path(path: string): string;
    /** Starts the CLI in the project; the caller may signal it before awaiting `done`. */
    start(args: readonly string[]): {
        child: ChildProcess;
        done: Promise<CliResult>;
        output: () => string;
    };
    run(...args: string[]): Promise<CliResult>;
    remove(): void;
}
/** Waits until `check` holds, polling; fails after `timeoutMs`. */
export declare function waitFor(check: () => boolean, what: string, timeoutMs?: number): Promise<void>;
/**
 * Stage code for a pair of stages that can only both finish if they run at the same time: each
 * writes its own signal file, then waits for the other's (failing after 15 s rather than hanging).
 */
export declare function rendezvousScript(): string;
/** Every live descendant of a process, from /proc (Linux). */
export declare function descendants(pid: number): number[];
/** Like pulling the plug: SIGKILL to a process and everything it started, at once. */
export declare function killTree(pid: number): void;
/** `project(files)` for one test file: every project it makes is removed after the file's tests. */
export declare function useProjects(): (files?: Record<string, string>) => TestProject;
