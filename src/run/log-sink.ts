/**
 * A stage's log: the file its output goes to (`.pipewright/logs/<name>.log`, or the run's log
 * folder) and the `log` events its lines become.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { removePath } from '../executors/exec-instance.js';
import type { OutputStream } from '../executors/executor.js';

/** The log file's name for an instance: its name with what a file name cannot hold made `_`. */
export function logFileName(stage: string): string {
  return `${stage.replace(/[^A-Za-z0-9_.@=,+-]/g, '_')}.log`;
}

/**
 * Writes a stage's output to its log file as it comes, and hands on whole lines. The file is made
 * on the first output (most small stages print nothing); the last run's log goes when the stage
 * starts, so a log never belongs to another run.
 */
export class LogSink {
  private readonly partial: Record<OutputStream, string> = { stdout: '', stderr: '' };
  private file: WriteStream | undefined;

  /** `mask`: a stage with secrets; its output is written line by line, each masked. */
  constructor(private readonly path: string, private readonly onLine: (stream: OutputStream, line: string) => void, private readonly mask?: (text: string) => string) {
    removePath(path);
  }

  write(stream: OutputStream, text: string): void {
    this.file ??= createWriteStream(this.path);
    if (!this.mask) this.file.write(text);
    const lines = (this.partial[stream] + text).split('\n');
    this.partial[stream] = lines.pop()!;
    for (const line of lines) this.line(stream, line, true);
  }

  /** A line of pipewright's own in the log (a failed attempt), between the stage's output. */
  note(text: string): void {
    this.write('stderr', `${this.partial.stderr ? '\n' : ''}[pipewright] ${text}\n`);
  }

  private line(stream: OutputStream, line: string, ended: boolean): void {
    const shown = this.mask ? this.mask(line) : line;
    if (this.mask) this.file!.write(ended ? `${shown}\n` : shown);
    this.onLine(stream, shown);
  }

  close(): Promise<void> {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream]) this.line(stream, this.partial[stream], false);
      this.partial[stream] = '';
    }
    return new Promise((resolve) => (this.file ? this.file.end(resolve) : resolve()));
  }
}
