/** The public API of pipewright. */
export { stage, pipeline, isStage, isPipeline } from './define/stage.js';
export { grid, choice, uniform, loguniform, int, randomSource, sample } from './define/sweep.js';
export { collect } from './define/collect.js';
export { refine } from './define/strategies.js';
export { runPipeline } from './run/run-pipeline.js';
export { openProject } from './run/project.js';
export { PipelineError, StageFailure, CancelledError } from './errors.js';
//# sourceMappingURL=index.js.map