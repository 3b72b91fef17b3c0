import type { PlotDefinition } from './declaration.js';
export declare function parsePlotDefinitions(raw: unknown, wdir?: string): PlotDefinition[];
