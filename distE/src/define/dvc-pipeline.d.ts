import type { PipelineDeclaration } from './declaration.js';
export declare function loadDvcPipeline(file: string): PipelineDeclaration;
