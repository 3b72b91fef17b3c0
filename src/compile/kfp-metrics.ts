/**
 * A stage's metrics as Kubeflow's own: a `system.Metrics` output artifact, as components written
 * with the KFP SDK's `Output[Metrics]` have, so that the run's page shows them and runs can be
 * compared on them. Kubeflow hands the container its executor input (`{{$}}`: where each output
 * artifact goes and where to write the executor output); `exec --cached --kfp-executor-input`
 * writes the artifact's metadata (the metrics, numbers only, dotted keys for nested ones) into
 * the executor output, which is what Kubeflow records, and the metrics as JSON at the artifact's
 * local path, which the launcher uploads.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PipelineError } from '../errors.js';

/** The output's name in the component, as the SDK names an `Output[Metrics]` parameter `metrics`. */
export const METRICS_OUTPUT = 'metrics';

/** The artifact type Kubeflow shows as metrics (the SDK's `dsl.Metrics`). */
export const METRICS_ARTIFACT_TYPE = { schemaTitle: 'system.Metrics', schemaVersion: '0.0.1' } as const;

interface ExecutorInput {
  readonly outputs?: {
    readonly outputFile?: string;
    readonly artifacts?: Record<string, { readonly artifacts?: readonly { readonly name?: string; readonly uri?: string; readonly metadata?: Record<string, unknown> }[] }>;
  };
}

/** Numeric metrics by dotted key (`eval.f1`): what a Metrics artifact's metadata holds. */
export function numericMetrics(metrics: Readonly<Record<string, unknown>> | undefined, prefix = ''): Record<string, number> {
  const found: Record<string, number> = {};
  for (const [key, value] of Object.entries(metrics ?? {})) {
    if (typeof value === 'number' && Number.isFinite(value)) found[prefix + key] = value;
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) Object.assign(found, numericMetrics(value as Record<string, unknown>, `${prefix}${key}.`));
  }
  return found;
}

/** Where the launcher expects an artifact's file: the SDK's mapping of a URI to a local path. */
export function localPathOf(uri: string): string {
  for (const [scheme, mount] of [['gs://', '/gcs/'], ['s3://', '/s3/'], ['minio://', '/minio/']] as const) {
    if (uri.startsWith(scheme)) return mount + uri.slice(scheme.length);
  }
  return uri.startsWith('file://') ? fileURLToPath(uri) : uri;
}

/**
 * Reads the executor input now (bad input is exit 2 before anything runs); the function it returns
 * writes the metrics where it says: the artifact's file and the executor output.
 */
export function kfpMetricsWriter(executorInputText: string): (metrics: Readonly<Record<string, unknown>> | undefined) => void {
  let input: ExecutorInput;
  try {
    input = JSON.parse(executorInputText) as ExecutorInput;
  } catch (err) {
    throw new PipelineError('usage', `--kfp-executor-input is not JSON: ${(err as Error).message}`, undefined, "Kubeflow passes it as '{{$}}'");
  }
  const outputFile = input.outputs?.outputFile;
  const artifact = input.outputs?.artifacts?.[METRICS_OUTPUT]?.artifacts?.[0];
  if (!outputFile || !artifact?.uri) {
    throw new PipelineError('usage', `--kfp-executor-input names no outputFile or no "${METRICS_OUTPUT}" artifact`, undefined, 'it is the executor input Kubeflow gives a component with a Metrics output');
  }
  const uri = artifact.uri;
  return (metrics) => {
    const metadata = { ...artifact.metadata, ...numericMetrics(metrics) };
    const path = localPathOf(uri);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(metadata) + '\n');
    mkdirSync(dirname(outputFile), { recursive: true });
    writeFileSync(outputFile, JSON.stringify({
      artifacts: { [METRICS_OUTPUT]: { artifacts: [{ ...(artifact.name ? { name: artifact.name } : {}), uri, metadata }] } },
    }) + '\n');
  };
}
