/**
 * Renders run events for a person. On a TTY: a live view of the running stages with their elapsed
 * time, finished stages above it. Elsewhere: one plain line per change, with nothing in it that
 * depends on timing. Stage output is never shown unless asked (`-v`) or a stage fails.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { createLogUpdate } from 'log-update';
import pc from 'picocolors';
import type { Metrics } from '../define/stage.js';
import type { RunEvent, RunSummary } from '../run/events.js';
import { describeReason, paramMissing } from '../cache/reasons.js';

export interface ReporterOptions {
  readonly out: NodeJS.WriteStream;
  readonly tty: boolean;
  readonly verbose: boolean;
  /** Paths are shown relative to this. */
  readonly root: string;
  /** Show a failed stage's whole stack (dev mode). */
  readonly stacks?: boolean;
}

const FAILURE_TAIL_LINES = 20;
/** A sweep of thousands would bury the summary: the first ones, and a count of the rest. */
const METRICS_SHOWN = 20;
const RESTORED_FROM: Record<'lock' | 'run-cache' | 'dvc' | 'remote', string> = {
  remote: 'remote',
  lock: 'the cache',
  'run-cache': 'the run-cache',
  dvc: "DVC's outs (dvc.lock records this run)",
};
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export class ProgressReporter {
  private readonly running = new Map<string, number>();
  private readonly metrics = new Map<string, Metrics>();
  private total = 0;
  private readonly known = new Set<string>();
  private finished = 0;
  /** What blocked instances lacked, for the summary's "(missing deps)". */
  private readonly lacking = new Set<'deps' | 'params'>();
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly live: ReturnType<typeof createLogUpdate> | undefined;
  private pending: string[] = [];
  private flushing: NodeJS.Immediate | undefined;

  private constructor(private readonly options: ReporterOptions, live: ReturnType<typeof createLogUpdate> | undefined) {
    this.live = live;
  }

  /** log-update (and its dozen modules) is loaded only for a terminal: a piped or no-op run never pays for it. */
  static async create(options: ReporterOptions): Promise<ProgressReporter> {
    const live = options.tty ? (await import('log-update')).createLogUpdate(options.out) : undefined;
    return new ProgressReporter(options, live);
  }

  readonly onEvent = (event: RunEvent): void => {
    switch (event.type) {
      case 'run-started':
        this.total = event.stages.length;
        for (const stage of event.stages) this.known.add(stage);
        this.print(pc.bold(`Running ${event.stages.length} stage${event.stages.length === 1 ? '' : 's'} (jobs: ${event.jobs})`));
        if (this.live) this.timer = setInterval(() => this.render(), 100).unref();
        break;
      case 'queued':
        // Instances a custom sweep generator makes while the run goes.
        if (!this.known.has(event.stage)) {
          this.known.add(event.stage);
          this.total++;
        }
        break;
      case 'started':
        this.running.set(event.stage, Date.now());
        if (!this.live) this.print(`${pc.cyan('▶')} ${event.stage}${because(event.reasons)}`);
        break;
      case 'up-to-date':
        this.finished++;
        if (event.metrics) this.metrics.set(event.stage, event.metrics);
        this.print(`${pc.dim('=')} ${event.stage} ${pc.dim('up to date')}`);
        break;
      case 'restored':
        this.finished++;
        if (event.metrics) this.metrics.set(event.stage, event.metrics);
        this.print(`${pc.blue('↺')} ${event.stage} ${pc.dim(`restored from ${RESTORED_FROM[event.from]}${event.remote ? ` ${event.remote}` : ''}`)}${event.from === 'dvc' ? '' : because(event.reasons)}`);
        break;
      case 'retrying':
        this.print(`${pc.yellow('↻')} ${event.stage} ${pc.yellow(`attempt ${event.attempt} of ${event.of} failed`)}: ${event.error} ${pc.dim(`(retrying in ${seconds(event.delayMs)})`)}`);
        break;
      case 'note':
        this.print(pc.dim(event.message));
        break;
      case 'warning':
        this.print(`${pc.yellow('warning')}: ${event.message}`);
        break;
      case 'log':
        if (this.options.verbose) this.print(`${pc.dim(`[${event.stage}]`)} ${event.stream === 'stderr' ? pc.yellow(event.line) : event.line}`);
        break;
      case 'succeeded':
        this.running.delete(event.stage);
        this.finished++;
        if (event.metrics) this.metrics.set(event.stage, event.metrics);
        this.print(`${pc.green('✓')} ${event.stage}${this.live ? pc.dim(` ${seconds(event.durationMs)}`) : ''}`);
        break;
      case 'failed': {
        this.running.delete(event.stage);
        this.finished++;
        if (event.blocked) {
          if (event.blocked.length) this.lacking.add('deps');
          if (event.blockedParams?.length) this.lacking.add('params');
          this.print([`${pc.magenta('⊘')} ${event.stage} ${pc.magenta('blocked')}: cannot start`,
            ...event.blocked.map((d) => `  dep ${d.path} missing: ${pc.dim(d.help)}`),
            ...(event.blockedParams ?? []).map((p) => `  ${describeReason(paramMissing(p))}`)].join('\n'));
          break;
        }
        const lines = [`${pc.red('✗')} ${event.stage} ${pc.red('failed')}: ${event.error.message}`];
        if (this.options.stacks && event.error.stack) lines.push(...readableStack(event.error.stack).split('\n').slice(1).map((line) => `  ${pc.dim(line.trim())}`));
        if (!this.options.verbose) lines.push(...this.logTail(event.logPath));
        this.print(lines.join('\n'));
        break;
      }
      case 'skipped':
        this.running.delete(event.stage);
        this.finished++;
        this.print(`${pc.yellow('-')} ${event.stage} ${pc.dim(event.reason === 'upstream-failed'
          ? `skipped: upstream stage ${event.because} failed`
          : event.reason === 'upstream-blocked' ? `skipped: upstream stage ${event.because} is blocked`
          : event.because ? `not run: stopped after ${event.because} failed (--fail-fast)` : 'cancelled')}`);
        break;
      case 'run-finished':
        if (this.timer) clearInterval(this.timer);
        this.live?.clear();
        this.live?.done();
        this.printSummary(event.summary);
        break;
    }
  };

  private print(text: string): void {
    if (!this.live) {
      // Lines printed in one burst (a thousand stages up to date) leave in one write.
      this.pending.push(text);
      this.flushing ??= setImmediate(() => this.flush());
      return;
    }
    this.live.clear();
    this.options.out.write(text + '\n');
    this.render();
  }

  private flush(): void {
    this.flushing = undefined;
    if (this.pending.length) this.options.out.write(this.pending.join('\n') + '\n');
    this.pending = [];
  }

  private render(): void {
    if (!this.live || this.running.size === 0) return;
    this.frame = (this.frame + 1) % SPINNER.length;
    const now = Date.now();
    const lines = [...this.running].map(([stage, since]) => `${pc.cyan(SPINNER[this.frame]!)} ${stage} ${pc.dim(seconds(now - since))}`);
    lines.push(pc.dim(`${this.finished}/${this.total} done`));
    this.live(lines.join('\n'));
  }

  private logTail(logPath: string): string[] {
    let text = '';
    try {
      text = readFileSync(logPath, 'utf8');
    } catch {
      return [];
    }
    const lines = text.replace(/\n$/, '').split('\n');
    if (text.trim() === '') return [pc.dim(`  (no output; log: ${relative(this.options.root, logPath)})`)];
    const tail = lines.slice(-FAILURE_TAIL_LINES);
    return [
      pc.dim(`  log: ${relative(this.options.root, logPath)}${lines.length > tail.length ? ` (last ${tail.length} of ${lines.length} lines)` : ''}`),
      ...tail.map((line) => `  ${pc.dim('|')} ${line}`),
    ];
  }

  private printSummary(summary: RunSummary): void {
    if (this.flushing) clearImmediate(this.flushing);
    this.flush();
    const out = this.options.out;
    if (this.metrics.size) {
      out.write(`\n${pc.bold('Metrics')}\n`);
      const shown = [...this.metrics].slice(0, METRICS_SHOWN);
      for (const [stage, metrics] of shown) out.write(`  ${stage}: ${formatMetrics(metrics)}\n`);
      if (this.metrics.size > shown.length) out.write(pc.dim(`  … and ${this.metrics.size - shown.length} more (pipewright runs, pipewright show)\n`));
    }
    const parts = [`${summary.succeeded.length} ran`];
    if (summary.upToDate.length) parts.push(`${summary.upToDate.length} up to date`);
    if (summary.restored.length) parts.push(`${summary.restored.length} restored`);
    const failed = summary.failed.length - summary.blocked.length;
    if (failed) parts.push(pc.red(`${failed} failed`));
    if (summary.blocked.length) parts.push(pc.magenta(`${summary.blocked.length} blocked (missing ${[...this.lacking].sort().join(' or ')})`));
    if (summary.skipped.length) parts.push(pc.yellow(`${summary.skipped.length} skipped`));
    out.write(`\n${summary.cancelled ? pc.yellow('Cancelled. ') : ''}${parts.join(', ')}\n`);
  }
}

function because(reasons: readonly string[]): string {
  return reasons.length ? pc.dim(` (${reasons.join('; ')})`) : '';
}

export function formatMetrics(metrics: Metrics, prefix = ''): string {
  return Object.entries(metrics).map(([key, value]) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return formatMetrics(value as Metrics, `${prefix}${key}.`);
    return `${prefix}${key}=${typeof value === 'number' ? formatNumber(value) : JSON.stringify(value)}`;
  }).join(' ');
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(4)));
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`;
}

/**
 * A stack with the user's files named: a pipewright.ts outside an ESM package is compiled to a
 * `data:` URL whose frames would otherwise print the whole compiled module.
 */
export function readableStack(stack: string): string {
  return stack.replace(/data:text\/javascript,[^\s]*?\?filePath=([^\s:)]+)/g, (_, path: string) => decodeURIComponent(path).replace(/\?namespace=.*$/, ''));
}
