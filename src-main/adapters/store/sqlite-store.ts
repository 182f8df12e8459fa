// The StorePort on SQLite (node:sqlite or better-sqlite3, see ./sqlite-driver): conversations,
// transcript, single-use confirmations and the hash-chained audit log, in <dataDir>/flowbot.db.
// The CLI and the app may open the same file at once: WAL, a busy timeout, and IMMEDIATE
// transactions where a write depends on what was just read.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../../core/canonical-json';
import { describeIssues } from '../../core/zod-issues';
import {
  AuditRecordSchema,
  ConversationStateSchema,
  type AuditEntry,
  type AuditRecord,
  type ConversationState,
} from '../../shared/conversation';
import { createAuditQueries, type AuditQueries } from './audit-query';
import { openSqlite, sqliteErrorCode, type SqliteDatabase, type SqliteTransaction } from './sqlite-driver';
import type {
  AuditVerification,
  ConfirmationInput,
  ConversationRecord,
  StorePort,
  TranscriptEntry,
} from '../../runtime/ports';

export const DB_FILE_NAME = 'flowbot.db';
export const SCHEMA_VERSION = 2;
/** Audit args/results whose canonical JSON is longer than this (chars) are stored as a preview. */
export const AUDIT_VALUE_MAX_CHARS = 16 * 1024;
/** The prevHash of the first audit record. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

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

interface ConversationRow {
  id: string;
  flow_id: string;
  flow_source: string;
  state_json: string;
  created_at: number;
  updated_at: number;
}
interface MessageRow {
  id: number;
  role: 'customer' | 'bot';
  text: string;
  at: number;
  delivered: number;
}
/** An audit row. `unknown`: verify must cope with anything someone wrote into the file. */
export interface AuditRow {
  seq: unknown;
  time: unknown;
  bot: unknown;
  conversation_id: unknown;
  flow_id: unknown;
  node_id: unknown;
  server: unknown;
  tool: unknown;
  args_json: unknown;
  status: unknown;
  result_json: unknown;
  reason: unknown;
  duration_ms: unknown;
  confirmation_id: unknown;
  prev_hash: unknown;
  hash: unknown;
}
interface AuditHeadRow {
  count: unknown;
  last_hash: unknown;
}

/** The data folder cannot be used: a file in its way, not a database, no permission, or absent. */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError';
}

/** `create: false` refuses a folder without a database (e.g. a mistyped --data-dir for audit). */
export function openStore(dataDir: string, options: { create?: boolean } = {}): SqliteStore {
  if (options.create === false && !existsSync(join(dataDir, DB_FILE_NAME))) {
    throw new StoreOpenError(`There is no Flowbot data in ${dataDir} (no ${DB_FILE_NAME}). Check --data-dir.`);
  }
  return new SqliteStore(dataDir);
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
    auditHead: db.prepare<[], AuditHeadRow>('SELECT count, last_hash FROM audit_head WHERE id = 1'),
    setAuditHead: db.prepare('UPDATE audit_head SET count = ?, last_hash = ? WHERE id = 1'),
    insertAudit: db.prepare<[AuditRow]>(
      `INSERT INTO audit (seq, time, bot, conversation_id, flow_id, node_id, server, tool, args_json, status,
         result_json, reason, duration_ms, confirmation_id, prev_hash, hash)
       VALUES (@seq, @time, @bot, @conversation_id, @flow_id, @node_id, @server, @tool, @args_json, @status,
         @result_json, @reason, @duration_ms, @confirmation_id, @prev_hash, @hash)`,
    ),
    // LIMIT -1 is "no limit" in SQLite.
    listAudit: db.prepare<[{ conversationId: string | null; limit: number }], AuditRow>(
      `SELECT * FROM (SELECT * FROM audit WHERE @conversationId IS NULL OR conversation_id = @conversationId
       ORDER BY seq DESC LIMIT @limit) ORDER BY seq`,
    ),
    allAudit: db.prepare<[], AuditRow>('SELECT * FROM audit ORDER BY seq'),
    countAudit: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM audit'),
  };
}

export class SqliteStore implements StorePort {
  private readonly db: SqliteDatabase;
  private readonly stmt: ReturnType<typeof prepareStatements>;
  // Transactions are wrapped once, like the statements: this is the per-step hot path.
  private readonly commitStepTx: SqliteTransaction<SqliteStore['commitStepInTx']>;
  private readonly markDeliveredTx: SqliteTransaction<(ids: number[]) => void>;
  private readonly appendAuditTx: SqliteTransaction<SqliteStore['appendAuditInTx']>;
  private auditQueries: AuditQueries | undefined;

