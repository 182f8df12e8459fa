// The conversation store on PostgreSQL (`--database postgres://…`): conversations, transcript,
// single-use confirmations and the hash-chained audit log, shared by every `flowbot serve`
// instance. What makes it safe with several writers:
// - a confirmation is consumed by one conditional UPDATE … RETURNING: of two instances racing
//   for it, the second re-checks the row after the first commits and gets nothing;
// - an append locks the chain's head row (SELECT … FOR UPDATE) for its transaction, so appends
//   from any number of processes follow one another and the chain stays linear;
// - verify reads the rows and the head in one REPEATABLE READ snapshot.
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { canonicalJson } from '../../core/canonical-json';
import { KEYED_CHAIN, verifyChain, type AuditHeadRow, type AuditRow } from '../../core/audit-chain';
import type { AuditEntry, AuditRecord, ConversationState } from '../../shared/conversation';
import type { AuditVerification, ConfirmationInput, ConversationRecord, TranscriptEntry } from '../../runtime/ports';
import type { ConversationStore } from '../store/conversation-store';
import type { StoreOptions } from '../store/sqlite-store';
import { conversationOf, nextAuditRow, rowToRecord, transcriptEntryOf, type ConversationRow, type MessageRow } from '../store/stored-rows';
import { createPgAuditLog } from './pg-audit-log';
import { inTransaction, pgErrorCode, pgText } from './pg-query';

const MESSAGE_COLUMNS = 'id, role, text, at, delivered';
const AUDIT_COLUMNS = `seq, time, bot, conversation_id, flow_id, node_id, server, tool, args_json, status, result_json, reason,
  duration_ms, confirmation_id, customer_reply, prev_hash, hash, chain`;
/** Rows per round trip when the whole log is read (verify). */
const VERIFY_BATCH = 2_000;

