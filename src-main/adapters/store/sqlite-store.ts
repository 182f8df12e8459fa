// The StorePort on SQLite (node:sqlite or better-sqlite3, see ./sqlite-driver): conversations,
// transcript, single-use confirmations and the hash-chained audit log, in <dataDir>/flowbot.db.
// The CLI and the app may open the same file at once: WAL, a busy timeout, and IMMEDIATE
// transactions where a write depends on what was just read.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../../core/canonical-json';
import type { AuditEntry, AuditRecord, ConversationState } from '../../shared/conversation';
import {
  conversationOf,
  nextAuditRow,
  rowToRecord,
  transcriptEntryOf,
  wellFormed,
  type ConversationRow,
  type MessageRow,
} from './stored-rows';
import { createAuditQueries, type AuditQueries } from './audit-query';
import type { ConversationStore } from './conversation-store';
import { openSqlite, sqliteErrorCode, type SqliteDatabase, type SqliteTransaction } from './sqlite-driver';
import { AUDIT_GENESIS_HASH, KEYED_CHAIN, verifyChain, type AuditHeadRow, type AuditRow } from '../../core/audit-chain';
export { AUDIT_VALUE_MAX_CHARS, boundedJson, rowToRecord } from './stored-rows';
import type {
  AuditVerification,
  ConfirmationInput,
  ConversationRecord,
  TranscriptEntry,
} from '../../runtime/ports';

export const DB_FILE_NAME = 'flowbot.db';
export const SCHEMA_VERSION = 5;
export { AUDIT_GENESIS_HASH };
export type { AuditRow };

const SCHEMA_V1 = `
CREATE TABLE IF NOT EXISTS conversations (
  id TEXT PRIMARY KEY,
  flow_id TEXT NOT NULL,
  flow_source TEXT NOT NULL,
  state_json TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
  -- Plain rowid ids, no AUTOINCREMENT: messages are never deleted, so ids are never reused,
  -- and AUTOINCREMENT's extra write costs ~20% of a step. undelivered() uses the one index.
  id INTEGER PRIMARY KEY,
  conversation_id TEXT NOT NULL REFERENCES conversations(id),
  role TEXT NOT NULL CHECK (role IN ('customer', 'bot')),
  text TEXT NOT NULL,
  at INTEGER NOT NULL,
  delivered INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS messages_by_conversation ON messages(conversation_id, id);
CREATE TABLE IF NOT EXISTS confirmations (
  id TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL REFERENCES conversations(id),
  node_id TEXT NOT NULL,
  server TEXT NOT NULL,
  tool TEXT NOT NULL,
  args_json TEXT NOT NULL,
  call_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  used_at INTEGER,
  expired_at INTEGER
);
CREATE INDEX IF NOT EXISTS confirmations_open ON confirmations(conversation_id, node_id, call_hash)
  WHERE used_at IS NULL AND expired_at IS NULL;
-- No foreign key: the audit log outlives (and may name) conversations not stored here.
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
  conversation_id TEXT NOT NULL,
  flow_id TEXT NOT NULL,
  node_id TEXT NOT NULL,
  server TEXT NOT NULL,
  tool TEXT NOT NULL,
  args_json TEXT,
  status TEXT NOT NULL,
  result_json TEXT,
  reason TEXT,
  duration_ms REAL NOT NULL,
  confirmation_id TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_by_conversation ON audit(conversation_id, seq);
-- The head lets verify notice a deleted or added tail record, which the chain alone cannot.
CREATE TABLE IF NOT EXISTS audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  count INTEGER NOT NULL,
  last_hash TEXT NOT NULL
);
INSERT OR IGNORE INTO audit_head (id, count, last_hash) VALUES (1, 0, '${AUDIT_GENESIS_HASH}');
`;

// Schema 2: audit records name the bot. Older records keep NULL there, and a NULL bot is left
// out of the hashed content, so a log written before still verifies (see recordFields).
const SCHEMA_V2 = `
ALTER TABLE audit ADD COLUMN bot TEXT;
`;

