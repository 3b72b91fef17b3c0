import type { InstanceResult } from '../define/sweep.js';
import type { PipelineGraph } from '../graph/graph.js';
import { type ResolvedStage } from '../graph/resolve.js';
export declare function collectedFromLock(graph: PipelineGraph, node: ResolvedStage, warn: (message: string) => void): Record<string, InstanceResult[]>;
