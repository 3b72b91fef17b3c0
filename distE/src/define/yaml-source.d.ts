import type { z } from 'zod';
import { PipelineError, type ErrorCode, type SourcePosition } from '../errors.js';
export interface YamlSource {
    readonly file: string;
    /** The file's path as shown in messages (relative to the working folder). */
    readonly display: string;
    readonly data: unknown;
    /**
     * Position of the node at `path` (or of its nearest existing parent). Lazy: the document with
     * node ranges is parsed only when a line or column is first read, which only errors do.
     */
    positionOf(path: readonly (string | number)[], part?: 'key' | 'value'): SourcePosition;
}
export declare function displayPath(file: string): string;
export declare function readYamlSource(file: string, code?: ErrorCode): YamlSource;
export declare function parseYamlSource(file: string, text: string): YamlSource;
/** Turns the first zod issue into a PipelineError pointing at the offending node. */
export declare function schemaError(source: YamlSource, issues: readonly z.core.$ZodIssue[], describe: (path: readonly PropertyKey[]) => string): PipelineError;
