// What `flowbot serve status` reads from the shared PostgreSQL: which instance holds which bot
// (the lease rows), how long, and how much waits per bot (customer messages not handled yet,
// WhatsApp replies not sent yet). A table that does not exist yet counts as empty.
import type { Pool } from 'pg';
import type { BotLease } from '../../core/bot-lease';

export interface BotQueue {
  /** HTTP chat messages received and not answered yet. */
  httpWaiting: number;
  /** WhatsApp messages received and not handled yet. */
  whatsappInWaiting: number;
  /** WhatsApp replies queued and not sent yet. */
  whatsappOutWaiting: number;
}

export interface BotStatus {
  bot: string;
  lease?: BotLease;
  queue: BotQueue;
}

const QUEUES = [
  { table: 'http_messages', field: 'httpWaiting', where: 'handled_at IS NULL' },
  { table: 'wa_inbound', field: 'whatsappInWaiting', where: 'handled_at IS NULL' },
  { table: 'wa_outbound', field: 'whatsappOutWaiting', where: 'sent_at IS NULL' },
] as const;

/** Every bot that has a lease row or something waiting, by name; `now` is the database's clock (ms epoch). */
export async function readServeStatus(pool: Pool): Promise<{ now: number; bots: BotStatus[] }> {
  const { rows: present } = await pool.query<{ name: string }>(
    `SELECT t AS name FROM unnest($1::text[]) AS t WHERE to_regclass(t) IS NOT NULL`,
    [['bot_leases', ...QUEUES.map((q) => q.table)]],
  );
  const has = new Set(present.map((r) => r.name));
  const { rows: clock } = await pool.query<{ now: string }>(`SELECT (extract(epoch from clock_timestamp()) * 1000)::bigint AS now`);
  const bots = new Map<string, BotStatus>();
  const entry = (bot: string): BotStatus => {
    let found = bots.get(bot);
    if (!found) bots.set(bot, (found = { bot, queue: { httpWaiting: 0, whatsappInWaiting: 0, whatsappOutWaiting: 0 } }));
    return found;
  };
  if (has.has('bot_leases')) {
    const { rows } = await pool.query<{ bot: string; holder: string; token: string; acquired_at: string; renewed_at: string; expires_at: string }>('SELECT * FROM bot_leases');
    for (const r of rows) {
      entry(r.bot).lease = { bot: r.bot, holder: r.holder, token: Number(r.token), acquiredAt: Number(r.acquired_at), renewedAt: Number(r.renewed_at), expiresAt: Number(r.expires_at) };
    }
  }
  for (const queue of QUEUES.filter((q) => has.has(q.table))) {
    const { rows } = await pool.query<{ bot: string; n: string }>(`SELECT bot, count(*) AS n FROM ${queue.table} WHERE ${queue.where} GROUP BY bot`);
    for (const r of rows) entry(r.bot).queue[queue.field] = Number(r.n);
  }
  return { now: Number(clock[0]!.now), bots: [...bots.values()].sort((a, b) => a.bot.localeCompare(b.bot)) };
}
