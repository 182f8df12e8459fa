// The runtime's tables in PostgreSQL, as numbered migrations run at start (`flowbot serve
// --database`, the CLI's --database). Each runs once, in order, in one transaction holding an
// advisory lock, so instances starting together never race; a database written by a newer
// Flowbot is refused. The tables mirror the SQLite ones (adapters/store) column for column:
// times are ms epochs (BIGINT), ids come from identity columns instead of SQLite's rowid.
import type { Pool } from 'pg';
import { AUDIT_GENESIS_HASH } from '../../core/audit-chain';
import { inTransaction } from './pg-query';

const MIGRATIONS: readonly string[] = [
  // 1: conversations, transcript, confirmations, the audit chain; approvals; WhatsApp; HTTP chat; bot leases.
  `
  CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    flow_id TEXT NOT NULL,
    flow_source TEXT NOT NULL,
    state_json TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  CREATE TABLE messages (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    role TEXT NOT NULL CHECK (role IN ('customer', 'bot')),
    text TEXT NOT NULL,
    at BIGINT NOT NULL,
    delivered BOOLEAN NOT NULL DEFAULT false
  );
  CREATE INDEX messages_by_conversation ON messages(conversation_id, id);
  CREATE TABLE confirmations (
    seq BIGINT GENERATED ALWAYS AS IDENTITY,
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    node_id TEXT NOT NULL,
    server TEXT NOT NULL,
    tool TEXT NOT NULL,
    args_json TEXT NOT NULL,
    call_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    used_at BIGINT,
    expired_at BIGINT
  );
  CREATE INDEX confirmations_open ON confirmations(conversation_id, node_id, call_hash) WHERE used_at IS NULL AND expired_at IS NULL;
  CREATE TABLE audit (
    seq BIGINT PRIMARY KEY,
    time BIGINT NOT NULL,
    bot TEXT,
    conversation_id TEXT NOT NULL,
    flow_id TEXT NOT NULL,
    node_id TEXT NOT NULL,
    server TEXT NOT NULL,
    tool TEXT NOT NULL,
    args_json TEXT,
    status TEXT NOT NULL,
    result_json TEXT,
    reason TEXT,
    duration_ms DOUBLE PRECISION NOT NULL,
    confirmation_id TEXT,
    customer_reply TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    chain INTEGER
  );
  CREATE INDEX audit_by_conversation ON audit(conversation_id, seq);
  -- The head: appends lock it (SELECT ... FOR UPDATE), so concurrent writers keep the chain linear.
  CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    count BIGINT NOT NULL,
    last_hash TEXT NOT NULL,
    mac TEXT
  );
  INSERT INTO audit_head (id, count, last_hash) VALUES (1, 0, '${AUDIT_GENESIS_HASH}');

  CREATE TABLE mcp_server_approvals (
    bot TEXT NOT NULL,
    server TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    approved_at BIGINT NOT NULL,
    PRIMARY KEY (bot, server)
  );
  CREATE TABLE mcp_tool_pins (
    bot TEXT NOT NULL,
    server TEXT NOT NULL,
    tool TEXT NOT NULL,
    definition_hash TEXT NOT NULL,
    parts_json TEXT,
    approved_at BIGINT NOT NULL,
    PRIMARY KEY (bot, server, tool)
  );

  CREATE TABLE wa_inbound (
    seq BIGINT GENERATED ALWAYS AS IDENTITY,
    bot TEXT NOT NULL,
    message_key TEXT NOT NULL,
    jid TEXT NOT NULL,
    push_name TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('text', 'unsupported')),
    text TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    sent_at BIGINT,
    participant TEXT,
    conversation_id TEXT,
    transcript_mark BIGINT,
    handled_at BIGINT,
    outcome TEXT,
    PRIMARY KEY (bot, message_key)
  );
  CREATE INDEX wa_inbound_unhandled ON wa_inbound(bot, seq) WHERE handled_at IS NULL;
  CREATE TABLE wa_outbound (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    bot TEXT NOT NULL,
    jid TEXT NOT NULL,
    text TEXT NOT NULL,
    queued_at BIGINT NOT NULL,
    sent_at BIGINT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    conversation_id TEXT,
    question INTEGER,
    wa_id TEXT
  );
  CREATE INDEX wa_outbound_pending ON wa_outbound(bot, id) WHERE sent_at IS NULL;
  CREATE INDEX wa_outbound_wa_id ON wa_outbound(bot, wa_id) WHERE wa_id IS NOT NULL;
  CREATE TABLE wa_customers (
    bot TEXT NOT NULL,
    jid TEXT NOT NULL,
    name TEXT,
    conversation_id TEXT,
    flow_id TEXT,
    taken_over INTEGER NOT NULL DEFAULT 0,
    taken_over_until BIGINT,
    waiting_since BIGINT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (bot, jid)
  );
  CREATE TABLE wa_auth (
    bot TEXT NOT NULL,
    name TEXT NOT NULL,
    sealed TEXT NOT NULL,
    PRIMARY KEY (bot, name)
  );
  CREATE TABLE wa_identities (
    bot TEXT NOT NULL,
    lid TEXT NOT NULL,
    pn TEXT NOT NULL,
    learned_at BIGINT NOT NULL,
    PRIMARY KEY (bot, lid),
    UNIQUE (bot, pn)
  );

  CREATE TABLE http_messages (
    bot TEXT NOT NULL,
    customer TEXT NOT NULL,
    message_id TEXT NOT NULL,
    text TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    conversation_id TEXT,
    transcript_mark BIGINT,
    handled_at BIGINT,
    answer_json TEXT,
    PRIMARY KEY (bot, customer, message_id)
  );
  CREATE TABLE http_customers (
    bot TEXT NOT NULL,
    customer TEXT NOT NULL,
    conversation_id TEXT,
    flow_id TEXT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (bot, customer)
  );
  -- Which instance holds each bot's WhatsApp connection (bot-leases.ts); IF NOT EXISTS: scale-out databases made it before.
  CREATE TABLE IF NOT EXISTS bot_leases (
    bot TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    token BIGINT NOT NULL,
    acquired_at BIGINT NOT NULL,
    renewed_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
  );
  `,
];

