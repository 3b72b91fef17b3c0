/** `pipewright run`: run the pipeline, or the named stages with their upstream. */
import { Command } from 'commander';
export declare function runCommandDefinition(): Command;
