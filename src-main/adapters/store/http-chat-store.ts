// The HTTP chat channel's durable state, in the same <dataDir>/flowbot.db as the conversation
// store, in tables of its own (CREATE TABLE IF NOT EXISTS, like whatsapp-store.ts): it never
// touches the conversation store's schema version.
//
// - http_messages: every customer message, keyed by (bot, customer, message id), written BEFORE
//   it is processed. Processing records the conversation and its last transcript id ("mark");
//   once handled, the answer given (replies and status, as JSON) is kept, so a client's retry
//   with the same message id gets the same answer and the flow never runs twice for it.
// - http_customers: the customer's current conversation per bot (and the flow it runs).
import type { StoredAll } from '../../runtime/ports';
import type { SqliteDatabase } from './sqlite-driver';
import { openDatabaseWith } from './sqlite-store';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS http_messages (
  bot TEXT NOT NULL,
  customer TEXT NOT NULL,
  message_id TEXT NOT NULL,
  text TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  conversation_id TEXT,
  transcript_mark INTEGER,
  handled_at INTEGER,
  answer_json TEXT,
  PRIMARY KEY (bot, customer, message_id)
);
CREATE TABLE IF NOT EXISTS http_customers (
  bot TEXT NOT NULL,
  customer TEXT NOT NULL,
  conversation_id TEXT,
  flow_id TEXT,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (bot, customer)
);
`;

export interface HttpMessageRow {
  messageId: string;
  text: string;
  receivedAt: number;
  conversationId?: string;
  /** The conversation's last transcript id before this message (-1: the message opened it). */
  transcriptMark?: number;
  handledAt?: number;
  /** The answer given, as the channel returned it (JSON). */
  answer?: string;
}

export interface HttpCustomerRow {
  conversationId?: string;
  flowId?: string;
  updatedAt: number;
}

/** The HTTP chat tables as SQLite answers them; the runtime uses the port form, HttpChatStore. */
export interface HttpChatStoreSync {
  /** Persists a message; false when (bot, customer, messageId) was seen before. */
  record(bot: string, customer: string, message: { messageId: string; text: string; receivedAt: number }): boolean;
  message(bot: string, customer: string, messageId: string): HttpMessageRow | undefined;
  begin(bot: string, customer: string, messageId: string, conversationId: string, transcriptMark: number): void;
  finish(bot: string, customer: string, messageId: string, answer: string, at: number): void;
  customer(bot: string, customer: string): HttpCustomerRow | undefined;
  setConversation(bot: string, customer: string, conversationId: string, flowId: string, at: number): void;
  close(): void;
}

/** The port: PostgreSQL answers with promises; callers await every method. */
export type HttpChatStore = StoredAll<HttpChatStoreSync>;

export interface MessageDbRow {
  message_id: string;
  text: string;
  received_at: number;
  conversation_id: string | null;
  transcript_mark: number | null;
  handled_at: number | null;
  answer_json: string | null;
}
export interface CustomerDbRow {
  conversation_id: string | null;
  flow_id: string | null;
  updated_at: number;
}

export function openHttpChatStore(dataDir: string): HttpChatStoreSync {
  return createStore(openDatabaseWith(dataDir, SCHEMA));
}

function createStore(db: SqliteDatabase): HttpChatStoreSync {
  const s = {
    insert: db.prepare(
      `INSERT INTO http_messages (bot, customer, message_id, text, received_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (bot, customer, message_id) DO NOTHING`,
    ),
    message: db.prepare<[string, string, string], MessageDbRow>('SELECT * FROM http_messages WHERE bot = ? AND customer = ? AND message_id = ?'),
    begin: db.prepare('UPDATE http_messages SET conversation_id = ?, transcript_mark = ? WHERE bot = ? AND customer = ? AND message_id = ?'),
    finish: db.prepare('UPDATE http_messages SET handled_at = ?, answer_json = ? WHERE bot = ? AND customer = ? AND message_id = ?'),
    customer: db.prepare<[string, string], CustomerDbRow>('SELECT * FROM http_customers WHERE bot = ? AND customer = ?'),
    setConversation: db.prepare(
      `INSERT INTO http_customers (bot, customer, conversation_id, flow_id, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (bot, customer) DO UPDATE SET conversation_id = excluded.conversation_id, flow_id = excluded.flow_id, updated_at = excluded.updated_at`,
    ),
  };
  return {
    record: (bot, customer, m) => s.insert.run(bot, customer, m.messageId, m.text, m.receivedAt).changes === 1,
    message(bot, customer, messageId) {
      const r = s.message.get(bot, customer, messageId);
      return r ? messageOf(r) : undefined;
    },
    begin: (bot, customer, messageId, conversationId, mark) => void s.begin.run(conversationId, mark, bot, customer, messageId),
    finish: (bot, customer, messageId, answer, at) => void s.finish.run(at, answer, bot, customer, messageId),
    customer(bot, customer) {
      const r = s.customer.get(bot, customer);
      return r ? customerOf(r) : undefined;
    },
    setConversation: (bot, customer, conversationId, flowId, at) => void s.setConversation.run(bot, customer, conversationId, flowId, at),
    close: () => {
      if (db.open) db.close();
    },
  };
}

// Rows into records: shared with the PostgreSQL store (../postgres/pg-http-chat-store.ts).
export const messageOf = (r: MessageDbRow): HttpMessageRow => ({
  messageId: r.message_id,
  text: r.text,
  receivedAt: r.received_at,
  ...(r.conversation_id !== null ? { conversationId: r.conversation_id } : {}),
  ...(r.transcript_mark !== null ? { transcriptMark: r.transcript_mark } : {}),
  ...(r.handled_at !== null ? { handledAt: r.handled_at } : {}),
  ...(r.answer_json !== null ? { answer: r.answer_json } : {}),
});

export const customerOf = (r: CustomerDbRow): HttpCustomerRow => ({
  ...(r.conversation_id !== null ? { conversationId: r.conversation_id } : {}),
  ...(r.flow_id !== null ? { flowId: r.flow_id } : {}),
  updatedAt: r.updated_at,
});
