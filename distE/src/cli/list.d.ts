/** `pipewright list`: the stages, what they read and write, and what they wait for. */
import { Command } from 'commander';
export interface StageListing {
    readonly name: string;
    readonly kind: 'cmd' | 'ts';
    /** The declared stage, for a sweep's instance. */
    readonly of?: string;
    readonly deps: readonly string[];
    readonly outs: readonly string[];
    readonly upstream: readonly string[];
    /** Stages whose every instance this one collects, with how many there are now. */
    readonly collects?: Readonly<Record<string, number>>;
}
export declare function listCommandDefinition(): Command;
