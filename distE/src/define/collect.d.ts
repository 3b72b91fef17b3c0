import { type AllRef, type CollectedInstance, type Stage, type StageDefinition } from './stage.js';
export interface CollectOptions {
    readonly desc?: string;
    /** The sweep to collect: a stage or its `.all`. */
    readonly from: StageDefinition | AllRef;
    /** Where to write the table (CSV) and the list (JSON); at least one. */
    readonly csv?: string;
    readonly json?: string;
}
export declare function collect(name: string, options: CollectOptions): Stage;
/** Writes the instances to each file, in the format its extension names (.csv or .json). */
export declare function writeCollection(instances: readonly CollectedInstance[], files: readonly string[], root: string): Promise<void>;
/** One row per instance: its name and status, then every param and metric (nested keys dotted). */
export declare function toTable(instances: readonly CollectedInstance[], separator?: string): string;
