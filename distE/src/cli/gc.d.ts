/** `pipewright gc`: free cache space no out in the lockfile (or the run-cache) refers to. */
import { Command } from 'commander';
export declare function gcCommandDefinition(): Command;
