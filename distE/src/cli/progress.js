/**
 * Renders run events for a person. On a TTY: a live view of the running stages with their elapsed
 * time, finished stages above it. Elsewhere: one plain line per change, with nothing in it that
 * depends on timing. Stage output is never shown unless asked (`-v`) or a stage fails.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import pc from 'picocolors';
const FAILURE_TAIL_LINES = 20;
/** A sweep of thousands would bury the summary: the first ones, and a count of the rest. */
const METRICS_SHOWN = 20;
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
export class ProgressReporter {
    options;
    running = new Map();
    metrics = new Map();
    total = 0;
    known = new Set();
    finished = 0;
    frame = 0;
    timer;
    live;
    pending = [];
    flushing;
    constructor(options, live) {
        this.options = options;
        this.live = live;
    }
    /** log-update (and its dozen modules) is loaded only for a terminal: a piped or no-op run never pays for it. */
    static async create(options) {
        const live = options.tty ? (await import('log-update')).createLogUpdate(options.out) : undefined;
        return new ProgressReporter(options, live);
    }
    onEvent = (event) => {
        switch (event.type) {
            case 'run-started':
                this.total = event.stages.length;
                for (const stage of event.stages)
                    this.known.add(stage);
                this.print(pc.bold(`Running ${event.stages.length} stage${event.stages.length === 1 ? '' : 's'} (jobs: ${event.jobs})`));
                if (this.live)
                    this.timer = setInterval(() => this.render(), 100).unref();
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
                if (!this.live)
                    this.print(`${pc.cyan('▶')} ${event.stage}${because(event.reasons)}`);
                break;
            case 'up-to-date':
                this.finished++;
                if (event.metrics)
                    this.metrics.set(event.stage, event.metrics);
                this.print(`${pc.dim('=')} ${event.stage} ${pc.dim('up to date')}`);
                break;
            case 'restored':
                this.finished++;
                if (event.metrics)
                    this.metrics.set(event.stage, event.metrics);
                this.print(`${pc.blue('↺')} ${event.stage} ${pc.dim(`restored from ${event.from === 'lock' ? 'the cache' : 'the run-cache'}`)}${because(event.reasons)}`);
                break;
            case 'warning':
                this.print(`${pc.yellow('warning')}: ${event.message}`);
                break;
            case 'log':
                if (this.options.verbose)
                    this.print(`${pc.dim(`[${event.stage}]`)} ${event.stream === 'stderr' ? pc.yellow(event.line) : event.line}`);
                break;
            case 'succeeded':
                this.running.delete(event.stage);
                this.finished++;
                if (event.metrics)
                    this.metrics.set(event.stage, event.metrics);
                this.print(`${pc.green('✓')} ${event.stage}${this.live ? pc.dim(` ${seconds(event.durationMs)}`) : ''}`);
                break;
            case 'failed': {
                this.running.delete(event.stage);
                this.finished++;
                const lines = [`${pc.red('✗')} ${event.stage} ${pc.red('failed')}: ${event.error.message}`];
                if (this.options.stacks && event.error.stack)
                    lines.push(...readableStack(event.error.stack).split('\n').slice(1).map((line) => `  ${pc.dim(line.trim())}`));
                if (!this.options.verbose)
                    lines.push(...this.logTail(event.logPath));
                this.print(lines.join('\n'));
                break;
            }
            case 'skipped':
                this.running.delete(event.stage);
                this.finished++;
                this.print(`${pc.yellow('-')} ${event.stage} ${pc.dim(event.reason === 'upstream-failed'
                    ? `skipped: upstream stage ${event.because} failed`
                    : event.because ? `not run: stopped after ${event.because} failed (--fail-fast)` : 'cancelled')}`);
                break;
            case 'run-finished':
                if (this.timer)
                    clearInterval(this.timer);
                this.live?.clear();
                this.live?.done();
                this.printSummary(event.summary);
                break;
        }
    };
    print(text) {
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
    flush() {
        this.flushing = undefined;
        if (this.pending.length)
            this.options.out.write(this.pending.join('\n') + '\n');
        this.pending = [];
    }
    render() {
        if (!this.live || this.running.size === 0)
            return;
        this.frame = (this.frame + 1) % SPINNER.length;
        const now = Date.now();
        const lines = [...this.running].map(([stage, since]) => `${pc.cyan(SPINNER[this.frame])} ${stage} ${pc.dim(seconds(now - since))}`);
        lines.push(pc.dim(`${this.finished}/${this.total} done`));
        this.live(lines.join('\n'));
    }
    logTail(logPath) {
        let text = '';
        try {
            text = readFileSync(logPath, 'utf8');
        }
        catch {
            return [];
        }
        const lines = text.replace(/\n$/, '').split('\n');
        if (text.trim() === '')
            return [pc.dim(`  (no output; log: ${relative(this.options.root, logPath)})`)];
        const tail = lines.slice(-FAILURE_TAIL_LINES);
        return [
            pc.dim(`  log: ${relative(this.options.root, logPath)}${lines.length > tail.length ? ` (last ${tail.length} of ${lines.length} lines)` : ''}`),
            ...tail.map((line) => `  ${pc.dim('|')} ${line}`),
        ];
    }
    printSummary(summary) {
        if (this.flushing)
            clearImmediate(this.flushing);
        this.flush();
        const out = this.options.out;
        if (this.metrics.size) {
            out.write(`\n${pc.bold('Metrics')}\n`);
            const shown = [...this.metrics].slice(0, METRICS_SHOWN);
            for (const [stage, metrics] of shown)
                out.write(`  ${stage}: ${formatMetrics(metrics)}\n`);
            if (this.metrics.size > shown.length)
                out.write(pc.dim(`  … and ${this.metrics.size - shown.length} more (pipewright runs, pipewright show)\n`));
        }
        const parts = [`${summary.succeeded.length} ran`];
        if (summary.upToDate.length)
            parts.push(`${summary.upToDate.length} up to date`);
        if (summary.restored.length)
            parts.push(`${summary.restored.length} restored`);
        if (summary.failed.length)
            parts.push(pc.red(`${summary.failed.length} failed`));
        if (summary.skipped.length)
            parts.push(pc.yellow(`${summary.skipped.length} skipped`));
        out.write(`\n${summary.cancelled ? pc.yellow('Cancelled. ') : ''}${parts.join(', ')}\n`);
    }
}
function because(reasons) {
    return reasons.length ? pc.dim(` (${reasons.join('; ')})`) : '';
}
export function formatMetrics(metrics, prefix = '') {
    return Object.entries(metrics).map(([key, value]) => {
        if (value !== null && typeof value === 'object' && !Array.isArray(value))
            return formatMetrics(value, `${prefix}${key}.`);
        return `${prefix}${key}=${typeof value === 'number' ? formatNumber(value) : JSON.stringify(value)}`;
    }).join(' ');
}
function formatNumber(n) {
    return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(4)));
}
function seconds(ms) {
    return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`;
}
/**
 * A stack with the user's files named: a pipewright.ts outside an ESM package is compiled to a
 * `data:` URL whose frames would otherwise print the whole compiled module.
 */
export function readableStack(stack) {
    return stack.replace(/data:text\/javascript,[^\s]*?\?filePath=([^\s:)]+)/g, (_, path) => decodeURIComponent(path).replace(/\?namespace=.*$/, ''));
}
//# sourceMappingURL=progress.js.map