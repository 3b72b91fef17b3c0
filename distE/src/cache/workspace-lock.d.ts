export interface WorkspaceLock {
    release(): void;
}
export declare function acquireWorkspaceLock(file: string, command: string, notice: (message: string) => void): WorkspaceLock;
/** Whether a process of this host is still there (EPERM: it is, but another user's). */
export declare function isAlive(pid: number): boolean;
