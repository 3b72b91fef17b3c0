/**
 * Option values beyond what commander checks: numbers in a range, and folders to write into.
 * Each refuses a bad value with the option, the value and what was expected (exit 2), instead of
 * letting it reach code that fails with a message about something else ("Invalid array length"
 * for `--trees abc`) or a stack trace (`-o` naming a file).
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { PipelineError } from '../errors.js';

/** A commander parser of a whole number from `min` to `max`. */
export function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = /^\s*[+]?\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}, got "${value}"`);
    return n;
  };
}

/**
 * Makes the folder an option names (`-o DIR`), or says why it cannot be written to: a file of that
 * name, a file on the way to it, no permission. `given` is the value as typed, for the message.
 */
export function outputFolder(dir: string, option: string, given: string = dir): string {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' ? 'a file of that name is in the way'
      : code === 'ENOTDIR' ? 'a file is in the way of that path'
        : code === 'EACCES' || code === 'EPERM' ? 'no permission to write there'
          : (err as Error).message;
    throw new PipelineError('usage', `${option} ${given}: cannot write there: ${why}`, undefined, `give ${option} a folder (made if missing)`);
  }
  return dir;
}
