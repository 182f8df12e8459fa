// What every PostgreSQL store shares: a transaction helper, and text as PostgreSQL can keep it.
import type { Pool, PoolClient } from 'pg';

/** Runs `work` in one transaction on one client: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * PostgreSQL text cannot hold NUL (SQLite can): a NUL a customer or a server sent is kept as
 * U+FFFD, like a lone surrogate (which UTF-8 cannot hold either).
 */
export const pgText = (text: string): string =>
  text.replace(/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

/** The PostgreSQL error code (SQLSTATE) of `err`, e.g. '23505' unique violation, '23503' foreign key. */
export function pgErrorCode(err: unknown): string | undefined {
  const code = err instanceof Error ? (err as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}
