/** The public API of pipewright. */
export { stage, pipeline, isStage, isPipeline } from './define/stage.js';
export type {
  Stage, StageOptions, StageContext, StageLogger, OutRef, Metrics, ExecutorKind, PipelineDefinition, StageDefinition,
} from './define/stage.js';
export { runPipeline, type RunOptions } from './run/run-pipeline.js';
export { openProject, type Project } from './run/project.js';
export type { RunEvent, RunSummary, FailMode } from './run/events.js';
export { PipelineError, StageFailure, CancelledError, type ErrorCode } from './errors.js';