/** The schema version this Flowbot writes (the number of migrations). */
export const PG_SCHEMA_VERSION = MIGRATIONS.length;

/** Thrown when the database cannot be brought to this version (written by a newer Flowbot, a migration failed). */
export class SchemaVersionError extends Error {
  override readonly name = 'SchemaVersionError';
}

/** Brings the database to PG_SCHEMA_VERSION; returns the version it found. */
export async function migrate(pool: Pool): Promise<number> {
  return inTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('flowbot:schema', 0))`);
    await client.query('CREATE TABLE IF NOT EXISTS flowbot_schema (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)');
    const found = Number((await client.query<{ version: number }>('SELECT version FROM flowbot_schema WHERE id = 1')).rows[0]?.version ?? 0);
    if (found > PG_SCHEMA_VERSION) {
      throw new SchemaVersionError(`The database was written by a newer Flowbot (schema ${found}; this one knows ${PG_SCHEMA_VERSION}): update Flowbot on this machine.`);
    }
    for (let version = found + 1; version <= PG_SCHEMA_VERSION; version++) {
      try {
        await client.query(MIGRATIONS[version - 1]!);
      } catch (error) {
        throw new SchemaVersionError(`Migration ${version} of the database failed: ${(error as Error).message}`);
      }
    }
    await client.query('INSERT INTO flowbot_schema (id, version) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET version = excluded.version', [PG_SCHEMA_VERSION]);
    return found;
  });
}

/** The version the database is at now (0: never migrated): readiness (`/readyz`) checks it equals PG_SCHEMA_VERSION. */
export async function schemaVersion(pool: Pool): Promise<number> {
  const exists = await pool.query<{ t: string | null }>(`SELECT to_regclass('flowbot_schema')::text AS t`);
  if (!exists.rows[0]?.t) return 0;
  return Number((await pool.query<{ version: number }>('SELECT version FROM flowbot_schema WHERE id = 1')).rows[0]?.version ?? 0);
}
