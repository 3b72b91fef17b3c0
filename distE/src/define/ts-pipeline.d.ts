import type { PipelineDeclaration } from './declaration.js';
import { type PipelineDefinition } from './stage.js';
export declare function loadTsPipeline(file: string): Promise<PipelineDeclaration>;
export declare function declarePipeline(definition: PipelineDefinition, file: string): PipelineDeclaration;
