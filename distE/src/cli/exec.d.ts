/**
 * `pipewright exec STAGE`: run one stage instance right here, through the same exec path every
 * executor uses, without its upstream. What a cluster task (Kubeflow, Argo) runs.
 */
import { Command } from 'commander';
export declare function execCommandDefinition(): Command;