// Schema 3: what the customer wrote when they answered a confirmation. NULL (older records,
// calls nobody was asked about) is left out of the hashed content, like the bot.
const SCHEMA_V3 = `
ALTER TABLE audit ADD COLUMN customer_reply TEXT;
`;

// Schema 4: audit records carry their chain version (NULL: unkeyed, 2: keyed with the
// keychain's key; core/audit-chain.ts). Older records keep NULL and verify as before.
const SCHEMA_V4 = `
ALTER TABLE audit ADD COLUMN chain INTEGER;
`;

// Schema 5: the head of a keyed log is sealed with an HMAC of (count, last_hash)
// (core/audit-chain.ts headMac), so rewinding it after deleting the newest records is detected.
// NULL while the log is unkeyed, and in logs keyed under schema 4 until their next append.
const SCHEMA_V5 = `
ALTER TABLE audit_head ADD COLUMN mac TEXT;
`;

/** The data folder cannot be used: a file in its way, not a database, no permission, or absent. */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError';
}

export interface StoreOptions {
  /** false refuses a folder without a database (e.g. a mistyped --data-dir for audit). */
  create?: boolean;
  /**
   * The audit chain's key (app/audit-key.ts, from the OS keychain). With it new records are
   * keyed; without it they are chained unkeyed, unless the log is keyed already: then appending
   * is refused (no downgrade) and verify cannot check the keyed records.
   */
  auditKey?: Uint8Array;
  /** Called after the log's first keyed record is committed: the keychain remembers it (app/audit-key.ts). */
  onKeyedFrom?: (seq: number) => void;
}

export function openStore(dataDir: string, options: StoreOptions = {}): SqliteStore {
  if (options.create === false && !existsSync(join(dataDir, DB_FILE_NAME))) {
    throw new StoreOpenError(`There is no Flowbot data in ${dataDir} (no ${DB_FILE_NAME}). Check --data-dir.`);
  }
  return new SqliteStore(dataDir, options.auditKey, options.onKeyedFrom);
}

/** Opens (creating) <dataDir>/flowbot.db in WAL mode; StoreOpenError when the folder cannot be used. */
export function openDatabase(dataDir: string): SqliteDatabase {
  let db: SqliteDatabase | undefined;
  try {
    mkdirSync(dataDir, { recursive: true });
    db = openSqlite(join(dataDir, DB_FILE_NAME), { timeoutMs: 5000 });
    db.pragma('journal_mode = WAL'); // the first read: fails here when the file is not a database
    return db;
  } catch (err) {
    db?.close();
    throw new StoreOpenError(`Cannot use the data folder ${dataDir}: ${(err as Error).message}`);
  }
}

/**
 * openDatabase plus the settings every table set of flowbot.db uses, and `schema` (CREATE ... IF
 * NOT EXISTS) applied in one immediate transaction: the approvals and WhatsApp tables.
 */
export function openDatabaseWith(dataDir: string, schema: string): SqliteDatabase {
  const db = openDatabase(dataDir);
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    db.transaction(() => db.exec(schema)).immediate();
    return db;
  } catch (err) {
    db.close();
    throw new StoreOpenError(`Cannot use the data folder ${dataDir}: ${(err as Error).message}`);
  }
}

