// The bots' lease rows in PostgreSQL (core/bot-lease.ts decides; this applies): every change is
// a compare-and-set on the fencing token in one statement, and times come from the database's
// clock, so instances with skewed clocks agree on who holds a bot and when a lease expires.
import type { Pool } from 'pg';
import type { BotLease } from '../../core/bot-lease';
import { migrate } from './migrations';

const NOW_MS = `(extract(epoch from clock_timestamp()) * 1000)::bigint`;


export interface BotLeases {
  /** The bot's row (if any) and the database's time now (ms epoch). */
  read(bot: string): Promise<{ lease?: BotLease; now: number }>;
  /** Every row, with the database's time now: `flowbot serve status`. */
  list(): Promise<{ leases: BotLease[]; now: number }>;
  /** Creates the row with token 1; undefined when another instance created it first. */
  acquire(bot: string, instance: string, ttlMs: number): Promise<BotLease | undefined>;
  /** Extends `token`'s lease; undefined when the row no longer has that token (taken over). */
  renew(bot: string, instance: string, token: number, ttlMs: number): Promise<BotLease | undefined>;
  /** Takes an expired lease with the next token; undefined when the row changed since it was read. */
  takeOver(bot: string, instance: string, fromToken: number, ttlMs: number): Promise<BotLease | undefined>;
  /** The fence, in one statement against the row: does `instance` still hold `token`, unexpired, now? */
  holds(bot: string, instance: string, token: number): Promise<boolean>;
  /** A clean stop hands the bot over at once: the row expires now (if still ours). */
  release(bot: string, instance: string, token: number): Promise<void>;
}

interface LeaseRow {
  bot: string;
  holder: string;
  token: string;
  acquired_at: string;
  renewed_at: string;
  expires_at: string;
}

const leaseOf = (r: LeaseRow): BotLease => ({
  bot: r.bot,
  holder: r.holder,
  token: Number(r.token),
  acquiredAt: Number(r.acquired_at),
  renewedAt: Number(r.renewed_at),
  expiresAt: Number(r.expires_at),
});

/** Brings the database's schema up to date (the leases are in migration 1), then the leases. */
export async function openBotLeases(pool: Pool): Promise<BotLeases> {
  await migrate(pool);
  return createBotLeases(pool);
}

function createBotLeases(pool: Pool): BotLeases {
  const one = async (sql: string, params: unknown[]): Promise<BotLease | undefined> => {
    const { rows } = await pool.query<LeaseRow>(sql, params);
    return rows[0] ? leaseOf(rows[0]) : undefined;
  };
  return {
    async read(bot) {
      const { rows } = await pool.query<LeaseRow & { now: string }>(
        `SELECT l.*, ${NOW_MS} AS now FROM (SELECT 1) AS one LEFT JOIN bot_leases AS l ON l.bot = $1`,
        [bot],
      );
      const row = rows[0]!;
      return { ...(row.bot !== null ? { lease: leaseOf(row) } : {}), now: Number(row.now) };
    },
    async list() {
      const [{ rows }, clock] = await Promise.all([
        pool.query<LeaseRow>('SELECT * FROM bot_leases ORDER BY bot'),
        pool.query<{ now: string }>(`SELECT ${NOW_MS} AS now`),
      ]);
      return { leases: rows.map(leaseOf), now: Number(clock.rows[0]!.now) };
    },
    acquire: (bot, instance, ttlMs) =>
      one(
        `INSERT INTO bot_leases (bot, holder, token, acquired_at, renewed_at, expires_at)
         VALUES ($1, $2, 1, ${NOW_MS}, ${NOW_MS}, ${NOW_MS} + $3) ON CONFLICT (bot) DO NOTHING RETURNING *`,
        [bot, instance, ttlMs],
      ),
    renew: (bot, instance, token, ttlMs) =>
      one(
        `UPDATE bot_leases SET renewed_at = ${NOW_MS}, expires_at = ${NOW_MS} + $4
         WHERE bot = $1 AND holder = $2 AND token = $3 RETURNING *`,
        [bot, instance, token, ttlMs],
      ),
    takeOver: (bot, instance, fromToken, ttlMs) =>
      one(
        `UPDATE bot_leases SET holder = $2, token = token + 1, acquired_at = ${NOW_MS}, renewed_at = ${NOW_MS}, expires_at = ${NOW_MS} + $4
         WHERE bot = $1 AND token = $3 AND expires_at <= ${NOW_MS} RETURNING *`,
        [bot, instance, fromToken, ttlMs],
      ),
    async holds(bot, instance, token) {
      const { rowCount } = await pool.query(`SELECT 1 FROM bot_leases WHERE bot = $1 AND holder = $2 AND token = $3 AND expires_at > ${NOW_MS}`, [bot, instance, token]);
      return rowCount === 1;
    },
    async release(bot, instance, token) {
      await pool.query(`UPDATE bot_leases SET expires_at = ${NOW_MS} WHERE bot = $1 AND holder = $2 AND token = $3`, [bot, instance, token]);
    },
  };
}
