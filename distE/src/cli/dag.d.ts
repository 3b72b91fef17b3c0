/** `pipewright dag`: draw the pipeline. */
import { Command } from 'commander';
export declare function dagCommandDefinition(): Command;
