import { Command } from 'commander';
export declare function checkoutCommandDefinition(): Command;
