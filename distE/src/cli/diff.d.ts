/** `pipewright diff [A] [B]`: params and metrics that changed between two runs, with deltas. */
import { Command } from 'commander';
import type { RunDiff } from '../report/runs.js';
export declare function diffCommandDefinition(): Command;
/** `diff`, and `metrics diff` (`what: 'metrics'`): the same comparison, shown whole or metrics only. */
export declare function runDiffCommand(name: string, description: string, what: 'both' | 'metrics'): Command;
export declare function printDiff(diff: RunDiff, what: 'both' | 'metrics'): void;
