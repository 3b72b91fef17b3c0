/**
 * `run --watch` as a library loop: run, watch what the pipeline reads, and run again when the user
 * saves something. A burst of saves makes one run; saves during a run make exactly one more, after
 * it (runs never overlap: they share the workspace); a pipeline that cannot be loaded is reported
 * and the loop waits for the fix. What to print is the caller's (the hooks).
 */
import type { FSWatcher } from 'chokidar';
import type { RunSummary } from './events.js';
import { watchSetAfterError, type WatchSet } from './watch-set.js';

/** Quiet time after the last change before a run starts: an editor's save is several events. */
export const WATCH_DEBOUNCE_MS = 300;

export interface WatchHooks {
  /** Loads the pipeline and works out what to watch (watch-set.ts); throws when it is broken. */
  readonly plan: () => Promise<WatchSet>;
  /** One run, as `run` does it; cancelled through `signal`. */
  readonly run: (signal: AbortSignal) => Promise<RunSummary>;
  /** Before a run that changes set off: the changed paths (absolute). */
  readonly onChange: (paths: readonly string[]) => void;
  /** Between runs, waiting: what is watched now. */
  readonly onIdle: (watched: WatchSet) => void;
  /** The pipeline could not be loaded, a run threw, or the watcher failed; the loop goes on. */
  readonly onError: (error: unknown) => void;
}

export interface WatchOptions {
  /** The project folder. */
  readonly dir: string;
  /** Ends the loop: a run going is cancelled through it; a waiting loop returns at once. */
  readonly signal: AbortSignal;
  readonly debounceMs?: number;
}

/** How the loop ended: stopped while waiting, or by cancelling a run that was going. */
export type WatchEnd = 'stopped' | 'run-cancelled';

export async function watchPipeline(hooks: WatchHooks, options: WatchOptions): Promise<WatchEnd> {
  const { signal } = options;
  const changes = new ChangeBatch(options.debounceMs ?? WATCH_DEBOUNCE_MS);
  let watched: WatchSet | undefined;
  let files: FileWatcher | undefined;
  const onChange = (path: string) => {
    if (!watched?.isRunOutput(path)) changes.add(path);
  };
  try {
    while (!signal.aborted) {
      let loaded = true;
      try {
        watched = await hooks.plan();
      } catch (err) {
        hooks.onError(err);
        watched = watchSetAfterError(watched, options.dir, err);
        loaded = false;
      }
      if (files) files.watch(watched.paths);
      else files = await FileWatcher.open(watched.paths, onChange, (path) => watched?.isRunOutput(path) ?? false, hooks.onError);
      if (loaded && !signal.aborted) {
        try {
          const summary = await hooks.run(signal);
          if (summary.cancelled) return 'run-cancelled';
        } catch (err) {
          if (signal.aborted) return 'run-cancelled';
          hooks.onError(err);
        }
      }
      // Stopped while loading, or just as a run finished: no run was cut short.
      if (signal.aborted) return 'stopped';
      // Saves made during the run: the one more run starts without a "watching" line between.
      if (!changes.pending) hooks.onIdle(watched);
      const changed = await changes.next(signal);
      if (!changed) return 'stopped';
      hooks.onChange(changed);
    }
    return 'stopped';
  } finally {
    changes.close();
    await files?.close();
  }
}

/**
 * Changed paths, gathered until none has come for `quietMs`. Changes that come while nobody waits
 * (a run is going) are kept: the next wait returns them at once, however many there were.
 */
export class ChangeBatch {
  private readonly paths = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private quiet = false;
  private waiter: (() => void) | undefined;

  constructor(private readonly quietMs: number) {}

  add(path: string): void {
    this.paths.add(path);
    this.quiet = false;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.quiet = true;
      this.waiter?.();
    }, this.quietMs);
  }

  /** Whether changes are waiting (quiet yet or not). */
  get pending(): boolean {
    return this.paths.size > 0;
  }

  /** The changed paths once things are quiet; undefined when `signal` ends the wait first. */
  next(signal: AbortSignal): Promise<string[] | undefined> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve(undefined);
      const onAbort = () => {
        this.waiter = undefined;
        resolve(undefined);
      };
      const take = () => {
        signal.removeEventListener('abort', onAbort);
        this.waiter = undefined;
        const paths = [...this.paths].sort();
        this.paths.clear();
        this.quiet = false;
        resolve(paths);
      };
      if (this.quiet) return take();
      this.waiter = take;
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  close(): void {
    clearTimeout(this.timer);
  }
}

/**
 * The file system side, on chokidar: it follows a file replaced by an editor's atomic save
 * (write aside, rename over), sees a missing path appear, and walks folders, none of which
 * Node's own fs.watch does on Linux.
 */
class FileWatcher {
  private readonly current = new Set<string>();

  private constructor(private readonly watcher: FSWatcher) {}

  /**
   * Watches `paths`, resolving once they are all armed: a save during the first run is then seen.
   * `ignored` keeps chokidar out of the outs inside a watched folder altogether.
   */
  static async open(paths: readonly string[], onChange: (path: string) => void, ignored: (path: string) => boolean,
    onError: (error: unknown) => void): Promise<FileWatcher> {
    const { watch } = await import('chokidar');
    const watcher = watch([...paths], { ignoreInitial: true, ignored: (path) => ignored(path), persistent: true });
    watcher.on('error', (err) => onError(explainWatchError(err)));
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    watcher.on('all', (_event, path) => onChange(path));
    const files = new FileWatcher(watcher);
    for (const p of paths) files.current.add(p);
    return files;
  }

  /**
   * Watches exactly `paths` from now on: new ones added, those no longer wanted dropped. chokidar
   * arms added paths in the background and tells nobody when it is done (its 'ready' comes once):
   * a save in the first moments after a pipeline edit added a dep may go unseen.
   */
  watch(paths: readonly string[]): void {
    const wanted = new Set(paths);
    const gone = [...this.current].filter((p) => !wanted.has(p));
    const added = paths.filter((p) => !this.current.has(p));
    if (gone.length) this.watcher.unwatch(gone);
    if (added.length) this.watcher.add(added);
    for (const p of gone) this.current.delete(p);
    for (const p of added) this.current.add(p);
  }

  close(): Promise<void> {
    return this.watcher.close();
  }
}

/** The watcher itself failed (not the pipeline): its message says it all, a stack would not help. */
export class WatcherError extends Error {}

/** inotify's limits are the usual way watching fails on Linux; say which one and how to raise it. */
function explainWatchError(err: unknown): WatcherError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'ENOSPC') return new WatcherError(`cannot watch more files (${message}): the system's limit of inotify watches is reached; raise it with \`sysctl fs.inotify.max_user_watches=524288\``);
  if (code === 'EMFILE') return new WatcherError(`cannot watch more files (${message}): too many open files; raise the limit with \`ulimit -n\``);
  return new WatcherError(`watching files: ${message}`);
}
