// Per-conversation ordering across `flowbot serve` instances: a message of one conversation is
// handled only while its instance holds the conversation's PostgreSQL advisory lock (a session
// lock on a client of its own, held across the whole step); the next message, on whichever
// instance it arrives, waits for it. Different conversations take different locks: in parallel.
//
// Within one instance the waiters of a key queue in memory first, so a conversation holds at most
// one database connection however many of its messages wait. An instance that dies drops its
// connections, and PostgreSQL releases their locks at once: the next instance goes on.
import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';

/** The lock's 64-bit number: any string (PostgreSQL text cannot hold the NUL some keys carry), hashed here. */
export const lockNumber = (key: string): string => createHash('sha256').update(key).digest().readBigInt64BE(0).toString();

export interface ConversationLocks {
  /** Runs `work` once no other instance (and no other call here) runs work for `key`. */
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

export function createConversationLocks(pool: Pool): ConversationLocks {
  const chains = new Map<string, Promise<unknown>>();

  async function underLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    const lock = lockNumber(key);
    const client: PoolClient = await pool.connect();
    // A connection that drops while held (the database restarted) must not crash the process:
    // the unlock below then fails and the client is thrown away; the lock died with the session.
    const dropped = (): void => undefined;
    client.on('error', dropped);
    try {
      await client.query('SELECT pg_advisory_lock($1::bigint)', [lock]);
    } catch (error) {
      client.off('error', dropped);
      client.release(true);
      throw error;
    }
    try {
      return await work();
    } finally {
      // A client whose unlock failed may still hold the lock: destroyed, never reused.
      const unlocked = await client.query('SELECT pg_advisory_unlock($1::bigint)', [lock]).then(
        () => true,
        () => false,
      );
      client.off('error', dropped);
      client.release(!unlocked);
    }
  }

  return {
    run(key, work) {
      const next = (chains.get(key) ?? Promise.resolve()).then(() => underLock(key, work));
      const settled = next.catch(() => undefined);
      chains.set(key, settled);
      void settled.then(() => {
        if (chains.get(key) === settled) chains.delete(key);
      });
      return next;
    },
  };
}
