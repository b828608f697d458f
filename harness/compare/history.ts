// The run history: every run's summary in one SQLite file, so a team sees trends across commits
// (git sha, branch, model, config hash) and `compare` can take "the last run on main" as baseline.
//
// SQLite through better-sqlite3 (v12: v13 needs Node 22). It ships no binary we could use here, and
// its install step falls back from downloading a prebuilt binary to building from source with
// node-gyp (python3, make, g++ and Node's headers are on every machine of this project): `npm ci`
// from a clean clone takes about a minute more for it and needs nothing but the npm registry. The
// module is loaded only by the history commands, so every other command works even where it failed
// to build. Why not node:sqlite: Node 22.5+ only (we support 20). Why not DuckDB: its npm package
// downloads a prebuilt binary at install time, which fails here; sql.js (SQLite compiled to wasm)
// would work too, but keeps the whole database in memory and rewrites the file on every change.
//
// Tables (PRAGMA user_version = 1):
//   runs   one row per run (unique by run id + creation time: adding a run again updates it)
//   rates  per run x suite x arm x range ('all', 'late'): n, successes, rate, Wilson interval,
//          task-clustered standard error, cost, tokens and wall time per trial
//   cells  per run x arm x suite x task x session totals: enough to recompute any session range's
//          statistics exactly, so a run whose directory is gone can still be a baseline (unpaired).

import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { wilsonInterval } from '../stats/index.js';
import { clusterMean, type ClusterTotal } from '../stats/cluster-t.js';
import { CompareInputError, loadRunDir, type Cell, type LoadedRun, type RunMeta } from './run-summary.js';

export const DEFAULT_HISTORY_PATH = '.dreambench/history.sqlite';
const SCHEMA_VERSION = 1;

/** --db, else $DREAMBENCH_HISTORY, else .dreambench/history.sqlite under the current folder. */
export function historyPath(flag?: string): string {
  return resolve(flag ?? process.env.DREAMBENCH_HISTORY ?? DEFAULT_HISTORY_PATH);
}