  constructor(dataDir: string) {
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
    if (!row) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(row.state_json);
    } catch (err) {
      throw new Error(`stored state of conversation "${id}" is not valid JSON: ${(err as Error).message}`);
    }
    const parsed = ConversationStateSchema.safeParse(json);
    if (!parsed.success) {
      throw new Error(`stored state of conversation "${id}" is not a valid conversation state: ${describeIssues(parsed.error.issues, json)}`);
    }
    return {
      id: row.id,
      flowId: row.flow_id,
      flowSource: row.flow_source,
      state: parsed.data,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
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
    return this.stmt.undelivered.all(conversationId).map(toTranscriptEntry);
  }

  transcript(conversationId: string, limit: number): TranscriptEntry[] {
    return this.stmt.transcript.all(conversationId, limit).map(toTranscriptEntry);
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
    return this.appendAuditTx.immediate(entry);
  }

  private appendAuditInTx(entry: AuditEntry): AuditRecord {
    const head = this.stmt.auditHead.get();
    if (!head || typeof head.count !== 'number' || typeof head.last_hash !== 'string') {
      throw new Error('cannot append to the audit log: its head record is missing or damaged (run `flowbot audit verify`)');
    }
    const row: AuditRow = {
      seq: head.count + 1,
      time: entry.time,
      bot: entry.bot === undefined ? null : wellFormed(entry.bot),
      conversation_id: wellFormed(entry.conversationId),
      flow_id: wellFormed(entry.flowId),
      node_id: wellFormed(entry.nodeId),
      server: wellFormed(entry.server),
      tool: wellFormed(entry.tool),
      args_json: boundedJson(entry.args),
      status: entry.status,
      result_json: boundedJson(entry.result),
      reason: entry.reason === undefined ? null : wellFormed(entry.reason),
      duration_ms: entry.durationMs,
      confirmation_id: entry.confirmationId === null ? null : wellFormed(entry.confirmationId),
      prev_hash: head.last_hash,
      hash: null,
    };
    // Hashed from the row exactly as stored (truncated values included), the way verify reads it.
    row.hash = rowHash(row);
    this.stmt.insertAudit.run(row);
    this.stmt.setAuditHead.run(row.seq, row.hash);
    return rowToRecord(row);
  }

  listAudit(filter: { conversationId?: string; limit?: number } = {}): AuditRecord[] {
    return this.stmt.listAudit.all({ conversationId: filter.conversationId ?? null, limit: filter.limit ?? -1 }).map(rowToRecord);
  }

  /** Filtered pages, single records, facets and exports of the log (the audit screen, the CLI). */
  get auditLog(): AuditQueries {
    // Prepared on first use: a conversation runner never needs these statements.
    this.auditQueries ??= createAuditQueries(this.db, rowToRecord);
    return this.auditQueries;
  }

