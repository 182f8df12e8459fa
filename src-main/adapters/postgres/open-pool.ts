// A node-postgres pool for a postgres:// URL, with a clear error for anything else.
import pg from 'pg';

/** The database address is not a postgres:// URL (a usage mistake: the CLI exits 2). */
export class DatabaseUrlError extends Error {
  override readonly name = 'DatabaseUrlError';
}

export function openPool(url: string, options: { max?: number; application?: string } = {}): pg.Pool {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseUrlError(`The database address "${redactUrl(url)}" is not a URL: give postgres://USER:PASSWORD@HOST:PORT/DATABASE.`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new DatabaseUrlError(`The database address must start with postgres:// (or postgresql://), not "${parsed.protocol}//".`);
  }
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, application_name: options.application ?? 'flowbot', types: { getTypeParser } });
  // An idle client whose connection dropped (the database restarted) must not crash the process: the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

const INT8 = 20;
/** BIGINT columns (ms epochs, ids, counts) as numbers: every value Flowbot keeps fits in 2^53. */
const getTypeParser = ((oid: number, format?: 'text' | 'binary') =>
  oid === INT8 && format !== 'binary' ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser;

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
