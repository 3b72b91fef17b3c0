import { type SourcePosition } from '../errors.js';
export type TemplateContext = Readonly<Record<string, unknown>>;
/** Resolves every string in a value, deeply. */
export declare function resolveTemplate(value: unknown, context: TemplateContext, where: () => SourcePosition | undefined, field: string, inCommand?: boolean): unknown;
/** DVC's way of turning a value into text: booleans lower-case, null empty. */
export declare function toText(value: unknown): string;
export declare function select(context: TemplateContext, expr: string, where: () => SourcePosition | undefined, field: string): unknown;
