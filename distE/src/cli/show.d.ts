/** `pipewright show RUN`: one run in full: when, where, how, and every instance with its params and metrics. */
import { Command } from 'commander';
export declare function showCommandDefinition(): Command;