function prepareStatements(db: SqliteDatabase) {
  return {
    insertConversation: db.prepare(
      `INSERT INTO conversations (id, flow_id, flow_source, state_json, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    getConversation: db.prepare<[string], ConversationRow>('SELECT * FROM conversations WHERE id = ?'),
    updateState: db.prepare('UPDATE conversations SET state_json = ?, status = ?, updated_at = ? WHERE id = ?'),
    insertMessage: db.prepare('INSERT INTO messages (conversation_id, role, text, at, delivered) VALUES (?, ?, ?, ?, ?)'),
    markDelivered: db.prepare('UPDATE messages SET delivered = 1 WHERE id = ?'),
    undelivered: db.prepare<[string], MessageRow>(
      'SELECT id, role, text, at, delivered FROM messages WHERE conversation_id = ? AND delivered = 0 ORDER BY id',
    ),
    // The inner query takes the newest `limit`, the outer puts them back in order.
    transcript: db.prepare<[string, number], MessageRow>(
      `SELECT * FROM (SELECT id, role, text, at, delivered FROM messages WHERE conversation_id = ?
       ORDER BY id DESC LIMIT ?) ORDER BY id`,
    ),
    insertConfirmation: db.prepare(
      `INSERT INTO confirmations (id, conversation_id, node_id, server, tool, args_json, call_hash, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    // One statement, so two processes can never both consume the same confirmation.
    consumeConfirmation: db.prepare<[{ conversationId: string; nodeId: string; callHash: string; at: number }], { id: string }>(
      `UPDATE confirmations SET used_at = @at
       WHERE id = (SELECT id FROM confirmations
                   WHERE conversation_id = @conversationId AND node_id = @nodeId AND call_hash = @callHash
                     AND used_at IS NULL AND expired_at IS NULL
                   ORDER BY created_at, rowid LIMIT 1)
         AND used_at IS NULL AND expired_at IS NULL
       RETURNING id`,
    ),
    expireConfirmations: db.prepare(
      'UPDATE confirmations SET expired_at = ? WHERE conversation_id = ? AND used_at IS NULL AND expired_at IS NULL',
    ),
    auditHead: db.prepare<[], AuditHeadRow>('SELECT count, last_hash, mac FROM audit_head WHERE id = 1'),
    setAuditHead: db.prepare('UPDATE audit_head SET count = ?, last_hash = ?, mac = ? WHERE id = 1'),
    insertAudit: db.prepare<[AuditRow]>(
      `INSERT INTO audit (seq, time, bot, conversation_id, flow_id, node_id, server, tool, args_json, status,
         result_json, reason, duration_ms, confirmation_id, customer_reply, prev_hash, hash, chain)
       VALUES (@seq, @time, @bot, @conversation_id, @flow_id, @node_id, @server, @tool, @args_json, @status,
         @result_json, @reason, @duration_ms, @confirmation_id, @customer_reply, @prev_hash, @hash, @chain)`,
    ),
    auditChainOf: db.prepare<[number], { chain: unknown }>('SELECT chain FROM audit WHERE seq = ?'),
    firstKeyed: db.prepare<[], { seq: number | null }>(`SELECT MIN(seq) AS seq FROM audit WHERE chain = ${KEYED_CHAIN}`),
    // LIMIT -1 is "no limit" in SQLite.
    listAudit: db.prepare<[{ conversationId: string | null; limit: number }], AuditRow>(
      `SELECT * FROM (SELECT * FROM audit WHERE @conversationId IS NULL OR conversation_id = @conversationId
       ORDER BY seq DESC LIMIT @limit) ORDER BY seq`,
    ),
    allAudit: db.prepare<[], AuditRow>('SELECT * FROM audit ORDER BY seq'),
    countAudit: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM audit'),
  };
}

export class SqliteStore implements ConversationStore {
  private readonly db: SqliteDatabase;
  private readonly stmt: ReturnType<typeof prepareStatements>;
  // Transactions are wrapped once, like the statements: this is the per-step hot path.
  private readonly commitStepTx: SqliteTransaction<SqliteStore['commitStepInTx']>;
  private readonly markDeliveredTx: SqliteTransaction<(ids: number[]) => void>;
  private readonly appendAuditTx: SqliteTransaction<SqliteStore['appendAuditInTx']>;
  private auditQueries: AuditQueries | undefined;

  constructor(
    dataDir: string,
    /** The audit chain's key, when the keychain gave one (openStore). */
    private readonly auditKey?: Uint8Array,
    private readonly onKeyedFrom?: (seq: number) => void,
  ) {
    this.db = openDatabase(dataDir);
    this.db.pragma('busy_timeout = 5000');
    // NORMAL is durable across app crashes in WAL mode; only an OS crash may lose the last commits.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    try {
      migrate(this.db);
    } catch (err) {
      this.db.close();
      throw new StoreOpenError(`Cannot use the data folder ${dataDir}: ${(err as Error).message}`);
    }
    this.stmt = prepareStatements(this.db);
    this.commitStepTx = this.db.transaction(this.commitStepInTx.bind(this));
    this.markDeliveredTx = this.db.transaction((ids: number[]) => {
      for (const id of ids) this.stmt.markDelivered.run(id);
    });
    this.appendAuditTx = this.db.transaction(this.appendAuditInTx.bind(this));
  }

  createConversation(record: Omit<ConversationRecord, 'updatedAt'>): void {
    try {
      this.stmt.insertConversation.run(
        record.id, record.flowId, record.flowSource, JSON.stringify(record.state), record.state.status,
        record.createdAt, record.createdAt,
      );
    } catch (err) {
      if (sqliteErrorCode(err) === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new Error(`cannot create conversation "${record.id}": it already exists`);
      }
      throw err;
    }
  }

  getConversation(id: string): ConversationRecord | undefined {
    const row = this.stmt.getConversation.get(id);
    return row ? conversationOf(row) : undefined;
  }

  commitStep(conversationId: string, state: ConversationState, outgoing: string[], at: number): TranscriptEntry[] {
    return this.commitStepTx(conversationId, state, outgoing, at);
  }

  private commitStepInTx(conversationId: string, state: ConversationState, outgoing: string[], at: number): TranscriptEntry[] {
    const updated = this.stmt.updateState.run(JSON.stringify(state), state.status, at, conversationId);
    if (updated.changes === 0) throw new Error(`cannot save step: conversation "${conversationId}" does not exist`);
    return outgoing.map((text) => {
      const { lastInsertRowid } = this.stmt.insertMessage.run(conversationId, 'bot', text, at, 0);
      return { id: Number(lastInsertRowid), role: 'bot', text, at, delivered: false };
    });
  }

  addCustomerMessage(conversationId: string, text: string, at: number): TranscriptEntry {
    try {
      // A received message has nothing left to deliver: only bot messages wait in undelivered().
      const { lastInsertRowid } = this.stmt.insertMessage.run(conversationId, 'customer', text, at, 1);
      return { id: Number(lastInsertRowid), role: 'customer', text, at, delivered: true };
    } catch (err) {
      throw missingConversation(err, conversationId, 'cannot add a customer message');
    }
  }

  markDelivered(messageIds: number[]): void {
    this.markDeliveredTx(messageIds);
  }

  undelivered(conversationId: string): TranscriptEntry[] {
    return this.stmt.undelivered.all(conversationId).map(transcriptEntryOf);
  }

  transcript(conversationId: string, limit: number): TranscriptEntry[] {
    return this.stmt.transcript.all(conversationId, limit).map(transcriptEntryOf);
  }

  recordConfirmation(input: ConfirmationInput): string {
    const id = randomUUID();
    try {
      this.stmt.insertConfirmation.run(
        id, input.conversationId, input.nodeId, input.server, input.tool, canonicalJson(input.args), input.callHash, input.at,
      );
    } catch (err) {
      throw missingConversation(err, input.conversationId, 'cannot record a confirmation');
    }
    return id;
  }

  consumeConfirmation(match: { conversationId: string; nodeId: string; callHash: string; at: number }): string | undefined {
    return this.stmt.consumeConfirmation.get(match)?.id;
  }

  expireConfirmations(conversationId: string, at: number): void {
    this.stmt.expireConfirmations.run(at, conversationId);
  }

  appendAudit(entry: AuditEntry): AuditRecord {
    // IMMEDIATE takes the write lock before the head is read, so two processes cannot both
    // append record N+1 (a deferred read-then-write would fail with SQLITE_BUSY instead).
    const { record, firstKeyed } = this.appendAuditTx.immediate(entry);
    if (firstKeyed) this.onKeyedFrom?.(record.seq); // after the commit: only a record that is there
    return record;
  }

  private appendAuditInTx(entry: AuditEntry): { record: AuditRecord; firstKeyed: boolean } {
    const head = this.stmt.auditHead.get();
    if (!head || typeof head.count !== 'number' || typeof head.last_hash !== 'string') {
      throw new Error('cannot append to the audit log: its head record is missing or damaged (run `flowbot audit verify`)');
    }
    // A keyed log stays keyed: an unkeyed record after a keyed one would be a downgrade.
    const keyedBefore = head.count > 0 && this.stmt.auditChainOf.get(head.count)?.chain === KEYED_CHAIN;
    if (!this.auditKey && keyedBefore) {
      throw new Error(
        'cannot append to the audit log: it is keyed and its key is not available (the OS keychain is locked or unavailable). Unlock the keychain, or use another data folder.',
      );
    }
    const { row, headMac } = nextAuditRow(entry, { count: head.count, last_hash: head.last_hash }, this.auditKey, wellFormed);
    this.stmt.insertAudit.run(row);
    this.stmt.setAuditHead.run(row.seq, row.hash, headMac);
    return { record: rowToRecord(row), firstKeyed: this.auditKey !== undefined && !keyedBefore };
  }

  listAudit(filter: { conversationId?: string; limit?: number } = {}): AuditRecord[] {
    return this.stmt.listAudit.all({ conversationId: filter.conversationId ?? null, limit: filter.limit ?? -1 }).map(rowToRecord);
  }

  /** Filtered pages, single records, facets and exports of the log (the audit screen, the CLI). */
  get auditLog(): AuditQueries {
    // Prepared on first use: a conversation runner never needs these statements.
    this.auditQueries ??= createAuditQueries(this.db);
    return this.auditQueries;
  }

  /**
   * True when the last record is keyed: appending then needs the key. Checked before a
   * conversation can run (app/workspace.ts), so no tool is called that could not be recorded.
   */
  auditIsKeyed(): boolean {
    const head = this.stmt.auditHead.get();
    return typeof head?.count === 'number' && head.count > 0 && this.stmt.auditChainOf.get(head.count)?.chain === KEYED_CHAIN;
  }

  /** The first keyed record, if any (what the keychain should remember for this log). */
  auditKeyedFrom(): number | undefined {
    return this.stmt.firstKeyed.get()?.seq ?? undefined;
  }

  /** `keyedSince`: from which record the keychain says this log is keyed (core/audit-chain.ts). */
  verifyAudit(keyedSince?: number): AuditVerification {
    // One read transaction: a concurrent append cannot make the head and the rows disagree.
    return this.db.transaction(() =>
      verifyChain(this.stmt.allAudit.iterate(), this.stmt.auditHead.get(), this.stmt.countAudit.get()?.n ?? 0, this.auditKey, keyedSince),
    )();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function migrate(db: SqliteDatabase): void {
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true });
    if (typeof version !== 'number' || version > SCHEMA_VERSION) {
      throw new Error(`${db.name} was written by a newer Flowbot (schema ${String(version)}; this one knows ${SCHEMA_VERSION})`);
    }
    if (version < 1) db.exec(SCHEMA_V1);
    if (version < 2) db.exec(SCHEMA_V2);
    if (version < 3) db.exec(SCHEMA_V3);
    if (version < 4) db.exec(SCHEMA_V4);
    if (version < 5) db.exec(SCHEMA_V5);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}


function missingConversation(err: unknown, conversationId: string, what: string): unknown {
  if (sqliteErrorCode(err) === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    return new Error(`${what}: conversation "${conversationId}" does not exist`);
  }
  return err;
}
