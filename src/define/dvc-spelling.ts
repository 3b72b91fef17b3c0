/**
 * How DVC spells what `pipewright export dvc` writes: values as DVC's templating turns them into
 * text (Python's `str`, booleans lower-case), and the names DVC gives the instances of an
 * exported sweep. `pipewright exec` reads these names back (`train@0.1-4` → `train@lr=0.1,depth=4`).
 */
import type { Space, SweepDeclaration } from './sweep.js';

/** DVC's stage names: `dvc stage add` refuses every punctuation character but `_` and `-`. */
export const DVC_STAGE_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * A value as DVC inserts it into a string (`to_str` in dvc/parsing/interpolate.py): Python's
 * `str`, except booleans, which are `true`/`false`. Numbers are what Python prints for the value
 * read back from the YAML we write: integers in full, floats in their shortest round-trip digits,
 * in exponent form (two exponent digits at least) below 1e-4 and from 1e16.
 */
export function dvcText(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'number') return pythonNumber(value);
  return String(value);
}

/** A number as Python's `str` prints it. */
export function pythonNumber(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  // Written as a YAML integer (no exponent) only below 1e21, where JS stops printing every digit.
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return String(value);
  const [mantissa, exp] = value.toExponential().split('e') as [string, string];
  const exponent = Number(exp);
  if (exponent >= -4 && exponent < 16) return String(value);
  const digits = String(Math.abs(exponent)).padStart(2, '0');
  return `${mantissa}e${exponent < 0 ? '-' : '+'}${digits}`;
}

/** Whether DVC and pipewright write this value the same way into a path (pipewright: JS's `String`). */
export function sameText(value: unknown): boolean {
  return typeof value === 'string' || dvcText(value) === String(value);
}

/**
 * An exported sweep is a `matrix` when every entry of its space is a grid option list or a fixed
 * value (a pure grid); otherwise (random draws) a `foreach` over its instances, keyed by
 * pipewright's instance suffix, so DVC names them exactly as pipewright does. DVC allows that:
 * only `dvc stage add` checks a name's characters, a foreach key is any text, and a target such as
 * `train@lr=0.0123,depth=4` is split at its first "@" (parse_target in dvc/utils/__init__.py).
 */
export function isPureGrid(sweep: SweepDeclaration): boolean {
  return !sweep.generate && Object.values(sweep.space).every((e) => e.kind === 'grid' || e.kind === 'value');
}

/** The options of one matrix dimension: a grid's values, or a fixed value as a list of one. */
export function matrixOptions(entry: Space[string]): readonly unknown[] {
  if (entry.kind === 'grid') return entry.values;
  if (entry.kind === 'value') return [entry.value];
  throw new Error(`a ${entry.kind} dimension has no matrix options`);
}

/**
 * DVC's key of a matrix instance (MatrixDefinition.normalized_iterable): each dimension's value as
 * text, or `<dimension><index>` for a list or mapping, joined by `-`, in the matrix's key order.
 */
export function matrixKey(space: Space, values: Readonly<Record<string, unknown>>, dimensionName: (key: string) => string = (k) => k): string {
  return Object.entries(space).map(([key, entry]) => {
    const value = values[key];
    if (value !== null && typeof value === 'object') {
      const index = matrixOptions(entry).findIndex((option) => JSON.stringify(option) === JSON.stringify(value));
      return `${dimensionName(key)}${index}`;
    }
    return dvcText(value);
  }).join('-');
}

/**
 * A matrix dimension's name: DVC reads `${item.a.b}` as a path, so a dotted param key (YAML's
 * `train.lr`) becomes `train_lr`.
 */
export function dimensionName(key: string): string {
  return key.replace(/[^A-Za-z0-9_]/g, '_');
}

/**
 * The pipewright instance a DVC-spelled name stands for: `train@0.1-4` (a matrix key of an exported
 * pure grid) or `train@3` (a list index, as DVC names the items of a `foreach` list). Undefined
 * when it names none. pipewright's own names (`train@lr=0.1,depth=4`) are found before this.
 */
export function instanceFromDvcName(
  dvcName: string, sweeps: ReadonlyMap<string, readonly string[]>, sweepOf: (stage: string) => SweepDeclaration | undefined,
  valuesOf: (instance: string) => Readonly<Record<string, unknown>> | undefined,
): string | undefined {
  const at = dvcName.indexOf('@');
  if (at <= 0) return undefined;
  const stage = dvcName.slice(0, at);
  const key = dvcName.slice(at + 1);
  const instances = sweeps.get(stage);
  const sweep = sweepOf(stage);
  if (!instances || !sweep) return undefined;
  if (isPureGrid(sweep)) {
    const found = instances.find((name) => matrixKey(sweep.space, valuesOf(name) ?? {}, dimensionName) === key);
    if (found) return found;
  }
  if (/^(0|[1-9]\d*)$/.test(key) && Number(key) < instances.length) return instances[Number(key)];
  return undefined;
}