/** --branch, else the CI's branch (GitHub: the PR's head branch, else the pushed ref), else git's current branch. */
export function detectBranch(flag?: string, cwd = process.cwd()): string | null {
  if (flag) return flag;
  const env = process.env;
  if (env.GITHUB_HEAD_REF) return env.GITHUB_HEAD_REF;
  if (env.GITHUB_REF_NAME) return env.GITHUB_REF_NAME;
  if (env.CI_COMMIT_REF_NAME) return env.CI_COMMIT_REF_NAME; // GitLab
  try {
    const name = execFileSync('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    return name && name !== 'HEAD' ? name : null;
  } catch {
    return null;
  }
}

export interface HistoryRun {
  id: number;
  uid: string;
  run_id: string;
  name: string;
  created_at: string;
  added_at: string;
  git_sha: string | null;
  branch: string | null;
  model: string;
  grader_model: string;
  config_hash: string;
  simulated: boolean;
  status: string;
  replayed: boolean;
  suites: Record<string, string>;
  arms: string[];
  run_dir: string | null;
  trials: number;
  infra: number;
  cost_usd: number;
  tokens: number;
}

export interface HistoryRate {
  run: number;
  suite: string;
  arm: string;
  range: string;
  session_from: number;
  session_to: number;
  n: number;
  successes: number;
  rate: number;
  lo: number;
  hi: number;
  se: number;
  tasks: number;
  cost_usd: number;
  cost_per_trial: number;
  tokens: number;
  tokens_per_trial: number;
  wall_ms_per_trial: number;
}

export interface HistoryQuery {
  branch?: string;
  limit?: number;
}

export const runUid = (meta: Pick<RunMeta, 'run_id' | 'created_at'>): string =>
  createHash('sha256').update(`${meta.run_id}\u0000${meta.created_at}`).digest('hex').slice(0, 16);

type Database = BetterSqlite3.Database;

function loadDriver(): typeof BetterSqlite3 {
  const require = createRequire(import.meta.url);
  try {
    return require('better-sqlite3') as typeof BetterSqlite3;
  } catch (error) {
    throw new Error(
      `the history needs better-sqlite3, which did not load (${(error as Error).message.split('\n')[0]}); ` +
        'reinstall with `npm ci` (it builds from source with python3, make and g++)',
    );
  }
}

interface RunRow extends Omit<HistoryRun, 'simulated' | 'replayed' | 'suites' | 'arms'> {
  simulated: number;
  replayed: number;
  suites: string;
  arms: string;
  meta: string;
}

const fromRow = (row: RunRow): HistoryRun => {
  const { meta: _meta, ...rest } = row;
  return {
    ...rest,
    simulated: row.simulated === 1,
    replayed: row.replayed === 1,
    suites: JSON.parse(row.suites) as Record<string, string>,
    arms: JSON.parse(row.arms) as string[],
  };
};

/** Statistics of one (suite, arm) over sessions [from, to], from cells. */
export function rateFromCells(cells: readonly Cell[], from: number, to: number): Omit<HistoryRate, 'run' | 'suite' | 'arm' | 'range'> {
  const inRange = cells.filter((c) => c.session >= from && c.session <= to);
  const byTask = new Map<string, ClusterTotal>();
  let n = 0;
  let successes = 0;
  let cost = 0;
  let tokens = 0;
  let wall = 0;
  for (const c of inRange) {
    const t = byTask.get(c.task) ?? { y: 0, n: 0 };
    t.y += c.successes;
    t.n += c.n;
    byTask.set(c.task, t);
    n += c.n;
    successes += c.successes;
    cost += c.cost_usd;
    tokens += c.tokens;
    wall += c.wall_ms;
  }
  const mean = clusterMean([...byTask.values()]);
  const w = wilsonInterval(successes, n);
  return {
    session_from: from,
    session_to: to,
    n,
    successes,
    rate: n ? successes / n : NaN,
    lo: w.lo,
    hi: w.hi,
    se: mean.se,
    tasks: mean.k,
    cost_usd: cost,
    cost_per_trial: n ? cost / n : NaN,
    tokens,
    tokens_per_trial: n ? tokens / n : NaN,
    wall_ms_per_trial: n ? wall / n : NaN,
  };
}

export class History {
  private constructor(
    readonly path: string,
    private readonly db: Database,
  ) {}

  /** Open (creating if needed) the history database at `path`. */
  static open(path: string, options: { readonly?: boolean } = {}): History {
    const Driver = loadDriver();
    if (options.readonly && !existsSync(path))
      throw new CompareInputError(`${path}: no history database yet; add runs with \`dreambench history add <run-dir>\``);
    if (!options.readonly) mkdirSync(dirname(path), { recursive: true });
    let db: Database;
    try {
      db = new Driver(path, options.readonly ? { readonly: true, fileMustExist: true } : {});
    } catch (error) {
      throw new CompareInputError(`${path}: cannot open the history database (${(error as Error).message})`);
    }
    db.pragma('busy_timeout = 10000');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION)
        throw new CompareInputError(`${path}: written by a newer dreambench (history schema ${version}, this one knows ${SCHEMA_VERSION})`);
      db.exec(`
        CREATE TABLE IF NOT EXISTS runs (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          uid TEXT NOT NULL UNIQUE,
          run_id TEXT NOT NULL,
          name TEXT NOT NULL,
          created_at TEXT NOT NULL,
          added_at TEXT NOT NULL,
          git_sha TEXT,
          branch TEXT,
          model TEXT NOT NULL,
          grader_model TEXT NOT NULL,
          config_hash TEXT NOT NULL,
          simulated INTEGER NOT NULL,
          status TEXT NOT NULL,
          replayed INTEGER NOT NULL,
          suites TEXT NOT NULL,
          arms TEXT NOT NULL,
          run_dir TEXT,
          trials INTEGER NOT NULL,
          infra INTEGER NOT NULL,
          cost_usd REAL NOT NULL,
          tokens REAL NOT NULL,
          meta TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS runs_by_branch ON runs (branch, created_at);
        CREATE TABLE IF NOT EXISTS rates (
          run INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          suite TEXT NOT NULL, arm TEXT NOT NULL, range TEXT NOT NULL,
          session_from INTEGER NOT NULL, session_to INTEGER NOT NULL,
          n INTEGER NOT NULL, successes INTEGER NOT NULL, rate REAL, lo REAL, hi REAL, se REAL, tasks INTEGER NOT NULL,
          cost_usd REAL NOT NULL, cost_per_trial REAL, tokens REAL NOT NULL, tokens_per_trial REAL, wall_ms_per_trial REAL,
          PRIMARY KEY (run, suite, arm, range)
        );
        CREATE TABLE IF NOT EXISTS cells (
          run INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          arm TEXT NOT NULL, suite TEXT NOT NULL, task TEXT NOT NULL, session INTEGER NOT NULL,
          n INTEGER NOT NULL, successes INTEGER NOT NULL, cost_usd REAL NOT NULL, tokens REAL NOT NULL, wall_ms REAL NOT NULL, infra INTEGER NOT NULL,
          PRIMARY KEY (run, arm, suite, task, session)
        );
      `);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }
    return new History(path, db);
  }

  close(): void {
    this.db.close();
  }

  /** Add (or update) a run's summary. Returns the stored row. */
  add(run: LoadedRun, options: { branch: string | null }): HistoryRun {
    const m = run.meta;
    const uid = runUid(m);
    const cells = run.cells;
    const total = (f: (c: Cell) => number): number => cells.reduce((s, c) => s + f(c), 0);
    const write = this.db.transaction((): number => {
      this.db
        .prepare(
          `INSERT INTO runs (uid, run_id, name, created_at, added_at, git_sha, branch, model, grader_model, config_hash, simulated, status, replayed,
                             suites, arms, run_dir, trials, infra, cost_usd, tokens, meta)
           VALUES (@uid, @run_id, @name, @created_at, @added_at, @git_sha, @branch, @model, @grader_model, @config_hash, @simulated, @status, @replayed,
                   @suites, @arms, @run_dir, @trials, @infra, @cost_usd, @tokens, @meta)
           ON CONFLICT (uid) DO UPDATE SET added_at = excluded.added_at, branch = COALESCE(excluded.branch, runs.branch), status = excluded.status,
             run_dir = excluded.run_dir, trials = excluded.trials, infra = excluded.infra, cost_usd = excluded.cost_usd, tokens = excluded.tokens, meta = excluded.meta`,
        )
        .run({
          uid,
          run_id: m.run_id,
          name: m.name,
          created_at: m.created_at,
          added_at: new Date().toISOString(),
          git_sha: m.git_sha,
          branch: options.branch,
          model: m.model,
          grader_model: m.grader_model,
          config_hash: m.config_hash,
          simulated: m.simulated ? 1 : 0,
          status: m.status,
          replayed: m.cache_mode === 'replay' ? 1 : 0,
          suites: JSON.stringify(m.suites),
          arms: JSON.stringify(m.arms),
          run_dir: run.path ?? null,
          trials: total((c) => c.n),
          infra: total((c) => c.infra),
          cost_usd: total((c) => c.cost_usd),
          tokens: total((c) => c.tokens),
          meta: JSON.stringify(m),
        });
      const id = (this.db.prepare('SELECT id FROM runs WHERE uid = ?').get(uid) as { id: number }).id;
      this.db.prepare('DELETE FROM cells WHERE run = ?').run(id);
      this.db.prepare('DELETE FROM rates WHERE run = ?').run(id);
      const insertCell = this.db.prepare(
        'INSERT INTO cells (run, arm, suite, task, session, n, successes, cost_usd, tokens, wall_ms, infra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const c of cells)
        insertCell.run(id, c.arm, c.suite, c.task, c.session, c.n, c.successes, c.cost_usd, c.tokens, c.wall_ms, c.infra);
      const insertRate = this.db.prepare(
        `INSERT INTO rates (run, suite, arm, range, session_from, session_to, n, successes, rate, lo, hi, se, tasks, cost_usd, cost_per_trial, tokens, tokens_per_trial, wall_ms_per_trial)
         VALUES (@run, @suite, @arm, @range, @session_from, @session_to, @n, @successes, @rate, @lo, @hi, @se, @tasks, @cost_usd, @cost_per_trial, @tokens, @tokens_per_trial, @wall_ms_per_trial)`,
      );
      const S = m.sessions;
      for (const suite of Object.keys(m.suites).sort()) {
        for (const arm of m.arms) {
          const mine = cells.filter((c) => c.suite === suite && c.arm === arm);
          for (const [range, from] of [
            ['all', 1],
            ['late', Math.floor(S / 2) + 1],
          ] as const) {
            const r = rateFromCells(mine, from, S);
            insertRate.run({ run: id, suite, arm, range, ...nullify(r) });
          }
        }
      }
      return id;
    });
    const id = write();
    return this.get(id)!;
  }

  get(id: number): HistoryRun | undefined {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** Runs, newest first (by creation time), optionally on one branch. */
  list(query: HistoryQuery = {}): HistoryRun[] {
    const where = query.branch !== undefined ? 'WHERE branch = @branch' : '';
    const limit = query.limit !== undefined ? 'LIMIT @limit' : '';
    const rows = this.db.prepare(`SELECT * FROM runs ${where} ORDER BY created_at DESC, id DESC ${limit}`).all({
      ...(query.branch !== undefined ? { branch: query.branch } : {}),
      ...(query.limit !== undefined ? { limit: query.limit } : {}),
    }) as RunRow[];
    return rows.map(fromRow);
  }

  /** The newest run on a branch, other than `excludeUid` (the candidate itself, when it was added already). */
  last(branch: string, excludeUid?: string): HistoryRun | undefined {
    return this.list({ branch }).find((r) => r.uid !== excludeUid);
  }

  rates(runIds: readonly number[], range = 'all'): HistoryRate[] {
    if (runIds.length === 0) return [];
    const rows = this.db
      .prepare(`SELECT * FROM rates WHERE range = ? AND run IN (${runIds.map(() => '?').join(',')}) ORDER BY run, suite, arm`)
      .all(range, ...runIds) as Array<Record<string, number | string | null>>;
    return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? NaN : v])) as unknown as HistoryRate);
  }

  cells(runId: number): Cell[] {
    return this.db
      .prepare(
        'SELECT arm, suite, task, session, n, successes, cost_usd, tokens, wall_ms, infra FROM cells WHERE run = ? ORDER BY arm, suite, task, session',
      )
      .all(runId) as Cell[];
  }

  meta(runId: number): RunMeta {
    const row = this.db.prepare('SELECT meta FROM runs WHERE id = ?').get(runId) as { meta: string } | undefined;
    if (!row) throw new CompareInputError(`${this.path}: no run #${runId} in the history`);
    return JSON.parse(row.meta) as RunMeta;
  }

  /**
   * A stored run as a comparison side: its run directory when it still exists (and is the same run),
   * so pairing stays possible; otherwise its stored summary (unpaired statistics only).
   */
  load(run: HistoryRun): LoadedRun {
    if (run.run_dir && existsSync(resolve(run.run_dir, 'manifest.json'))) {
      try {
        const manifest = JSON.parse(readFileSync(resolve(run.run_dir, 'manifest.json'), 'utf8')) as {
          run_id?: string;
          created_at?: string;
        };
        if (manifest.run_id === run.run_id && manifest.created_at === run.created_at)
          return { ...loadRunDir(run.run_dir), history_id: run.id };
      } catch {
        // fall through to the stored summary
      }
    }
    return {
      meta: this.meta(run.id),
      source: 'history',
      ...(run.run_dir ? { path: run.run_dir } : {}),
      cells: this.cells(run.id),
      history_id: run.id,
    };
  }
}

