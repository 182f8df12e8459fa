// The audit log read for people on PostgreSQL: the same pages, records, facets and exports as
// adapters/store/audit-query.ts on SQLite, with the same filter semantics (the text filter takes
// the text literally and folds case; `to` is exclusive).
import type { Pool } from 'pg';
import type { AuditRow } from '../../core/audit-chain';
import type { AuditFilter } from '../../shared/api/audit';
import type { AuditRecord } from '../../shared/conversation';
import { readAuditRecord, toAuditSummary } from '../store/audit-query';
import type { AuditLogReader } from '../store/conversation-store';

/** Records per round trip of an export. */
const EACH_BATCH = 500;

const SEARCHED = `lower(concat_ws(chr(10), coalesce(args_json, ''), coalesce(result_json, ''), coalesce(reason, ''), coalesce(bot, ''),
  conversation_id, flow_id, node_id, server, tool, coalesce(confirmation_id, ''), coalesce(customer_reply, '')))`;

/** The filter as a WHERE clause over parameters numbered from `first`. */
function where(filter: AuditFilter, first = 1): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    parts.push(sql(`$${first + params.length - 1}`));
  };
  if (filter.bot !== undefined) add((p) => `bot = ${p}`, filter.bot);
  if (filter.conversationId !== undefined) add((p) => `conversation_id = ${p}`, filter.conversationId);
  if (filter.flowId !== undefined) add((p) => `flow_id = ${p}`, filter.flowId);
  if (filter.server !== undefined) add((p) => `server = ${p}`, filter.server);
  if (filter.tool !== undefined) add((p) => `tool = ${p}`, filter.tool);
  if (filter.status !== undefined) add((p) => `status = ${p}`, filter.status);
  if (filter.from !== undefined) add((p) => `time >= ${p}`, filter.from);
  if (filter.to !== undefined) add((p) => `time < ${p}`, filter.to);
  if (filter.text !== undefined) add((p) => `strpos(${SEARCHED}, lower(${p})) > 0`, filter.text);
  return { sql: parts.length ? parts.join(' AND ') : 'true', params };
}

export function createPgAuditLog(pool: Pool): AuditLogReader {
  const strings = async (column: 'bot' | 'flow_id' | 'server' | 'tool'): Promise<string[]> => {
    const { rows } = await pool.query<{ v: unknown }>(`SELECT DISTINCT ${column} COLLATE "C" AS v FROM audit WHERE ${column} IS NOT NULL ORDER BY 1`);
    return rows.flatMap((r) => (typeof r.v === 'string' ? [r.v] : []));
  };
  return {
    async page(query) {
      const filter = where(query);
      const before = filter.params.length + 1;
      // One more than asked tells whether there is a next page without a second query.
      const { rows } = await pool.query<AuditRow>(
        `SELECT * FROM audit WHERE ${filter.sql} AND ($${before}::bigint IS NULL OR seq < $${before}) ORDER BY seq DESC LIMIT $${before + 1}`,
        [...filter.params, query.before ?? null, query.limit + 1],
      );
      const records = rows.slice(0, query.limit).map(toAuditSummary);
      const total = Number((await pool.query<{ n: number }>(`SELECT COUNT(*) AS n FROM audit WHERE ${filter.sql}`, filter.params)).rows[0]?.n ?? 0);
      const more = rows.length > query.limit;
      return { records, total, nextBefore: more ? (records[records.length - 1]?.seq ?? null) : null };
    },
    async get(seq) {
      const row = (await pool.query<AuditRow>('SELECT * FROM audit WHERE seq = $1', [seq])).rows[0];
      return row ? readAuditRecord(row) : undefined;
    },
    async *each(filter): AsyncIterable<AuditRecord> {
      const { sql, params } = where(filter, 3);
      for (let after = 0; ; ) {
        const { rows } = await pool.query<AuditRow & { seq: number }>(`SELECT * FROM audit WHERE seq > $1 AND ${sql} ORDER BY seq LIMIT $2`, [after, EACH_BATCH, ...params]);
        for (const row of rows) yield readAuditRecord(row);
        if (rows.length < EACH_BATCH) return;
        after = rows[rows.length - 1]!.seq;
      }
    },
    async facets() {
      const [bots, flows, servers, tools] = await Promise.all([strings('bot'), strings('flow_id'), strings('server'), strings('tool')]);
      return { bots, flows, servers, tools };
    },
  };
}
