// The one place that opens a SQLite connection. Two drivers behind one small, synchronous API
// (the part of better-sqlite3's API the stores use), chosen at run time:
//   node:sqlite     built into the runtime: Node >= 22.13 and Electron's Node. No addon, so the
//                   desktop app runs whatever Node ran `npm install` (Electron has its own ABI).
//   better-sqlite3  a native addon built by `npm install` for that Node: the CLI and the tests on
//                   Node 20, which has no node:sqlite. Loaded only when needed, never by Electron.
// Why and what was weighed: docs/sqlite-drivers.md.
import { createRequire } from 'node:module';

export type SqliteDriverName = 'node:sqlite' | 'better-sqlite3';

export interface SqliteRunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

type Args<P> = P extends unknown[] ? P : [P];

/** A prepared statement: positional parameters, or one object for @named ones. */
export interface SqliteStatement<P extends unknown[] | object = unknown[], R = unknown> {
  run(...params: Args<P>): SqliteRunResult;
  get(...params: Args<P>): R | undefined;
  all(...params: Args<P>): R[];
  iterate(...params: Args<P>): IterableIterator<R>;
}

/** `fn` in a transaction (a savepoint when nested); rolled back when it throws. */
export interface SqliteTransaction<F extends (...args: never[]) => unknown> {
  (...args: Parameters<F>): ReturnType<F>;
  /** BEGIN IMMEDIATE: takes the write lock before the first read. */
  immediate(...args: Parameters<F>): ReturnType<F>;
}

export interface SqliteDatabase {
  /** The file path it was opened with. */
  readonly name: string;
  readonly open: boolean;
  prepare<P extends unknown[] | object = unknown[], R = unknown>(sql: string): SqliteStatement<P, R>;
  exec(sql: string): void;
  /** `PRAGMA <source>`: its rows, or with `simple` the first column of the first row. */
  pragma(source: string, options?: { simple?: boolean }): unknown;
  transaction<F extends (...args: never[]) => unknown>(fn: F): SqliteTransaction<F>;
  close(): void;
}

export interface OpenSqliteOptions {
  /** How long a statement waits for another connection's lock before SQLITE_BUSY (ms). */
  timeoutMs: number;
}

/** The driver this runtime uses: node:sqlite where it is built in, better-sqlite3 otherwise. */
export function sqliteDriverName(): SqliteDriverName {
  return nodeSqlite() ? 'node:sqlite' : 'better-sqlite3';
}

/** Opens (creating) the database file at `path`. Foreign keys are enforced (as both drivers default to). */
export function openSqlite(path: string, options: OpenSqliteOptions): SqliteDatabase {
  const builtIn = nodeSqlite();
  if (builtIn) return new NodeSqliteDatabase(builtIn, path, options);
  const Database = betterSqlite3();
  return new Database(path, { timeout: options.timeoutMs }) as unknown as SqliteDatabase;
}

/**
 * The SQLite error code of `err` in better-sqlite3's spelling ('SQLITE_CONSTRAINT_PRIMARYKEY'),
 * whichever driver threw it; undefined for anything else.
 */
export function sqliteErrorCode(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const { code, errcode } = err as Error & { code?: unknown; errcode?: unknown };
  // node:sqlite: code 'ERR_SQLITE_ERROR' and the numeric (extended) result code.
  if (code === 'ERR_SQLITE_ERROR' && typeof errcode === 'number') {
    return EXTENDED_CODES[errcode] ?? PRIMARY_CODES[errcode & 0xff] ?? `SQLITE_ERROR_${errcode}`;
  }
  // better-sqlite3: SqliteError with the name as its code.
  return err.name === 'SqliteError' && typeof code === 'string' ? code : undefined;
}

// ---- node:sqlite -----------------------------------------------------------------------------

/** The part of node:sqlite used here (its types are not in @types/node 20). */
interface NodeSqliteModule {
  DatabaseSync: new (path: string, options?: { enableForeignKeyConstraints?: boolean }) => NodeDatabaseSync;
}
interface NodeDatabaseSync {
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement<unknown[], unknown>;
  close(): void;
}

let builtInModule: NodeSqliteModule | null | undefined;

/** node:sqlite when this runtime has it without a flag (Node >= 22.13, Electron 45), else null. */
function nodeSqlite(): NodeSqliteModule | null {
  if (builtInModule !== undefined) return builtInModule;
  // Loading it prints "ExperimentalWarning: SQLite is an experimental feature" (Node 22, to
  // stderr, in the CLI's output). We rely on the stable, documented part of its API and run our
  // store tests on it, so this one warning is dropped; every other warning still goes out.
  const emitWarning = process.emitWarning;
  process.emitWarning = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]) {
    const text = typeof warning === 'string' ? warning : warning.message;
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    if (type === 'ExperimentalWarning' && /\bSQLite\b/.test(text)) return;
    return (emitWarning as (...args: unknown[]) => void).call(this, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    builtInModule = (process.getBuiltinModule?.('node:sqlite') as NodeSqliteModule | undefined) ?? null;
  } catch {
    builtInModule = null; // 22.5 to 22.12: behind --experimental-sqlite
  } finally {
    process.emitWarning = emitWarning;
  }
  return builtInModule;
}

class NodeSqliteDatabase implements SqliteDatabase {
  private readonly db: NodeDatabaseSync;
  private isOpen = true;
  /** Open transactions of this connection: a nested one is a savepoint, as in better-sqlite3. */
  private depth = 0;

