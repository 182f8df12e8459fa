// The owner's server consents and tool pins on PostgreSQL: the same rows as the SQLite approvals
// store (adapters/store/approvals-store.ts), shared by every instance.
import type { Pool } from 'pg';
import type { ToolPin } from '../../core/mcp-catalog';
import { pinsOf, type ApprovalsStore, type PinRow } from '../store/approvals-store';
import { inTransaction } from './pg-query';


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
      return pinsOf(rows);
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
