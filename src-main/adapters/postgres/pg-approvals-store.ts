// The owner's server consents and tool pins on PostgreSQL: the same rows as the SQLite approvals
// store (adapters/store/approvals-store.ts), shared by every instance.
import type { Pool } from 'pg';
import { parsePartHashes, type ToolPin } from '../../core/mcp-catalog';
import { tryParseJson } from '../../shared/try-parse-json';
import type { ApprovalsStore, StoredToolPin } from '../store/approvals-store';
import { inTransaction } from './pg-query';

interface PinRow {
  tool: unknown;
  definition_hash: unknown;
  parts_json: unknown;
  approved_at: unknown;
}

export function createPgApprovalsStore(pool: Pool): ApprovalsStore {
  return {
    async serverApproval(bot, server) {
      const row = (await pool.query<{ fingerprint: unknown; approved_at: unknown }>(
        'SELECT fingerprint, approved_at FROM mcp_server_approvals WHERE bot = $1 AND server = $2',
        [bot, server],
      )).rows[0];
      if (!row || typeof row.fingerprint !== 'string' || typeof row.approved_at !== 'number') return undefined;
      return { fingerprint: row.fingerprint, approvedAt: row.approved_at };
    },
    async approveServer(bot, server, fingerprint, at) {
      await pool.query(
        `INSERT INTO mcp_server_approvals (bot, server, fingerprint, approved_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (bot, server) DO UPDATE SET fingerprint = excluded.fingerprint, approved_at = excluded.approved_at`,
        [bot, server, fingerprint, at],
      );
    },
    async toolPins(bot, server) {
      const { rows } = await pool.query<PinRow>(
        'SELECT tool, definition_hash, parts_json, approved_at FROM mcp_tool_pins WHERE bot = $1 AND server = $2 ORDER BY tool COLLATE "C"',
        [bot, server],
      );
      const pins: StoredToolPin[] = [];
      for (const row of rows) {
        // A damaged row approves nothing: the tool then shows as changed or unapproved.
        if (typeof row.tool !== 'string' || typeof row.definition_hash !== 'string' || typeof row.approved_at !== 'number') continue;
        const pin: StoredToolPin = { tool: row.tool, definitionHash: row.definition_hash, approvedAt: row.approved_at };
        const parts = typeof row.parts_json === 'string' ? parsePartHashes(tryParseJson(row.parts_json)) : undefined;
        if (parts) pin.parts = parts;
        pins.push(pin);
      }
      return pins;
    },
    async pinTools(bot, server, pins: ToolPin[], at) {
      // One transaction: two instances pinning at once never interleave half a list.
      await inTransaction(pool, async (client) => {
        for (const pin of pins) {
          await client.query(
            `INSERT INTO mcp_tool_pins (bot, server, tool, definition_hash, parts_json, approved_at) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (bot, server, tool) DO UPDATE SET definition_hash = excluded.definition_hash, parts_json = excluded.parts_json, approved_at = excluded.approved_at`,
            [bot, server, pin.tool, pin.definitionHash, pin.parts ? JSON.stringify(pin.parts) : null, at],
          );
        }
      });
    },
    async forgetBot(bot) {
      await inTransaction(pool, async (client) => {
        await client.query('DELETE FROM mcp_server_approvals WHERE bot = $1', [bot]);
        await client.query('DELETE FROM mcp_tool_pins WHERE bot = $1', [bot]);
      });
    },
    close: () => undefined,
  };
}