  constructor(module: NodeSqliteModule, readonly name: string, options: OpenSqliteOptions) {
    this.db = new module.DatabaseSync(name, { enableForeignKeyConstraints: true });
    try {
      // The constructor's `timeout` option needs Node 22.16; the pragma works everywhere.
      this.db.exec(`PRAGMA busy_timeout = ${Math.trunc(options.timeoutMs)}`);
    } catch (err) {
      this.db.close();
      throw err;
    }
  }

  get open(): boolean {
    return this.isOpen;
  }

  prepare<P extends unknown[] | object = unknown[], R = unknown>(sql: string): SqliteStatement<P, R> {
    // StatementSync has run/get/all/iterate with better-sqlite3's arguments and results
    // (bare @names bind by default): no wrapper on the per-step path.
    return this.db.prepare(sql) as unknown as SqliteStatement<P, R>;
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  pragma(source: string, options?: { simple?: boolean }): unknown {
    const statement = this.db.prepare(`PRAGMA ${source}`);
    if (!options?.simple) return statement.all();
    const row = statement.get() as Record<string, unknown> | undefined;
    return row === undefined ? undefined : Object.values(row)[0];
  }

  transaction<F extends (...args: never[]) => unknown>(fn: F): SqliteTransaction<F> {
    const run = (begin: string, args: Parameters<F>): ReturnType<F> => {
      const nested = this.depth > 0;
      this.db.exec(nested ? 'SAVEPOINT flowbot_tx' : begin);
      this.depth++;
      try {
        const result = fn(...args) as ReturnType<F>;
        this.db.exec(nested ? 'RELEASE flowbot_tx' : 'COMMIT');
        return result;
      } catch (err) {
        this.undo(nested);
        throw err;
      } finally {
        this.depth--;
      }
    };
    const tx = ((...args: Parameters<F>) => run('BEGIN', args)) as SqliteTransaction<F>;
    tx.immediate = (...args: Parameters<F>) => run('BEGIN IMMEDIATE', args);
    return tx;
  }

  close(): void {
    this.db.close();
    this.isOpen = false;
  }

  private undo(nested: boolean): void {
    try {
      if (nested) this.db.exec('ROLLBACK TO flowbot_tx; RELEASE flowbot_tx');
      else this.db.exec('ROLLBACK');
    } catch {
      // SQLite already rolled back (e.g. after SQLITE_FULL or a failed COMMIT): the first error is the one to report.
    }
  }
}

// ---- better-sqlite3 --------------------------------------------------------------------------

type BetterSqlite3 = new (path: string, options: { timeout: number }) => unknown;

function betterSqlite3(): BetterSqlite3 {
  try {
    return createRequire(import.meta.url)('better-sqlite3') as BetterSqlite3;
  } catch (err) {
    throw new Error(
      `SQLite is not available in Node ${process.versions.node}: it has no built-in node:sqlite (Node 22.13 or later has), ` +
        `and the better-sqlite3 module cannot be loaded (${(err as Error).message.split('\n').join(' ')}). ` +
        'Run `npm rebuild better-sqlite3` with this Node, or use Node 22.13 or later.',
      { cause: err },
    );
  }
}

// ---- error codes -----------------------------------------------------------------------------

const PRIMARY_CODES: Record<number, string> = {
  1: 'SQLITE_ERROR', 2: 'SQLITE_INTERNAL', 3: 'SQLITE_PERM', 4: 'SQLITE_ABORT', 5: 'SQLITE_BUSY',
  6: 'SQLITE_LOCKED', 7: 'SQLITE_NOMEM', 8: 'SQLITE_READONLY', 9: 'SQLITE_INTERRUPT', 10: 'SQLITE_IOERR',
  11: 'SQLITE_CORRUPT', 12: 'SQLITE_NOTFOUND', 13: 'SQLITE_FULL', 14: 'SQLITE_CANTOPEN', 15: 'SQLITE_PROTOCOL',
  16: 'SQLITE_EMPTY', 17: 'SQLITE_SCHEMA', 18: 'SQLITE_TOOBIG', 19: 'SQLITE_CONSTRAINT', 20: 'SQLITE_MISMATCH',
  21: 'SQLITE_MISUSE', 22: 'SQLITE_NOLFS', 23: 'SQLITE_AUTH', 24: 'SQLITE_FORMAT', 25: 'SQLITE_RANGE',
  26: 'SQLITE_NOTADB',
};

/** The extended codes a store may tell apart (sqlite3.h); others fall back to their primary code. */
const EXTENDED_CODES: Record<number, string> = {
  275: 'SQLITE_CONSTRAINT_CHECK', 787: 'SQLITE_CONSTRAINT_FOREIGNKEY', 1299: 'SQLITE_CONSTRAINT_NOTNULL',
  1555: 'SQLITE_CONSTRAINT_PRIMARYKEY', 1811: 'SQLITE_CONSTRAINT_TRIGGER', 2067: 'SQLITE_CONSTRAINT_UNIQUE',
  2579: 'SQLITE_CONSTRAINT_ROWID', 261: 'SQLITE_BUSY_RECOVERY', 517: 'SQLITE_BUSY_SNAPSHOT', 773: 'SQLITE_BUSY_TIMEOUT',
  264: 'SQLITE_READONLY_RECOVERY', 520: 'SQLITE_READONLY_CANTLOCK', 776: 'SQLITE_READONLY_ROLLBACK', 1032: 'SQLITE_READONLY_DBMOVED',
};
