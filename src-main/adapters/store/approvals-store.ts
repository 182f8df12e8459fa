// The ApprovalsPort on SQLite, in the same <dataDir>/flowbot.db as the conversation store:
// the owner's consent to each server's command line and the pinned (approved) definition of
// each tool, per bot. Its tables are its own (CREATE TABLE IF NOT EXISTS), so it opens
// before or after the conversation store, in the same process or another one.
import type { SqliteDatabase, SqliteTransaction } from './sqlite-driver';
import { parsePartHashes, type PartHashes, type ToolPin } from '../../core/mcp-catalog';
import type { StoredAll } from '../../runtime/ports';
import { openDatabaseWith } from './sqlite-store';
import { tryParseJson } from '../../shared/try-parse-json';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS mcp_server_approvals (
  bot TEXT NOT NULL,
  server TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  approved_at INTEGER NOT NULL,
  PRIMARY KEY (bot, server)
);
CREATE TABLE IF NOT EXISTS mcp_tool_pins (
  bot TEXT NOT NULL,
  server TEXT NOT NULL,
  tool TEXT NOT NULL,
  definition_hash TEXT NOT NULL,
  -- hashes of title/description/schemas/annotations at approval: says what changed later
  parts_json TEXT,
  approved_at INTEGER NOT NULL,
  PRIMARY KEY (bot, server, tool)
);
`;

export interface StoredToolPin {
  tool: string;
  definitionHash: string;
  approvedAt: number;
  parts?: Partial<PartHashes>;
}

/** ApprovalsPort whose pins also carry the part hashes (so "what changed" can be told), as SQLite answers it. */
export interface ApprovalsStoreSync {
  serverApproval(bot: string, server: string): { fingerprint: string; approvedAt: number } | undefined;
  approveServer(bot: string, server: string, fingerprint: string, at: number): void;
  toolPins(bot: string, server: string): StoredToolPin[];
  pinTools(bot: string, server: string, pins: ToolPin[], at: number): void;
  /** Drops every consent and pin of a bot (the bot was deleted: a new bot of that id starts with none). */
  forgetBot(bot: string): void;
  close(): void;
}

/** The port (an ApprovalsPort): PostgreSQL answers with promises; callers await every method. */
export type ApprovalsStore = StoredAll<ApprovalsStoreSync>;

export interface PinRow {
  tool: unknown;
  definition_hash: unknown;
  parts_json: unknown;
  approved_at: unknown;
}

export function openApprovalsStore(dataDir: string): ApprovalsStoreSync {
  const db = openDatabaseWith(dataDir, SCHEMA);
  return new SqliteApprovals(db);
}

class SqliteApprovals implements ApprovalsStoreSync {
  private readonly stmt;
  private readonly pinTx: SqliteTransaction<(bot: string, server: string, pins: ToolPin[], at: number) => void>;

  constructor(private readonly db: SqliteDatabase) {
    this.stmt = {
      serverApproval: db.prepare<[string, string], { fingerprint: unknown; approved_at: unknown }>(
        'SELECT fingerprint, approved_at FROM mcp_server_approvals WHERE bot = ? AND server = ?',
      ),
      approveServer: db.prepare(
        `INSERT INTO mcp_server_approvals (bot, server, fingerprint, approved_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (bot, server) DO UPDATE SET fingerprint = excluded.fingerprint, approved_at = excluded.approved_at`,
      ),
      toolPins: db.prepare<[string, string], PinRow>(
        'SELECT tool, definition_hash, parts_json, approved_at FROM mcp_tool_pins WHERE bot = ? AND server = ? ORDER BY tool',
      ),
      pinTool: db.prepare(
        `INSERT INTO mcp_tool_pins (bot, server, tool, definition_hash, parts_json, approved_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (bot, server, tool) DO UPDATE SET definition_hash = excluded.definition_hash,
           parts_json = excluded.parts_json, approved_at = excluded.approved_at`,
      ),
    };
    this.pinTx = db.transaction((bot: string, server: string, pins: ToolPin[], at: number) => {
      for (const pin of pins) {
        this.stmt.pinTool.run(bot, server, pin.tool, pin.definitionHash, pin.parts ? JSON.stringify(pin.parts) : null, at);
      }
    });
  }

  serverApproval(bot: string, server: string): { fingerprint: string; approvedAt: number } | undefined {
    const row = this.stmt.serverApproval.get(bot, server);
    if (!row || typeof row.fingerprint !== 'string' || typeof row.approved_at !== 'number') return undefined;
    return { fingerprint: row.fingerprint, approvedAt: row.approved_at };
  }

  approveServer(bot: string, server: string, fingerprint: string, at: number): void {
    this.stmt.approveServer.run(bot, server, fingerprint, at);
  }

  toolPins(bot: string, server: string): StoredToolPin[] {
    return pinsOf(this.stmt.toolPins.all(bot, server));
  }

  pinTools(bot: string, server: string, pins: ToolPin[], at: number): void {
    // IMMEDIATE: a CLI and the app pinning at once never interleave half a list.
    this.pinTx.immediate(bot, server, pins, at);
  }

  forgetBot(bot: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM mcp_server_approvals WHERE bot = ?').run(bot);
      this.db.prepare('DELETE FROM mcp_tool_pins WHERE bot = ?').run(bot);
    }).immediate();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** Pin rows as pins (shared with the PostgreSQL store). A damaged row approves nothing: the tool then shows as changed or unapproved. */
export function pinsOf(rows: readonly PinRow[]): StoredToolPin[] {
  const pins: StoredToolPin[] = [];
  for (const row of rows) {
    if (typeof row.tool !== 'string' || typeof row.definition_hash !== 'string' || typeof row.approved_at !== 'number') continue;
    const pin: StoredToolPin = { tool: row.tool, definitionHash: row.definition_hash, approvedAt: row.approved_at };
    const parts = typeof row.parts_json === 'string' ? parsePartHashes(tryParseJson(row.parts_json)) : undefined;
    if (parts) pin.parts = parts;
    pins.push(pin);
  }
  return pins;
}
