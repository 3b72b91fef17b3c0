/**
 * The run store as the UI sees it over hours: absent until the first `pipewright run`, then
 * opened; reopened whenever cheap no-op runs have left a journal, since opening is what takes
 * those runs in (as `pipewright runs` does). The UI itself writes nothing else.
 */
import { existsSync } from 'node:fs';
import { layout } from '../layout.js';
import { RunStore } from '../store/run-store.js';
import { RunsQueries } from './runs-query.js';

export class StoreHandle {
  private opened: { store: RunStore; queries: RunsQueries } | undefined;
  private readonly paths: ReturnType<typeof layout>;

  constructor(root: string) {
    this.paths = layout(root);
  }

  /** The store and its page queries, or undefined while nothing has been recorded. */
  get(): { store: RunStore; queries: RunsQueries } | undefined {
    const journal = existsSync(this.paths.runsJournal);
    if (this.opened && !journal) return this.opened;
    if (!existsSync(this.paths.runsDb) && !journal) return undefined;
    this.close();
    const store = RunStore.openChecked(this.paths.runsDb);
    this.opened = { store, queries: new RunsQueries(store) };
    return this.opened;
  }

  close(): void {
    this.opened?.queries.close();
    this.opened?.store.close();
    this.opened = undefined;
  }
}