/** The store on `pool` (migrated by the caller: storage.ts). The pool is the caller's: close() leaves it open. */
export function createPgStore(pool: Pool, options: StoreOptions = {}): ConversationStore {
  const { auditKey, onKeyedFrom } = options;
  const one = async <R>(sql: string, params: unknown[]): Promise<R | undefined> => (await pool.query<R & object>(sql, params)).rows[0];

  const missingConversation = (err: unknown, conversationId: string, what: string): unknown =>
    pgErrorCode(err) === '23503' ? new Error(`${what}: conversation "${conversationId}" does not exist`) : err;

  const chainOf = async (q: Pick<Pool, 'query'>, seq: number): Promise<unknown> =>
    (await q.query<{ chain: unknown }>('SELECT chain FROM audit WHERE seq = $1', [seq])).rows[0]?.chain;

  return {
    async createConversation(record: Omit<ConversationRecord, 'updatedAt'>) {
      try {
        await pool.query(
          `INSERT INTO conversations (id, flow_id, flow_source, state_json, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)`,
          [record.id, record.flowId, pgText(record.flowSource), JSON.stringify(record.state), record.state.status, record.createdAt],
        );
      } catch (err) {
        if (pgErrorCode(err) === '23505') throw new Error(`cannot create conversation "${record.id}": it already exists`);
        throw err;
      }
    },

    async getConversation(id) {
      const row = await one<ConversationRow>('SELECT * FROM conversations WHERE id = $1', [id]);
      return row ? conversationOf(row) : undefined;
    },

    commitStep(conversationId: string, state: ConversationState, outgoing: string[], at: number): Promise<TranscriptEntry[]> {
      return inTransaction(pool, async (client) => {
        const updated = await client.query('UPDATE conversations SET state_json = $1, status = $2, updated_at = $3 WHERE id = $4', [
          JSON.stringify(state), state.status, at, conversationId,
        ]);
        if (updated.rowCount === 0) throw new Error(`cannot save step: conversation "${conversationId}" does not exist`);
        if (outgoing.length === 0) return [];
        const texts = outgoing.map(pgText);
        // One statement for the step's messages; WITH ORDINALITY keeps their order in the ids.
        const inserted = await client.query<{ id: number }>(
          `INSERT INTO messages (conversation_id, role, text, at, delivered)
           SELECT $1, 'bot', t.text, $3, false FROM unnest($2::text[]) WITH ORDINALITY AS t(text, n) ORDER BY t.n
           RETURNING id`,
          [conversationId, texts, at],
        );
        const ids = inserted.rows.map((r) => r.id).sort((a, b) => a - b);
        return texts.map((text, i) => ({ id: ids[i]!, role: 'bot' as const, text, at, delivered: false }));
      });
    },

    async addCustomerMessage(conversationId, text, at) {
      try {
        // A received message has nothing left to deliver: only bot messages wait in undelivered().
        const row = await one<{ id: number }>(
          `INSERT INTO messages (conversation_id, role, text, at, delivered) VALUES ($1, 'customer', $2, $3, true) RETURNING id`,
          [conversationId, pgText(text), at],
        );
        return { id: row!.id, role: 'customer', text: pgText(text), at, delivered: true };
      } catch (err) {
        throw missingConversation(err, conversationId, 'cannot add a customer message');
      }
    },

    async markDelivered(messageIds) {
      if (messageIds.length) await pool.query('UPDATE messages SET delivered = true WHERE id = ANY($1::bigint[])', [messageIds]);
    },

    async undelivered(conversationId) {
      const { rows } = await pool.query<MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = $1 AND NOT delivered ORDER BY id`,
        [conversationId],
      );
      return rows.map(transcriptEntryOf);
    },

    async transcript(conversationId, limit) {
      const { rows } = await pool.query<MessageRow>(
        `SELECT * FROM (SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = $1 ORDER BY id DESC LIMIT $2) newest ORDER BY id`,
        [conversationId, limit],
      );
      return rows.map(transcriptEntryOf);
    },

    async recordConfirmation(input: ConfirmationInput) {
      const id = randomUUID();
      try {
        await pool.query(
          `INSERT INTO confirmations (id, conversation_id, node_id, server, tool, args_json, call_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [id, input.conversationId, input.nodeId, input.server, input.tool, canonicalJson(input.args), input.callHash, input.at],
        );
      } catch (err) {
        throw missingConversation(err, input.conversationId, 'cannot record a confirmation');
      }
      return id;
    },

    async consumeConfirmation(match) {
      // The outer conditions are checked again on the row itself once a concurrent consumer's
      // transaction ends (READ COMMITTED re-evaluates an UPDATE's WHERE): only one gets the id.
      const row = await one<{ id: string }>(
        `UPDATE confirmations SET used_at = $4
         WHERE id = (SELECT id FROM confirmations
                     WHERE conversation_id = $1 AND node_id = $2 AND call_hash = $3 AND used_at IS NULL AND expired_at IS NULL
                     ORDER BY created_at, seq LIMIT 1)
           AND used_at IS NULL AND expired_at IS NULL
         RETURNING id`,
        [match.conversationId, match.nodeId, match.callHash, match.at],
      );
      return row?.id;
    },

    async expireConfirmations(conversationId, at) {
      await pool.query('UPDATE confirmations SET expired_at = $1 WHERE conversation_id = $2 AND used_at IS NULL AND expired_at IS NULL', [at, conversationId]);
    },

    async appendAudit(entry: AuditEntry): Promise<AuditRecord> {
      const { record, firstKeyed } = await inTransaction(pool, async (client) => {
        const head = (await client.query<AuditHeadRow>('SELECT count, last_hash, mac FROM audit_head WHERE id = 1 FOR UPDATE')).rows[0];
        if (!head || typeof head.count !== 'number' || typeof head.last_hash !== 'string') {
          throw new Error('cannot append to the audit log: its head record is missing or damaged (run `flowbot audit verify`)');
        }
        // A keyed log stays keyed: an unkeyed record after a keyed one would be a downgrade.
        const keyedBefore = head.count > 0 && (await chainOf(client, head.count)) === KEYED_CHAIN;
        if (!auditKey && keyedBefore) {
          throw new Error(
            'cannot append to the audit log: it is keyed and its key is not available (the OS keychain is locked or unavailable). Unlock the keychain, or use another data folder.',
          );
        }
        const { row, headMac } = nextAuditRow(entry, { count: head.count, last_hash: head.last_hash }, auditKey, pgText);
        await client.query(
          `INSERT INTO audit (${AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
          [
            row.seq, row.time, row.bot, row.conversation_id, row.flow_id, row.node_id, row.server, row.tool, row.args_json, row.status,
            row.result_json, row.reason, row.duration_ms, row.confirmation_id, row.customer_reply, row.prev_hash, row.hash, row.chain,
          ],
        );
        await client.query('UPDATE audit_head SET count = $1, last_hash = $2, mac = $3 WHERE id = 1', [row.seq, row.hash, headMac]);
        return { record: rowToRecord(row), firstKeyed: auditKey !== undefined && !keyedBefore };
      });
      if (firstKeyed) onKeyedFrom?.(record.seq); // after the commit: only a record that is there
      return record;
    },

    async listAudit(filter = {}) {
      const { rows } = await pool.query<AuditRow>(
        `SELECT * FROM (SELECT * FROM audit WHERE $1::text IS NULL OR conversation_id = $1 ORDER BY seq DESC LIMIT $2) newest ORDER BY seq`,
        [filter.conversationId ?? null, filter.limit ?? null],
      );
      return rows.map(rowToRecord);
    },

    async auditIsKeyed() {
      const head = await one<AuditHeadRow>('SELECT count, last_hash FROM audit_head WHERE id = 1', []);
      return typeof head?.count === 'number' && head.count > 0 && (await chainOf(pool, head.count)) === KEYED_CHAIN;
    },

    async auditKeyedFrom() {
      const row = await one<{ seq: number | null }>(`SELECT MIN(seq) AS seq FROM audit WHERE chain = ${KEYED_CHAIN}`, []);
      return row?.seq ?? undefined;
    },

    verifyAudit(keyedSince?: number): Promise<AuditVerification> {
      return inTransaction(
        pool,
        async (client) => {
          const head = (await client.query<AuditHeadRow>('SELECT count, last_hash, mac FROM audit_head WHERE id = 1')).rows[0];
          const rows: AuditRow[] = [];
          for (let after = 0; ; ) {
            const batch = (await client.query<AuditRow & { seq: number }>('SELECT * FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2', [after, VERIFY_BATCH])).rows;
            rows.push(...batch);
            if (batch.length < VERIFY_BATCH) break;
            after = batch[batch.length - 1]!.seq;
          }
          return verifyChain(rows, head, rows.length, auditKey, keyedSince);
        },
        'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
      );
    },

    auditLog: createPgAuditLog(pool),

    close: () => undefined,
  };
}
