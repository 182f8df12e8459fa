// The HTTP chat's messages and customers on PostgreSQL: the same rows as the SQLite store
// (adapters/store/http-chat-store.ts). A message is recorded once whichever instance it reached
// (the primary key), so a retried POST on another instance finds the first one's answer.
import type { Pool } from 'pg';
import { customerOf, messageOf, type CustomerDbRow, type HttpChatStore, type MessageDbRow } from '../store/http-chat-store';
import { pgText } from './pg-query';


export function createPgHttpChatStore(pool: Pool): HttpChatStore {
  return {
    async record(bot, customer, m) {
      const inserted = await pool.query(
        `INSERT INTO http_messages (bot, customer, message_id, text, received_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (bot, customer, message_id) DO NOTHING`,
        [bot, customer, m.messageId, pgText(m.text), m.receivedAt],
      );
      return inserted.rowCount === 1;
    },
    async message(bot, customer, messageId) {
      const r = (await pool.query<MessageDbRow>('SELECT * FROM http_messages WHERE bot = $1 AND customer = $2 AND message_id = $3', [bot, customer, messageId])).rows[0];
      return r ? messageOf(r) : undefined;
    },
    async begin(bot, customer, messageId, conversationId, mark) {
      await pool.query('UPDATE http_messages SET conversation_id = $1, transcript_mark = $2 WHERE bot = $3 AND customer = $4 AND message_id = $5', [
        conversationId, mark, bot, customer, messageId,
      ]);
    },
    async finish(bot, customer, messageId, answer, at) {
      await pool.query('UPDATE http_messages SET handled_at = $1, answer_json = $2 WHERE bot = $3 AND customer = $4 AND message_id = $5', [
        at, pgText(answer), bot, customer, messageId,
      ]);
    },
    async customer(bot, customer) {
      const r = (await pool.query<CustomerDbRow>(
        'SELECT conversation_id, flow_id, updated_at FROM http_customers WHERE bot = $1 AND customer = $2',
        [bot, customer],
      )).rows[0];
      return r ? customerOf(r) : undefined;
    },
    async setConversation(bot, customer, conversationId, flowId, at) {
      await pool.query(
        `INSERT INTO http_customers (bot, customer, conversation_id, flow_id, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (bot, customer) DO UPDATE SET conversation_id = excluded.conversation_id, flow_id = excluded.flow_id, updated_at = excluded.updated_at`,
        [bot, customer, conversationId, flowId, at],
      );
    },
    close: () => undefined,
  };
}
