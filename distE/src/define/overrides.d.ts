import { type PipelineDeclaration, type StageOverrides } from './declaration.js';
export interface ParamOverrides {
    /** Per stage: dotted key → value. */
    readonly stages: ReadonlyMap<string, StageOverrides>;
    /** Keys of params.yaml set for every stage (YAML pipelines only). */
    readonly global: Readonly<Record<string, unknown>>;
}
export declare const NO_OVERRIDES: ParamOverrides;
export declare function parseOverrides(specs: readonly string[], declaration: PipelineDeclaration): ParamOverrides;
