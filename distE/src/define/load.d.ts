import type { PipelineDeclaration } from './declaration.js';
/** Looked for in this order. */
export declare const PIPELINE_FILES: readonly ['pipewright.ts', 'pipewright.yaml', 'pipewright.yml', 'dvc.yaml'];
export declare function findPipelineFile(dir: string): string;
export declare function loadPipeline(file: string): Promise<PipelineDeclaration>;
