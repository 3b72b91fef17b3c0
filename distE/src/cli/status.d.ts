/** `pipewright status`: what `run` would do for each stage, and why. Runs nothing. */
import { Command } from 'commander';
export declare function statusCommandDefinition(): Command;
