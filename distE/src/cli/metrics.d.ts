/** `pipewright metrics show|diff`: the metrics of a run, or how they changed between two. */
import { Command } from 'commander';
export declare function metricsCommandDefinition(): Command;
