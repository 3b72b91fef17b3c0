/**
 * Per-stage controls that every executor honours: retries with backoff, a timeout, the resources
 * an instance holds while it runs (cpus against `-j`, gpus against `--gpus`), and secrets passed
 * as environment variables. Written the same way in pipewright.yaml, in TS, and for a dvc.yaml
 * project in `pipewright.config.yaml` beside it (dvc.yaml itself has no such keys).
 */
import * as z from '../zod.js';

export interface RetryPolicy {
  /** Attempts after the first. */
  readonly limit: number;
  /** Wait before the first retry; each next one waits `factor` times longer. */
  readonly backoffMs: number;
  readonly factor: number;
}

export interface Resources {
  /** Slots of `-j` the instance holds (default 1). */
  readonly cpus: number;
  /** The cpus written, a cluster's limit; undefined when none was (then a cluster sets none: `gpus: 1` alone asks no CPU limit). */
  readonly cpuLimit?: number;
  /** Whole GPUs, or a fraction (0.5: two instances share one device). */
  readonly gpus: number;
  /** Memory in bytes, for the cluster (Kubernetes limits, worker matching); not enforced locally. */
  readonly memoryBytes?: number;
}

export interface StageControls {
  readonly retry?: RetryPolicy;
  readonly timeoutMs?: number;
  readonly resources?: Resources;
  /**
   * Environment variable → where the cluster keeps the value (`ngc/key`: secret `ngc`, key `key`).
   * Locally the value is read from the environment variable of the same name; it is never written
   * to the lockfile, logs, the run store or compiled YAML.
   */
  readonly secrets?: Readonly<Record<string, string>>;
  /** Only workers with every one of these labels take the stage's jobs (`pipewright worker --labels`). */
  readonly labels?: readonly string[];
  /** Where and as whom a compiled task's pod runs on Kubernetes; ignored elsewhere. */
  readonly kubernetes?: KubernetesKnobs;
}

/** A pod toleration, as Kubernetes writes it. */
export interface Toleration {
  readonly key?: string;
  readonly operator?: 'Exists' | 'Equal';
  readonly value?: string;
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  readonly tolerationSeconds?: number;
}

/** Kubernetes' own scheduling and identity knobs of a compiled task's pod. */
export interface KubernetesKnobs {
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly tolerations?: readonly Toleration[];
  readonly serviceAccountName?: string;
  readonly imagePullSecrets?: readonly string[];
}

/**
 * Knobs laid over others: node selector labels key by key, tolerations and pull secrets added
 * (each once), the service account replaced. Undefined when neither has any.
 */
export function mergeKubernetes(under: KubernetesKnobs | undefined, over: KubernetesKnobs | undefined): KubernetesKnobs | undefined {
  if (!under && !over) return undefined;
  const tolerations = [...under?.tolerations ?? [], ...over?.tolerations ?? []].filter((t, i, all) => all.findIndex((u) => JSON.stringify(u) === JSON.stringify(t)) === i);
  const pullSecrets = [...new Set([...under?.imagePullSecrets ?? [], ...over?.imagePullSecrets ?? []])];
  const nodeSelector = { ...under?.nodeSelector, ...over?.nodeSelector };
  const serviceAccountName = over?.serviceAccountName ?? under?.serviceAccountName;
  const merged: KubernetesKnobs = {
    ...(Object.keys(nodeSelector).length ? { nodeSelector } : {}),
    ...(tolerations.length ? { tolerations } : {}),
    ...(serviceAccountName ? { serviceAccountName } : {}),
    ...(pullSecrets.length ? { imagePullSecrets: pullSecrets } : {}),
  };
  return Object.keys(merged).length ? merged : undefined;
}

/** The short form `retries: 2` waits this long before the first retry, doubling after. */
export const DEFAULT_BACKOFF_MS = 2_000;

const UNITS_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const UNITS_BYTES: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12, ki: 2 ** 10, mi: 2 ** 20, gi: 2 ** 30, ti: 2 ** 40 };

/** `90`, `'90s'`, `'30m'`, `'1h30m'`, `'250ms'` → milliseconds; a bare number is seconds. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value * 1000 : undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return parseDuration(Number(text));
  let total = 0;
  let rest = text;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/g)) {
    total += Number(m[1]) * UNITS_MS[m[2]!]!;
    rest = rest.replace(m[0], '');
  }
  return rest.trim() === '' && total > 0 ? total : undefined;
}

/** `'8G'`, `'512Mi'`, `2000000` → bytes, as Kubernetes reads quantities. */
export function parseMemory(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]i?)?b?$/i.exec(value.trim());
  return m ? Number(m[1]) * UNITS_BYTES[(m[2] ?? '').toLowerCase()]! : undefined;
}

