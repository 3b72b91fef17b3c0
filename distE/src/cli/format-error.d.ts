import type { PipelineError } from '../errors.js';
export declare function formatPipelineError(error: PipelineError): string;
