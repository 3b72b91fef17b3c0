/** `pipewright runs`: the recorded runs, one row each, with the params that differ and the metrics; `runs rm`. */
import { Command } from 'commander';
export declare function runsCommandDefinition(): Command;
/** `12 ran, 3 up to date`, compactly: `12/3/0/0` would say nothing to a reader. */
export declare function instanceSummary(counts: Readonly<Record<string, number>> | undefined): string;
