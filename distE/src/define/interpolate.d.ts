import { type SourcePosition } from '../errors.js';
import type { Params } from './declaration.js';
/** The dotted param paths a template refers to (`${params.a.b}` → `a.b`). */
export declare function referencedParams(template: string): string[];
export declare function lookupPath(data: unknown, dotted: string): {
    found: true;
    value: unknown;
} | {
    found: false;
};
export declare function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void;
export declare function flattenParams(params: Params, prefix?: string): [string, unknown][];
interface InterpolateOptions {
    readonly stage: string;
    readonly where?: SourcePosition;
    readonly mode: 'shell' | 'path';
}
export declare function interpolate(template: string, params: Params, options: InterpolateOptions): string;
export {};
