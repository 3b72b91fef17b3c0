/**
 * The runs page's query: which runs, in which order, one page at a time — done in SQL so that the
 * first page of 10,000 runs costs one indexed query, then `runRows` (the `runs` command's table)
 * for just that page. Its own connection is `query_only`: the UI can never write the store.
 */
import type { Database } from '../native.js';
import { openSqliteRetrying } from '../sqlite-open.js';
import { runRows, type RunRow } from '../report/runs.js';
import type { RunStore } from '../store/run-store.js';

export interface RunsQuery {
  readonly offset: number;
  readonly limit: number;
  /** `startedAt`, `-durationMs`, `metrics.evaluate.acc`, `params.train.lr`… (`-`: descending). */
  readonly sort: string;
  readonly q?: string;
  readonly status?: string;
}

export interface RunsPage {
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly sort: string;
  readonly rows: readonly RunRow[];
  readonly paramKeys: readonly string[];
  readonly metricKeys: readonly string[];
}

export const MAX_LIMIT = 500;
const COLUMNS: Readonly<Record<string, string>> = {
  id: 'id', name: 'name', status: 'status', startedAt: 'started_at', durationMs: '(ended_at - started_at)',
};
const STATUSES = new Set(['running', 'succeeded', 'failed', 'cancelled']);

export class BadQuery extends Error {}

/** `metrics.evaluate.acc` → the instance (`evaluate`) and a quoted JSON path (`$."acc"`). */
function jsonColumn(kind: 'params' | 'metrics', key: string): { sql: string; args: string[] } {
  const [instance, ...path] = key.split('.');
  if (!instance || path.length === 0 || path.some((p) => p === '' || p.includes('"'))) throw new BadQuery(`cannot sort by "${kind}.${key}"`);
  // Whole stages are the instances named like their stage (a sweep's points are not one column).
  return { sql: `(SELECT json_extract(i.${kind}, ?) FROM instances i WHERE i.run_id = runs.id AND i.name = ?)`, args: ['$' + path.map((p) => `."${p}"`).join(''), instance] };
}

function orderBy(sort: string): { sql: string; args: string[] } {
  const descending = sort.startsWith('-');
  const key = descending ? sort.slice(1) : sort;
  const dir = descending ? 'DESC' : 'ASC';
  let column: { sql: string; args: string[] };
  if (COLUMNS[key]) column = { sql: COLUMNS[key], args: [] };
  else if (key.startsWith('metrics.')) column = jsonColumn('metrics', key.slice('metrics.'.length));
  else if (key.startsWith('params.')) column = jsonColumn('params', key.slice('params.'.length));
  else throw new BadQuery(`cannot sort by "${key}": use one of ${Object.keys(COLUMNS).join(', ')}, params.STAGE.KEY or metrics.STAGE.KEY`);
  // Runs without the value go last either way: NULLS LAST, not a leading `… IS NULL` term, which
  // made SQLite run a metric's subquery twice per run (a quarter of the sort's time, bench:ui).
  return { sql: `${column.sql} ${dir} NULLS LAST, id DESC`, args: column.args };
}

export class RunsQueries {
  private readonly db: Database;

  constructor(private readonly store: RunStore) {
    this.db = openSqliteRetrying(store.file, (db) => {
      db.pragma('query_only = ON');
      db.pragma('busy_timeout = 5000');
    });
  }

  page(query: RunsQuery): RunsPage {
    if (query.status !== undefined && !STATUSES.has(query.status)) throw new BadQuery(`unknown status "${query.status}": use one of ${[...STATUSES].join(', ')}`);
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (query.status) {
      where.push('status = ?');
      args.push(query.status);
    }
    if (query.q) {
      const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(`(name LIKE ? ESCAPE '\\' OR status LIKE ? ESCAPE '\\' OR argv LIKE ? ESCAPE '\\' OR IFNULL(git_commit, '') LIKE ? ESCAPE '\\' OR host LIKE ? ESCAPE '\\' OR CAST(id AS TEXT) = ?)`);
      args.push(like, like, like, like, like, query.q.replace(/^#/, ''));
    }
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const { total } = this.db.prepare(`SELECT COUNT(*) AS total FROM runs ${filter}`).get(...args) as { total: number };
    const order = orderBy(query.sort);
    const ids = (this.db.prepare(`SELECT id FROM runs ${filter} ORDER BY ${order.sql} LIMIT ? OFFSET ?`)
      .all(...args, ...order.args, query.limit, query.offset) as { id: number }[]).map((r) => r.id);
    const runs = this.store.runsById(ids);
    const rows = runRows(this.store, runs);
    return {
      total, offset: query.offset, limit: query.limit, sort: query.sort, rows,
      paramKeys: [...new Set(rows.flatMap((r) => Object.keys(r.params)))],
      metricKeys: [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))],
    };
  }

  close(): void {
    this.db.close();
  }
}
