// The WhatsApp channel's durable state on PostgreSQL: the same tables and rules as the SQLite
// store (adapters/whatsapp/whatsapp-store.ts, customer-identity-table.ts), shared by the
// instances. Only the instance holding a bot's lease connects it (bot-leases.ts), so one process
// at a time writes a bot's inbound and outbound rows; learning an identity still runs in one
// transaction (it moves rows from one key to another). An object of functions, not a class: the
// studio wraps some of its methods by spreading it.
import type { Pool, PoolClient } from 'pg';
import { isPn, personOf, type LidPair } from '../whatsapp/customer-identity';
import type { CustomerKeyRow } from '../whatsapp/customer-identity-table';
import {
  CUSTOMER_SELECT,
  toCustomer,
  toInbound,
  toOutbound,
  type CustomerDbRow,
  type InboundDbRow,
  type OutboundDbRow,
  type WhatsAppStore,
} from '../whatsapp/whatsapp-store';
import { inTransaction, pgText } from './pg-query';

type Query = Pick<PoolClient, 'query'>;


export function createPgWhatsAppStore(pool: Pool): WhatsAppStore {
  const first = async <R extends object>(q: Query, sql: string, params: unknown[]): Promise<R | undefined> => (await q.query<R>(sql, params)).rows[0];

  /** The key a customer is kept under: their LID when known, else the address as given. */
  const keyOf = async (bot: string, jid: string, q: Query = pool): Promise<string> => {
    if (!isPn(jid)) return jid;
    return (await first<{ lid: string }>(q, 'SELECT lid FROM wa_identities WHERE bot = $1 AND pn = $2', [bot, personOf(jid)]))?.lid ?? jid;
  };

  /** What was kept under the phone number moves to the LID (see customer-identity-table.ts for the rules). */
  const merge = async (q: Query, bot: string, { lid, pn }: LidPair): Promise<void> => {
    const customerSql = 'SELECT jid, name, taken_over, taken_over_until, waiting_since, updated_at FROM wa_customers WHERE bot = $1 AND jid = $2 FOR UPDATE';
    const byPn = await first<CustomerKeyRow>(q, customerSql, [bot, pn]);
    if (byPn) {
      const byLid = await first<CustomerKeyRow>(q, customerSql, [bot, lid]);
      if (!byLid) await q.query('UPDATE wa_customers SET jid = $1 WHERE bot = $2 AND jid = $3', [lid, bot, pn]);
      else {
        // The conversation touched last goes on; the name, a human's takeover and a wait for one are kept.
        const [kept, dropped] = byPn.updated_at > byLid.updated_at ? [byPn, byLid] : [byLid, byPn];
        await q.query('DELETE FROM wa_customers WHERE bot = $1 AND jid = $2', [bot, dropped.jid]);
        if (kept === byPn) await q.query('UPDATE wa_customers SET jid = $1 WHERE bot = $2 AND jid = $3', [lid, bot, pn]);
        // A takeover without an end (NULL until) outlasts one with an end; the earlier wait is kept.
        await q.query(
          `UPDATE wa_customers SET name = COALESCE(name, $1), taken_over = GREATEST(taken_over, $2),
             taken_over_until = CASE
               WHEN $2 = 0 THEN taken_over_until
               WHEN taken_over = 0 THEN $3::bigint
               WHEN taken_over_until IS NULL OR $3::bigint IS NULL THEN NULL
               ELSE GREATEST(taken_over_until, $3::bigint) END,
             waiting_since = COALESCE(LEAST(waiting_since, $4::bigint), waiting_since, $4::bigint)
           WHERE bot = $5 AND jid = $6`,
          [dropped.name, dropped.taken_over, dropped.taken_over_until, dropped.waiting_since, bot, lid],
        );
      }
    }
    // Replies not yet sent go to the address WhatsApp expects now.
    await q.query('UPDATE wa_outbound SET jid = $1 WHERE bot = $2 AND jid = $3 AND sent_at IS NULL', [lid, bot, pn]);
  };

  return {
    async recordInbound(bot, m) {
      const inserted = await pool.query(
        `INSERT INTO wa_inbound (bot, message_key, jid, push_name, kind, text, received_at, sent_at, participant)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (bot, message_key) DO NOTHING`,
        [bot, m.messageKey, m.jid, m.pushName === undefined ? null : pgText(m.pushName), m.kind, pgText(m.text), m.receivedAt, m.sentAt ?? null, m.participant ?? null],
      );
      return inserted.rowCount === 1;
    },
    async beginInbound(bot, key, conversationId, mark) {
      await pool.query('UPDATE wa_inbound SET conversation_id = $1, transcript_mark = $2 WHERE bot = $3 AND message_key = $4', [conversationId, mark, bot, key]);
    },
    async markHandled(bot, key, outcome, at) {
      await pool.query('UPDATE wa_inbound SET handled_at = $1, outcome = $2 WHERE bot = $3 AND message_key = $4', [at, pgText(outcome), bot, key]);
    },
    async unhandled(bot) {
      return (await pool.query<InboundDbRow>('SELECT * FROM wa_inbound WHERE bot = $1 AND handled_at IS NULL ORDER BY seq', [bot])).rows.map(toInbound);
    },
    async inbound(bot, key) {
      const row = await first<InboundDbRow>(pool, 'SELECT * FROM wa_inbound WHERE bot = $1 AND message_key = $2', [bot, key]);
      return row ? toInbound(row) : undefined;
    },

    async enqueue(bot, jid, text, at, question) {
      const row = await first<{ id: number }>(
        pool,
        'INSERT INTO wa_outbound (bot, jid, text, queued_at, conversation_id, question) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
        [bot, await keyOf(bot, jid), pgText(text), at, question?.conversationId ?? null, question?.question ?? null],
      );
      return row!.id;
    },
    async pending(bot, limit) {
      return (await pool.query<OutboundDbRow>('SELECT * FROM wa_outbound WHERE bot = $1 AND sent_at IS NULL ORDER BY id LIMIT $2', [bot, limit])).rows.map(toOutbound);
    },
    async markSent(id, at, waId) {
      await pool.query('UPDATE wa_outbound SET sent_at = $1, wa_id = $2, attempts = attempts + 1, last_error = NULL WHERE id = $3', [at, waId ?? null, id]);
    },
    async sentMessage(bot, waId) {
      const row = await first<OutboundDbRow>(pool, 'SELECT * FROM wa_outbound WHERE bot = $1 AND wa_id = $2 AND sent_at IS NOT NULL', [bot, waId]);
      return row ? toOutbound(row) : undefined;
    },
    async markFailed(id, error) {
      await pool.query('UPDATE wa_outbound SET attempts = attempts + 1, last_error = $1 WHERE id = $2', [pgText(error.slice(0, 500)), id]);
    },
    async outbound(bot, jid) {
      const { rows } =
        jid === undefined
          ? await pool.query<OutboundDbRow>('SELECT * FROM wa_outbound WHERE bot = $1 ORDER BY id', [bot])
          : await pool.query<OutboundDbRow>('SELECT * FROM wa_outbound WHERE bot = $1 AND jid = $2 ORDER BY id', [bot, jid]);
      return rows.map(toOutbound);
    },

    customerKey: (bot, jid) => keyOf(bot, jid),
    learnIdentity(bot, pair, at) {
      return inTransaction(pool, async (client) => {
        // Serialized per bot: two learnings of one person never interleave their moves.
        await client.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`flowbot:wa_identities:${bot}`]);
        const known = await first<{ lid: string }>(client, 'SELECT lid FROM wa_identities WHERE bot = $1 AND pn = $2', [bot, pair.pn]);
        if (known?.lid === pair.lid) return false;
        await client.query('DELETE FROM wa_identities WHERE bot = $1 AND (pn = $2 OR lid = $3)', [bot, pair.pn, pair.lid]);
        await client.query('INSERT INTO wa_identities (bot, lid, pn, learned_at) VALUES ($1, $2, $3, $4)', [bot, pair.lid, pair.pn, at]);
        await merge(client, bot, pair);
        return true;
      });
    },
    async aliasOf(bot, lid) {
      return (await first<{ pn: string }>(pool, 'SELECT pn FROM wa_identities WHERE bot = $1 AND lid = $2', [bot, lid]))?.pn;
    },
    async customer(bot, jid) {
      const row = await first<CustomerDbRow>(pool, `${CUSTOMER_SELECT} WHERE c.bot = $1 AND c.jid = $2`, [bot, await keyOf(bot, jid)]);
      return row ? toCustomer(row) : undefined;
    },
    async customers(bot, limit) {
      return (await pool.query<CustomerDbRow>(`${CUSTOMER_SELECT} WHERE c.bot = $1 ORDER BY c.updated_at DESC LIMIT $2`, [bot, limit])).rows.map(toCustomer);
    },
    async setConversation(bot, jid, conversationId, flowId, name, at) {
      await pool.query(
        `INSERT INTO wa_customers (bot, jid, name, conversation_id, flow_id, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (bot, jid) DO UPDATE SET name = COALESCE(excluded.name, wa_customers.name), conversation_id = excluded.conversation_id,
           flow_id = excluded.flow_id, updated_at = excluded.updated_at`,
        [bot, await keyOf(bot, jid), name === undefined ? null : pgText(name), conversationId, flowId, at],
      );
    },
    async setTakenOver(bot, jid, takenOver, at, until) {
      await pool.query(
        `INSERT INTO wa_customers (bot, jid, taken_over, taken_over_until, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (bot, jid) DO UPDATE SET taken_over = excluded.taken_over, taken_over_until = excluded.taken_over_until,
           waiting_since = CASE WHEN excluded.taken_over = 1 THEN wa_customers.waiting_since END, updated_at = excluded.updated_at`,
        [bot, await keyOf(bot, jid), takenOver ? 1 : 0, until ?? null, at],
      );
    },
    async setWaiting(bot, jid, since) {
      await pool.query('UPDATE wa_customers SET waiting_since = $1 WHERE bot = $2 AND jid = $3', [since ?? null, bot, await keyOf(bot, jid)]);
    },
    async clearConversation(bot, jid, at) {
      await pool.query('UPDATE wa_customers SET conversation_id = NULL, flow_id = NULL, updated_at = $1 WHERE bot = $2 AND jid = $3', [at, bot, await keyOf(bot, jid)]);
    },

    async authGet(bot, name) {
      return (await first<{ sealed: string }>(pool, 'SELECT sealed FROM wa_auth WHERE bot = $1 AND name = $2', [bot, name]))?.sealed;
    },
    async authSet(bot, entries) {
      await inTransaction(pool, async (client) => {
        for (const e of entries) {
          if (e.sealed === null) await client.query('DELETE FROM wa_auth WHERE bot = $1 AND name = $2', [bot, e.name]);
          else {
            await client.query('INSERT INTO wa_auth (bot, name, sealed) VALUES ($1, $2, $3) ON CONFLICT (bot, name) DO UPDATE SET sealed = excluded.sealed', [
              bot, e.name, e.sealed,
            ]);
          }
        }
      });
    },
    async authClear(bot) {
      await pool.query('DELETE FROM wa_auth WHERE bot = $1', [bot]);
    },
    async authCount(bot) {
      return Number((await first<{ n: number }>(pool, 'SELECT COUNT(*) AS n FROM wa_auth WHERE bot = $1', [bot]))?.n ?? 0);
    },
    close: () => undefined,
  };
}
