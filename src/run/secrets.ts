/**
 * A stage's secrets on this machine: each named environment variable must be set (the cluster
 * reads the value from a Kubernetes secret instead), and its value is masked in everything the
 * stage prints, so that it reaches no log, no terminal and no run store.
 */
import type { StageControls } from '../define/controls.js';

/** The values of the stage's secrets; throws naming what is missing and how to set it. */
export function secretValues(stage: string, controls: StageControls | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  const names = Object.keys(controls?.secrets ?? {});
  const missing = names.filter((name) => !env[name]);
  if (missing.length) {
    throw new Error(`stage "${stage}" needs the secret${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: set ${missing.map((m) => `${m}=…`).join(' ')} in the environment of \`pipewright run\``);
  }
  return names.map((name) => env[name]!);
}

/** Replaces every secret value in a line of printed text by `***` (the log masks whole lines, so a value split across two writes is still caught). */
export function masker(values: readonly string[]): (text: string) => string {
  const usable = values.filter((v) => v.length >= 3).sort((a, b) => b.length - a.length);
  if (usable.length === 0) return (text) => text;
  return (text) => usable.reduce((out, value) => out.split(value).join('***'), text);
}
