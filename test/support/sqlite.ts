// Reading a raw SQLite connection (src-main/adapters/store/sqlite-driver) in tests.

/** The first column of a row from `get()` (better-sqlite3's pluck), undefined for no row. */
export function firstColumn(row: unknown): unknown {
  return row === undefined ? undefined : Object.values(row as Record<string, unknown>)[0];
}