  verifyAudit(): AuditVerification {
    // One read transaction: a concurrent append cannot make the head and the rows disagree.
    return this.db.transaction(() =>
      verifyChain(this.stmt.allAudit.iterate(), this.stmt.auditHead.get(), this.stmt.countAudit.get()?.n ?? 0),
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
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

function toTranscriptEntry(row: MessageRow): TranscriptEntry {
  return { id: row.id, role: row.role, text: row.text, at: row.at, delivered: row.delivered === 1 };
}

function missingConversation(err: unknown, conversationId: string, what: string): unknown {
  if (sqliteErrorCode(err) === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    return new Error(`${what}: conversation "${conversationId}" does not exist`);
  }
  return err;
}

// ---- audit chain ---------------------------------------------------------------------

/** Canonical JSON of a value, or a bounded stand-in if it is too long; null for undefined. */
export function boundedJson(value: unknown): string | null {
  let json: string | undefined;
  try {
    json = canonicalJson(value);
  } catch (err) {
    // A BigInt or a cycle must not cost us the audit record itself.
    return canonicalJson({ unserializable: true, error: (err as Error).message });
  }
  if (json === undefined) return null;
  if (json.length <= AUDIT_VALUE_MAX_CHARS) return json;
  let preview = json.slice(0, AUDIT_VALUE_MAX_CHARS);
  if (/[\uD800-\uDBFF]$/.test(preview)) preview = preview.slice(0, -1); // don't split a surrogate pair
  return canonicalJson({ truncated: true, bytes: Buffer.byteLength(json, 'utf8'), preview });
}

/**
 * SQLite stores text as UTF-8, which turns a lone surrogate (possible in a server's error
 * text) into U+FFFD; do it before hashing, or verify would later report the record changed.
 */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/**
 * A row as the AuditRecord fields (args/result parsed), without the hash. Columns are
 * `unknown` because verify must cope with anything an editor put there. Throws if a JSON
 * column does not parse.
 */
function recordFields(row: AuditRow): Record<string, unknown> {
  return {
    seq: row.seq,
    prevHash: row.prev_hash,
    time: row.time,
    // Absent (NULL) in records of schema 1: canonicalJson drops undefined, so their hash is unchanged.
    bot: row.bot ?? undefined,
    conversationId: row.conversation_id,
    flowId: row.flow_id,
    nodeId: row.node_id,
    server: row.server,
    tool: row.tool,
    args: parseStoredJson(row.args_json),
    status: row.status,
    result: parseStoredJson(row.result_json),
    reason: row.reason ?? undefined,
    durationMs: row.duration_ms,
    confirmationId: row.confirmation_id,
  };
}

function parseStoredJson(text: unknown): unknown {
  if (text === null || text === undefined) return undefined;
  if (typeof text !== 'string') throw new Error('stored JSON is not text');
  return JSON.parse(text);
}

/** sha256(prevHash + canonicalJson(record fields without hash, seq and prevHash included)). */
function rowHash(row: AuditRow): string {
  return createHash('sha256').update(String(row.prev_hash) + canonicalJson(recordFields(row))).digest('hex');
}

export function rowToRecord(row: AuditRow): AuditRecord {
  let candidate: unknown;
  try {
    candidate = { ...recordFields(row), hash: row.hash };
  } catch {
    throw new Error(`audit record ${String(row.seq)} is damaged: its args or result are not valid JSON`);
  }
  const parsed = AuditRecordSchema.safeParse(candidate);
  if (!parsed.success) {
    throw new Error(`audit record ${String(row.seq)} is damaged: ${describeIssues(parsed.error.issues, candidate)}`);
  }
  return parsed.data;
}

function verifyChain(rows: Iterable<AuditRow>, head: AuditHeadRow | undefined, count: number): AuditVerification {
  const fail = (seq: number, reason: string): AuditVerification => ({ ok: false, count, seq, reason });
  let expectedSeq = 1;
  let prevHash = AUDIT_GENESIS_HASH;
  for (const row of rows) {
    const seq = row.seq;
    if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < expectedSeq) {
      const at = typeof seq === 'number' ? seq : expectedSeq;
      return fail(at, `record ${String(seq)} was not written by Flowbot (its sequence number does not belong in the log)`);
    }
    if (seq > expectedSeq) {
      const missing = seq - 1 === expectedSeq ? `record ${expectedSeq} is` : `records ${expectedSeq} to ${seq - 1} are`;
      return fail(expectedSeq, `${missing} missing (record ${seq} points to a record that is not there)`);
    }
    let actual: string | undefined;
    try {
      actual = rowHash(row);
    } catch {
      actual = undefined; // garbage in a JSON column: it was changed
    }
    if (actual === undefined || actual !== row.hash) {
      return fail(seq, `record ${seq} was changed after it was written (its hash does not match its contents)`);
    }
    if (row.prev_hash !== prevHash) {
      return fail(seq, `record ${seq} does not follow record ${seq - 1} (the record ${seq - 1} it points to was removed, replaced or never written)`);
    }
    prevHash = actual;
    expectedSeq = seq + 1;
  }
  const lastSeq = expectedSeq - 1;
  if (!head || typeof head.count !== 'number' || typeof head.last_hash !== 'string') {
    return fail(Math.max(lastSeq, 1), "the audit log's head record is missing or damaged, so its end cannot be checked");
  }
  if (lastSeq < head.count) {
    const missing = lastSeq + 1 === head.count ? `record ${head.count} is` : `records ${lastSeq + 1} to ${head.count} are`;
    return fail(lastSeq + 1, `${missing} missing (the log should end at record ${head.count} but ends at record ${lastSeq})`);
  }
  if (lastSeq > head.count) {
    return fail(head.count + 1, `record ${head.count + 1} was not written by Flowbot (the log should end at record ${head.count})`);
  }
  if (prevHash !== head.last_hash) {
    return fail(lastSeq, `record ${lastSeq} was replaced after it was written (it is not the last record the log wrote)`);
  }
  return { ok: true, count };
}
