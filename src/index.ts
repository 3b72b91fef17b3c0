/**
 * The public API of pipewright.
 * @packageDocumentation
 */
export { stage, pipeline, isStage, isPipeline } from './define/stage.js';
export type {
  Stage, StageOptions, StageContext, StageLogger, OutRef, AllRef, CollectedInstance, Metrics, ExecutorKind, PipelineDefinition, StageDefinition, SweepOptions,
} from './define/stage.js';
export { grid, choice, uniform, loguniform, int, randomSource, sample } from './define/sweep.js';
export type { Dimension, Space, SpaceEntry, SweepGenerator, InstanceResult } from './define/sweep.js';
export { collect, type CollectOptions } from './define/collect.js';
export { refine, type RefineOptions } from './define/strategies.js';
export { runPipeline, type RunOptions } from './run/run-pipeline.js';
export { openProject, type Project } from './run/project.js';
export type { RunEvent, RunSummary, FailMode } from './run/events.js';
export { PipelineError, StageFailure, CancelledError, type ErrorCode } from './errors.js';
export { cell, source, isCell } from './flow/cell.js';
export type { Cell, SourceCell, SourceOptions, CellDefinition, CellContext, CellOptions, BatchCellOptions, BatchOptions, ErrorPolicy, FlowExecutorKind, InPort, OutPort } from './flow/cell.js';
export { flow, isFlow } from './flow/flow.js';
export type { FlowDefinition, FlowOptions, FlowOutput, ConnectedFlowSpec } from './flow/flow.js';
export type { FlowRun, FlowRunOptions, ErrorRecord, ItemOutcome } from './flow/run.js';
export type { FlowMetrics, CellMetrics } from './flow/metrics.js';
export { ItemFailedError, FlowAbortedError } from './flow/errors.js';
