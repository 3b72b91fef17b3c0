/**
 * `pipewright queue add|list|start` (DVC's `exp queue`, mlpipeline's versions run one after
 * another): runs waiting in the store, started in order. Entries added while the queue runs are
 * picked up; a failed entry is recorded and the queue goes on.
 */
import { Command } from 'commander';
export declare function queueCommandDefinition(): Command;