/** SQLite stores NaN as NULL; keep the row's other values. */
function nullify<T extends Record<string, number>>(row: T): Record<keyof T, number | null> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number.isFinite(v) ? v : null])) as Record<keyof T, number | null>;
}

/**
 * Resolve a baseline spec: `last:<branch>` (the newest run on that branch in the history, not the
 * candidate itself) or `history:<id>`. Returns undefined for anything else (a run directory).
 */
export function resolveHistorySpec(
  spec: string,
  dbPath: string,
  candidate?: Pick<RunMeta, 'run_id' | 'created_at'>,
): LoadedRun | undefined {
  const last = /^last:(.+)$/.exec(spec);
  const byId = /^history:(\d+)$/.exec(spec);
  if (!last && !byId) return undefined;
  if (!existsSync(dbPath))
    throw new CompareInputError(
      `${spec}: no history database at ${dbPath}; add runs with \`dreambench history add <run-dir> --db ${dbPath}\``,
    );
  const history = History.open(dbPath, { readonly: true });
  try {
    const run = last ? history.last(last[1]!, candidate ? runUid(candidate) : undefined) : history.get(Number(byId![1]));
    if (!run)
      throw new CompareInputError(last ? `${spec}: no run on branch "${last[1]}" in ${dbPath}` : `${spec}: no such run in ${dbPath}`);
    return history.load(run);
  } finally {
    history.close();
  }
}
