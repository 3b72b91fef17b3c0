/**
 * Errors a user can act on. Every error caused by the user's input (a pipeline file, a params
 * file, a command-line flag) is a `PipelineError` with a `code` that tests and the UI match on,
 * and, where there is one, the file and position it points at. The CLI formats them in one place
 * (cli/format-error.ts) and exits with code 2.
 */
export type ErrorCode = 'usage' | 'pipeline-not-found' | 'pipeline-load' | 'yaml-syntax' | 'yaml-schema' | 'params-file' | 'param-invalid' | 'param-override' | 'duplicate-stage' | 'unknown-stage' | 'cycle' | 'missing-dep' | 'out-conflict' | 'out-overlap' | 'bad-input' | 'interpolation' | 'bad-sweep' | 'unknown-run' | 'locked';
export interface SourcePosition {
    readonly file: string;
    /** 1-based line. */
    readonly line?: number;
    /** 1-based column. */
    readonly col?: number;
}
export declare class PipelineError extends Error {
    readonly code: ErrorCode;
    readonly where?: SourcePosition | undefined;
    /** What the user can do about it. */
    readonly hint?: string | undefined;
    readonly name = "PipelineError";
    constructor(code: ErrorCode, message: string, where?: SourcePosition | undefined, 
    /** What the user can do about it. */
    hint?: string | undefined);
}
export declare function isPipelineError(err: unknown): err is PipelineError;
/** A stage failed while running: its own code threw, or its command exited non-zero. */
export declare class StageFailure extends Error {
    readonly exitCode?: number | undefined;
    readonly signal?: string | undefined;
    readonly name = "StageFailure";
    constructor(message: string, exitCode?: number | undefined, signal?: string | undefined);
}
/** The run was cancelled (Ctrl-C, or fail-fast after another stage failed). */
export declare class CancelledError extends Error {
    readonly name = "CancelledError";
    constructor(reason?: unknown);
}
/** Suggest the closest known name, for "Do you mean ...?" hints. */
export declare function closestName(name: string, known: Iterable<string>): string | undefined;