/** Formats milliseconds as a user wrote them: `30m`, `1h30m`, `45s`, `250ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const parts: string[] = [];
  let left = Math.round(ms / 1000);
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]] as const) {
    if (left >= size) {
      parts.push(`${Math.floor(left / size)}${unit}`);
      left %= size;
    }
  }
  return parts.join('');
}

const duration = z.union([z.number(), z.string()]).check(z.refine((v) => parseDuration(v) !== undefined, 'expected a duration such as 30s, 10m or 1h30m'));
const memory = z.union([z.number(), z.string()]).check(z.refine((v) => parseMemory(v) !== undefined, 'expected a memory size such as 512Mi or 8G'));
/** A Kubernetes object name (a DNS-1123 subdomain): a service account, a Secret. */
const objectName = z.string().check(z.regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'expected a Kubernetes name: lower case letters, digits, "-" and "."'));
const labelKey = z.string().check(z.regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, 'expected a label key such as gpu or cloud.google.com/gke-accelerator'));

/** `kubernetes:` of a stage (or of pipewright.config.yaml, for every task), as Kubernetes spells each knob. */
export const kubernetesShape = z.strictObject({
  nodeSelector: z.optional(z.record(labelKey, z.string())),
  tolerations: z.optional(z.array(z.strictObject({
    key: z.optional(labelKey),
    operator: z.optional(z.enum(['Exists', 'Equal'])),
    value: z.optional(z.string()),
    effect: z.optional(z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute'])),
    tolerationSeconds: z.optional(z.int()),
  }))),
  serviceAccountName: z.optional(objectName),
  imagePullSecrets: z.optional(z.array(objectName)),
});

const secretName = z.string().check(z.regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/[-._a-zA-Z0-9]+$/, 'expected SECRET/KEY, e.g. ngc/key (a Kubernetes secret and one of its keys)'));

/** The keys as written in YAML (pipewright.yaml stages, pipewright.config.yaml's `stages:`) and TS options. */
export const controlsShape = {
  retries: z.optional(z.int().check(z.nonnegative())),
  retry: z.optional(z.strictObject({
    limit: z.int().check(z.nonnegative()),
    backoff: z.optional(duration),
    factor: z.optional(z.number().check(z.gte(1))),
  })),
  timeout: z.optional(duration),
  resources: z.optional(z.strictObject({
    cpus: z.optional(z.number().check(z.positive())),
    gpus: z.optional(z.number().check(z.nonnegative())),
    memory: z.optional(memory),
  })),
  labels: z.optional(z.array(z.string().check(z.regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected a label such as gpu or bigmem (lower case, digits, - and _)')))),
  secrets: z.optional(z.record(z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name')), secretName)),
  kubernetes: z.optional(kubernetesShape),
};

export type ControlsInput = { [K in keyof typeof controlsShape]?: z.output<(typeof controlsShape)[K]> };

/** The controls from their written form (already validated by `controlsShape`); undefined when none is set. */
export function stageControls(input: ControlsInput): StageControls | undefined {
  const retry: RetryPolicy | undefined = input.retry
    ? { limit: input.retry.limit, backoffMs: input.retry.backoff === undefined ? DEFAULT_BACKOFF_MS : parseDuration(input.retry.backoff)!, factor: input.retry.factor ?? 2 }
    : input.retries ? { limit: input.retries, backoffMs: DEFAULT_BACKOFF_MS, factor: 2 } : undefined;
  const controls: StageControls = {
    ...(retry ? { retry } : {}),
    ...(input.timeout === undefined ? {} : { timeoutMs: parseDuration(input.timeout)! }),
    ...(input.resources ? {
      resources: {
        cpus: input.resources.cpus ?? 1,
        ...(input.resources.cpus === undefined ? {} : { cpuLimit: input.resources.cpus }),
        gpus: input.resources.gpus ?? 0,
        ...(input.resources.memory === undefined ? {} : { memoryBytes: parseMemory(input.resources.memory)! }),
      },
    } : {}),
    ...(input.secrets && Object.keys(input.secrets).length ? { secrets: input.secrets } : {}),
    ...(input.labels?.length ? { labels: input.labels } : {}),
    ...(mergeKubernetes(undefined, input.kubernetes) ? { kubernetes: mergeKubernetes(undefined, input.kubernetes)! } : {}),
  };
  return Object.keys(controls).length ? controls : undefined;
}

/** A stage's own controls over the project config's for it, key by key. */
export function mergeControls(fromConfig: StageControls | undefined, own: StageControls | undefined): StageControls | undefined {
  if (!fromConfig) return own;
  if (!own) return fromConfig;
  const kubernetes = mergeKubernetes(fromConfig.kubernetes, own.kubernetes);
  return {
    ...fromConfig, ...own,
    ...(fromConfig.secrets || own.secrets ? { secrets: { ...fromConfig.secrets, ...own.secrets } } : {}),
    ...(kubernetes ? { kubernetes } : {}),
  };
}
