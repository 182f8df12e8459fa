// The WhatsApp channel's durable state, in the same <dataDir>/flowbot.db as the conversation
// store, in tables of its own (CREATE TABLE IF NOT EXISTS, like the approvals store): it opens
// before or after the conversation store and never touches its schema version.
//
// - wa_inbound: every customer message, keyed by its WhatsApp message key, written BEFORE it is
//   processed (a replayed event is a no-op) and marked handled after the runner finished. A row
//   still unhandled at start-up was interrupted by a crash and is handled then.
// - wa_outbound: replies, queued; sent in id order (so per customer in order) while connected;
//   once sent, with WhatsApp's message id (a phone that could not decrypt it asks for it again).
// - wa_customers: the customer's current conversation per bot and the human-takeover flag (with
//   when a takeover by the owner's phone ends, and since when the customer waits for a human).
// - wa_auth: Baileys' creds and signal keys, each value encrypted (see encrypted-auth-state.ts).
// - wa_identities: which LID and phone number are one customer (customer-identity-table.ts). The
//   customer methods and enqueue take either address: they keep the customer under the LID when known.
import type { StoredAll } from '../../runtime/ports';
import type { SqliteDatabase } from '../store/sqlite-driver';
import { openDatabaseWith } from '../store/sqlite-store';
import { phoneOf, type LidPair } from './customer-identity';
import { createIdentityTable, IDENTITY_SCHEMA } from './customer-identity-table';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS wa_inbound (
  bot TEXT NOT NULL,
  message_key TEXT NOT NULL,
  jid TEXT NOT NULL,
  push_name TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('text', 'unsupported')),
  text TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  -- WhatsApp's messageTimestamp (ms; whole seconds) and, in a group, who wrote it (see ADDED_COLUMNS).
  sent_at INTEGER,
  participant TEXT,
  -- Set when processing began: the conversation and its last transcript id before the message.
  conversation_id TEXT,
  transcript_mark INTEGER,
  handled_at INTEGER,
  outcome TEXT,
  PRIMARY KEY (bot, message_key)
);
-- Arrival order is the rowid (never reused: rows are not deleted).
CREATE INDEX IF NOT EXISTS wa_inbound_unhandled ON wa_inbound(bot) WHERE handled_at IS NULL;
CREATE TABLE IF NOT EXISTS wa_outbound (
  id INTEGER PRIMARY KEY,
  bot TEXT NOT NULL,
  jid TEXT NOT NULL,
  text TEXT NOT NULL,
  queued_at INTEGER NOT NULL,
  sent_at INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  -- A confirmation question: its conversation and number, reported once sent (see ADDED_COLUMNS).
  conversation_id TEXT,
  question INTEGER,
  -- WhatsApp's id of the sent message (see ADDED_COLUMNS, and ADDED_INDEXES for its index).
  wa_id TEXT
);
CREATE INDEX IF NOT EXISTS wa_outbound_pending ON wa_outbound(bot, id) WHERE sent_at IS NULL;
CREATE TABLE IF NOT EXISTS wa_customers (
  bot TEXT NOT NULL,
  jid TEXT NOT NULL,
  name TEXT,
  conversation_id TEXT,
  flow_id TEXT,
  taken_over INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (bot, jid)
);
CREATE TABLE IF NOT EXISTS wa_auth (
  bot TEXT NOT NULL,
  name TEXT NOT NULL,
  sealed TEXT NOT NULL,
  PRIMARY KEY (bot, name)
);
`;

/** A customer with the phone-number JID of their LID, when known. */
export const CUSTOMER_SELECT = 'SELECT c.*, i.pn AS pn FROM wa_customers c LEFT JOIN wa_identities i ON i.bot = c.bot AND i.lid = c.jid';

/** Columns added after the tables first shipped: added to a data folder that lacks them. */
const ADDED_COLUMNS: { table: string; column: string; type: string }[] = [
  { table: 'wa_inbound', column: 'sent_at', type: 'INTEGER' },
  { table: 'wa_inbound', column: 'participant', type: 'TEXT' },
  { table: 'wa_outbound', column: 'conversation_id', type: 'TEXT' },
  { table: 'wa_outbound', column: 'question', type: 'INTEGER' },
  { table: 'wa_outbound', column: 'wa_id', type: 'TEXT' },
  // The owner in the loop (app/whatsapp-takeover.ts): a takeover's end, and since when a customer waits for a human.
  { table: 'wa_customers', column: 'taken_over_until', type: 'INTEGER' },
  { table: 'wa_customers', column: 'waiting_since', type: 'INTEGER' },
];
/** Indexes on added columns: made after the columns exist. */
const ADDED_INDEXES = ['CREATE INDEX IF NOT EXISTS wa_outbound_wa_id ON wa_outbound(bot, wa_id) WHERE wa_id IS NOT NULL'];

export interface InboundMessage {
  messageKey: string;
  jid: string;
  pushName?: string;
  kind: 'text' | 'unsupported';
  text: string;
  receivedAt: number;
  /** When the customer sent it: WhatsApp's messageTimestamp (whole seconds) in ms. */
  sentAt?: number;
  /** In a group chat: the participant who wrote it (the chat itself is `jid`). */
  participant?: string;
}

/** The confirmation question an outbound message is (reported when it is sent). */
export interface OutboundQuestion {
  conversationId: string;
  question: number;
}

export interface InboundRow extends InboundMessage {
  conversationId?: string;
  transcriptMark?: number;
  handledAt?: number;
  outcome?: string;
}

export interface OutboundRow {
  id: number;
  jid: string;
  text: string;
  queuedAt: number;
  sentAt?: number;
  attempts: number;
  question?: OutboundQuestion;
}

export interface CustomerRow {
  /** The customer's key: their LID when known, else the address they wrote from. */
  jid: string;
  name?: string;
  /** The phone number's digits, when known (a LID alone does not tell it). */
  phone?: string;
  conversationId?: string;
  flowId?: string;
  takenOver: boolean;
  /** A takeover that ends by itself (the owner answered from their phone): the bot answers again from then. */
  takenOverUntil?: number;
  /** The customer waits for a human since then (a hand-off, or they wrote while taken over); cleared when the owner answers. */
  waitingSince?: number;
  updatedAt: number;
}

/** The WhatsApp tables as SQLite answers them (synchronously); the runtime uses the port form, WhatsAppStore. */
export interface WhatsAppStoreSync {
  /** Persists an inbound message; false when its key was seen before (a replay): do nothing then. */
  recordInbound(bot: string, message: InboundMessage): boolean;
  beginInbound(bot: string, messageKey: string, conversationId: string, transcriptMark: number): void;
  markHandled(bot: string, messageKey: string, outcome: string, at: number): void;
  /** Messages received but not handled (a crash in between), oldest first. */
  unhandled(bot: string): InboundRow[];
  inbound(bot: string, messageKey: string): InboundRow | undefined;

  enqueue(bot: string, jid: string, text: string, at: number, question?: OutboundQuestion): number;
  pending(bot: string, limit: number): OutboundRow[];
  /** `waId`: WhatsApp's id of the sent message, when the socket gave one. */
  markSent(id: number, at: number, waId?: string): void;
  /** A sent reply by WhatsApp's id (for a phone that asks for it again). */
  sentMessage(bot: string, waId: string): OutboundRow | undefined;
  markFailed(id: number, error: string): void;
  outbound(bot: string, jid?: string): OutboundRow[];

  /** The key a customer is kept under (their LID when known), for either of their addresses. */
  customerKey(bot: string, jid: string): string;
  /** A LID and a phone number are one customer: what was kept under the number moves to the LID (one transaction). False: known already. */
  learnIdentity(bot: string, pair: LidPair, at: number): boolean;
  /** The other address of a customer key (the phone-number JID of a LID), when known. */
  aliasOf(bot: string, key: string): string | undefined;
  customer(bot: string, jid: string): CustomerRow | undefined;
  customers(bot: string, limit: number): CustomerRow[];
  setConversation(bot: string, jid: string, conversationId: string, flowId: string, name: string | undefined, at: number): void;
  /** `until`: the takeover ends by itself then (absent: until released). Releasing also ends the wait for a human. */
  setTakenOver(bot: string, jid: string, takenOver: boolean, at: number, until?: number): void;
  /** The customer waits for a human since `since` (undefined: not any more). */
  setWaiting(bot: string, jid: string, since: number | undefined): void;
  clearConversation(bot: string, jid: string, at: number): void;

  authGet(bot: string, name: string): string | undefined;
  authSet(bot: string, entries: { name: string; sealed: string | null }[]): void;
  authClear(bot: string): void;
  authCount(bot: string): number;
  close(): void;
}

/** The port: PostgreSQL answers with promises; callers await every method. */
export type WhatsAppStore = StoredAll<WhatsAppStoreSync>;

export interface InboundDbRow {
  message_key: string;
  jid: string;
  push_name: string | null;
  kind: 'text' | 'unsupported';
  text: string;
  received_at: number;
  sent_at: number | null;
  participant: string | null;
  conversation_id: string | null;
  transcript_mark: number | null;
  handled_at: number | null;
  outcome: string | null;
}
export interface OutboundDbRow {
  id: number;
  jid: string;
  text: string;
  queued_at: number;
  sent_at: number | null;
  attempts: number;
  conversation_id: string | null;
  question: number | null;
}
export interface CustomerDbRow {
  jid: string;
  pn: string | null;
  name: string | null;
  conversation_id: string | null;
  flow_id: string | null;
  taken_over: number;
  taken_over_until: number | null;
  waiting_since: number | null;
  updated_at: number;
}

// Rows into records: shared with the PostgreSQL store (../postgres/pg-whatsapp-store.ts).
export const toInbound = (r: InboundDbRow): InboundRow => ({
  messageKey: r.message_key,
  jid: r.jid,
  ...(r.push_name !== null ? { pushName: r.push_name } : {}),
  kind: r.kind,
  text: r.text,
  receivedAt: r.received_at,
  ...(r.sent_at !== null ? { sentAt: r.sent_at } : {}),
  ...(r.participant !== null ? { participant: r.participant } : {}),
  ...(r.conversation_id !== null ? { conversationId: r.conversation_id } : {}),
  ...(r.transcript_mark !== null ? { transcriptMark: r.transcript_mark } : {}),
  ...(r.handled_at !== null ? { handledAt: r.handled_at } : {}),
  ...(r.outcome !== null ? { outcome: r.outcome } : {}),
});
export const toOutbound = (r: OutboundDbRow): OutboundRow => ({
  id: r.id,
  jid: r.jid,
  text: r.text,
  queuedAt: r.queued_at,
  ...(r.sent_at !== null ? { sentAt: r.sent_at } : {}),
  attempts: r.attempts,
  ...(r.conversation_id !== null && r.question !== null ? { question: { conversationId: r.conversation_id, question: r.question } } : {}),
});
export const toCustomer = (r: CustomerDbRow): CustomerRow => {
  const phone = phoneOf(r.pn ?? r.jid);
  return {
    jid: r.jid,
    ...(r.name !== null ? { name: r.name } : {}),
    ...(phone ? { phone } : {}),
    ...(r.conversation_id !== null ? { conversationId: r.conversation_id } : {}),
    ...(r.flow_id !== null ? { flowId: r.flow_id } : {}),
    takenOver: r.taken_over === 1,
    ...(r.taken_over_until !== null ? { takenOverUntil: r.taken_over_until } : {}),
    ...(r.waiting_since !== null ? { waitingSince: r.waiting_since } : {}),
    updatedAt: r.updated_at,
  };
};

export function openWhatsAppStore(dataDir: string): WhatsAppStoreSync {
  const db = openDatabaseWith(dataDir, SCHEMA + IDENTITY_SCHEMA);
  try {
    addMissingColumns(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return createStore(db);
}

function addMissingColumns(db: SqliteDatabase): void {
  db.transaction(() => {
    for (const { table, column, type } of ADDED_COLUMNS) {
      const has = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`).all().some((c) => c.name === column);
      if (!has) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
    }
    for (const index of ADDED_INDEXES) db.exec(index);
  }).immediate();
}

