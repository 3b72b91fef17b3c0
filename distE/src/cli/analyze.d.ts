import { Command } from 'commander';
export declare function analyzeCommandDefinition(): Command;
