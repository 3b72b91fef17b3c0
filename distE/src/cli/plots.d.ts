import { Command } from 'commander';
export declare function plotsCommandDefinition(): Command;