function createStore(db: SqliteDatabase): WhatsAppStoreSync {
  const s = {
    insertInbound: db.prepare(
      `INSERT INTO wa_inbound (bot, message_key, jid, push_name, kind, text, received_at, sent_at, participant)
       VALUES (@bot, @messageKey, @jid, @pushName, @kind, @text, @receivedAt, @sentAt, @participant)
       ON CONFLICT (bot, message_key) DO NOTHING`,
    ),
    beginInbound: db.prepare('UPDATE wa_inbound SET conversation_id = ?, transcript_mark = ? WHERE bot = ? AND message_key = ?'),
    markHandled: db.prepare('UPDATE wa_inbound SET handled_at = ?, outcome = ? WHERE bot = ? AND message_key = ?'),
    unhandled: db.prepare<[string], InboundDbRow>('SELECT * FROM wa_inbound WHERE bot = ? AND handled_at IS NULL ORDER BY rowid'),
    inbound: db.prepare<[string, string], InboundDbRow>('SELECT * FROM wa_inbound WHERE bot = ? AND message_key = ?'),
    enqueue: db.prepare('INSERT INTO wa_outbound (bot, jid, text, queued_at, conversation_id, question) VALUES (?, ?, ?, ?, ?, ?)'),
    pending: db.prepare<[string, number], OutboundDbRow>('SELECT * FROM wa_outbound WHERE bot = ? AND sent_at IS NULL ORDER BY id LIMIT ?'),
    markSent: db.prepare('UPDATE wa_outbound SET sent_at = ?, wa_id = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?'),
    sentMessage: db.prepare<[string, string], OutboundDbRow>('SELECT * FROM wa_outbound WHERE bot = ? AND wa_id = ? AND sent_at IS NOT NULL'),
    markFailed: db.prepare('UPDATE wa_outbound SET attempts = attempts + 1, last_error = ? WHERE id = ?'),
    outboundAll: db.prepare<[string], OutboundDbRow>('SELECT * FROM wa_outbound WHERE bot = ? ORDER BY id'),
    outboundOf: db.prepare<[string, string], OutboundDbRow>('SELECT * FROM wa_outbound WHERE bot = ? AND jid = ? ORDER BY id'),
    customer: db.prepare<[string, string], CustomerDbRow>(`${CUSTOMER_SELECT} WHERE c.bot = ? AND c.jid = ?`),
    customers: db.prepare<[string, number], CustomerDbRow>(`${CUSTOMER_SELECT} WHERE c.bot = ? ORDER BY c.updated_at DESC LIMIT ?`),
    setConversation: db.prepare(
      `INSERT INTO wa_customers (bot, jid, name, conversation_id, flow_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (bot, jid) DO UPDATE SET name = COALESCE(excluded.name, name), conversation_id = excluded.conversation_id,
         flow_id = excluded.flow_id, updated_at = excluded.updated_at`,
    ),
    setTakenOver: db.prepare(
      `INSERT INTO wa_customers (bot, jid, taken_over, taken_over_until, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (bot, jid) DO UPDATE SET taken_over = excluded.taken_over, taken_over_until = excluded.taken_over_until,
         waiting_since = CASE WHEN excluded.taken_over = 1 THEN waiting_since END, updated_at = excluded.updated_at`,
    ),
    setWaiting: db.prepare('UPDATE wa_customers SET waiting_since = ? WHERE bot = ? AND jid = ?'),
    clearConversation: db.prepare('UPDATE wa_customers SET conversation_id = NULL, flow_id = NULL, updated_at = ? WHERE bot = ? AND jid = ?'),
    authGet: db.prepare<[string, string], { sealed: string }>('SELECT sealed FROM wa_auth WHERE bot = ? AND name = ?'),
    authPut: db.prepare('INSERT INTO wa_auth (bot, name, sealed) VALUES (?, ?, ?) ON CONFLICT (bot, name) DO UPDATE SET sealed = excluded.sealed'),
    authDelete: db.prepare('DELETE FROM wa_auth WHERE bot = ? AND name = ?'),
    authClear: db.prepare('DELETE FROM wa_auth WHERE bot = ?'),
    authCount: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM wa_auth WHERE bot = ?'),
  };
  const identities = createIdentityTable(db);
  const authSetTx = db.transaction((bot: string, entries: { name: string; sealed: string | null }[]) => {
    for (const e of entries) {
      if (e.sealed === null) s.authDelete.run(bot, e.name);
      else s.authPut.run(bot, e.name, e.sealed);
    }
  });
  const key = identities.keyOf;
  return {
    recordInbound: (bot, m) =>
      s.insertInbound.run({
        bot,
        messageKey: m.messageKey,
        jid: m.jid,
        pushName: m.pushName ?? null,
        kind: m.kind,
        text: m.text,
        receivedAt: m.receivedAt,
        sentAt: m.sentAt ?? null,
        participant: m.participant ?? null,
      }).changes === 1,
    beginInbound: (bot, key, conversationId, mark) => void s.beginInbound.run(conversationId, mark, bot, key),
    markHandled: (bot, key, outcome, at) => void s.markHandled.run(at, outcome, bot, key),
    unhandled: (bot) => s.unhandled.all(bot).map(toInbound),
    inbound: (bot, key) => {
      const row = s.inbound.get(bot, key);
      return row ? toInbound(row) : undefined;
    },
    enqueue: (bot, jid, text, at, question) =>
      Number(s.enqueue.run(bot, key(bot, jid), text, at, question?.conversationId ?? null, question?.question ?? null).lastInsertRowid),
    pending: (bot, limit) => s.pending.all(bot, limit).map(toOutbound),
    markSent: (id, at, waId) => void s.markSent.run(at, waId ?? null, id),
    sentMessage: (bot, waId) => {
      const row = s.sentMessage.get(bot, waId);
      return row ? toOutbound(row) : undefined;
    },
    markFailed: (id, error) => void s.markFailed.run(error.slice(0, 500), id),
    outbound: (bot, jid) => (jid === undefined ? s.outboundAll.all(bot) : s.outboundOf.all(bot, jid)).map(toOutbound),
    customerKey: key,
    learnIdentity: identities.learn,
    aliasOf: identities.pnOf,
    customer: (bot, jid) => {
      const row = s.customer.get(bot, key(bot, jid));
      return row ? toCustomer(row) : undefined;
    },
    customers: (bot, limit) => s.customers.all(bot, limit).map(toCustomer),
    setConversation: (bot, jid, conversationId, flowId, name, at) => void s.setConversation.run(bot, key(bot, jid), name ?? null, conversationId, flowId, at),
    setTakenOver: (bot, jid, takenOver, at, until) => void s.setTakenOver.run(bot, key(bot, jid), takenOver ? 1 : 0, until ?? null, at),
    setWaiting: (bot, jid, since) => void s.setWaiting.run(since ?? null, bot, key(bot, jid)),
    clearConversation: (bot, jid, at) => void s.clearConversation.run(at, bot, key(bot, jid)),
    authGet: (bot, name) => s.authGet.get(bot, name)?.sealed,
    authSet: (bot, entries) => authSetTx(bot, entries),
    authClear: (bot) => void s.authClear.run(bot),
    authCount: (bot) => s.authCount.get(bot)?.n ?? 0,
    close: () => {
      if (db.open) db.close();
    },
  };
}
