// Reading the audit log for people: filtered pages (newest first), one record, the values the
// filters can take, and every matching record in order for an export. Read-only: the chain
// itself (append, verify) is in sqlite-store.ts. The row readers are shared with PostgreSQL's (../postgres/pg-audit-log.ts).
import type { SqliteDatabase, SqliteStatement } from './sqlite-driver';
import { describeIssues } from '../../core/zod-issues';
import type { AuditRecord } from '../../shared/conversation';
import {
  AuditSummarySchema,
  type AuditFacets,
  type AuditFilter,
  type AuditListInput,
  type AuditPage,
  type AuditSummary,
} from '../../shared/api/audit';
import type { AuditRow } from '../../core/audit-chain';
import { rowToRecord } from './stored-rows';

/** A record that cannot be read back as one (someone edited the file): run verify to see where. */
export class AuditRecordDamagedError extends Error {
  override readonly name = 'AuditRecordDamagedError';
}

export interface AuditQueries {
  page(query: AuditListInput): AuditPage;
  get(seq: number): AuditRecord | undefined;
  /** Every record matching the filter, oldest first (read lazily: an export may be large). */
  each(filter: AuditFilter): IterableIterator<AuditRecord>;
  facets(): AuditFacets;
}

interface FilterParams {
  bot: string | null;
  conversationId: string | null;
  flowId: string | null;
  server: string | null;
  tool: string | null;
  status: string | null;
  text: string | null;
  from: number | null;
  to: number | null;
}

// One static WHERE clause (NULL parameter = no filter), so every statement is prepared once.
// The text filter looks at everything a person could recognise in a record; instr() takes the
// text literally (no LIKE wildcards), lower() folds ASCII letters only.
const WHERE = `
  (@bot IS NULL OR bot = @bot)
  AND (@conversationId IS NULL OR conversation_id = @conversationId)
  AND (@flowId IS NULL OR flow_id = @flowId)
  AND (@server IS NULL OR server = @server)
  AND (@tool IS NULL OR tool = @tool)
  AND (@status IS NULL OR status = @status)
  AND (@from IS NULL OR time >= @from)
  AND (@to IS NULL OR time < @to)
  AND (@text IS NULL OR instr(lower(
        coalesce(args_json, '') || char(10) || coalesce(result_json, '') || char(10) || coalesce(reason, '') || char(10) ||
        coalesce(bot, '') || char(10) || conversation_id || char(10) || flow_id || char(10) || node_id || char(10) ||
        server || char(10) || tool || char(10) || coalesce(confirmation_id, '') || char(10) || coalesce(customer_reply, '')
      ), lower(@text)) > 0)`;

export function createAuditQueries(db: SqliteDatabase): AuditQueries {
  const stmt = {
    // LIMIT -1 is "no limit"; @before NULL starts at the newest record.
    page: db.prepare<[FilterParams & { before: number | null; limit: number }], AuditRow>(
      `SELECT * FROM audit WHERE ${WHERE} AND (@before IS NULL OR seq < @before) ORDER BY seq DESC LIMIT @limit`,
    ),
    count: db.prepare<[FilterParams], { n: number }>(`SELECT COUNT(*) AS n FROM audit WHERE ${WHERE}`),
    ascending: db.prepare<[FilterParams], AuditRow>(`SELECT * FROM audit WHERE ${WHERE} ORDER BY seq`),
    get: db.prepare<[number], AuditRow>('SELECT * FROM audit WHERE seq = ?'),
    distinct: (column: 'bot' | 'flow_id' | 'server' | 'tool') =>
      db.prepare<[], { v: unknown }>(`SELECT DISTINCT ${column} AS v FROM audit WHERE ${column} IS NOT NULL ORDER BY ${column}`),
  };
  const distinct = {
    bots: stmt.distinct('bot'),
    flows: stmt.distinct('flow_id'),
    servers: stmt.distinct('server'),
    tools: stmt.distinct('tool'),
  };
  const strings = (s: SqliteStatement<[], { v: unknown }>) =>
    s.all().flatMap((r) => (typeof r.v === 'string' ? [r.v] : []));

  return {
    page(query) {
      const params = filterParams(query);
      // One more than asked tells whether there is a next page without a second query.
      const rows = stmt.page.all({ ...params, before: query.before ?? null, limit: query.limit + 1 });
      const records = rows.slice(0, query.limit).map(toAuditSummary);
      const more = rows.length > query.limit;
      return {
        records,
        total: stmt.count.get(params)?.n ?? 0,
        nextBefore: more ? (records[records.length - 1]?.seq ?? null) : null,
      };
    },
    get(seq) {
      const row = stmt.get.get(seq);
      return row ? readAuditRecord(row) : undefined;
    },
    *each(filter) {
      for (const row of stmt.ascending.iterate(filterParams(filter))) yield readAuditRecord(row);
    },
    facets: () => ({
      bots: strings(distinct.bots),
      flows: strings(distinct.flows),
      servers: strings(distinct.servers),
      tools: strings(distinct.tools),
    }),
  };
}

function filterParams(filter: AuditFilter): FilterParams {
  return {
    bot: filter.bot ?? null,
    conversationId: filter.conversationId ?? null,
    flowId: filter.flowId ?? null,
    server: filter.server ?? null,
    tool: filter.tool ?? null,
    status: filter.status ?? null,
    text: filter.text ?? null,
    from: filter.from ?? null,
    to: filter.to ?? null,
  };
}

/** A stored row as a record; a row that cannot be one was changed by someone: AuditRecordDamagedError. */
export function readAuditRecord(row: AuditRow): AuditRecord {
  try {
    return rowToRecord(row);
  } catch (error) {
    throw new AuditRecordDamagedError(`${(error as Error).message}. Run Verify to see what was changed.`);
  }
}

/** A table row from the columns only: the JSON columns are not parsed (a page stays cheap). */
export function toAuditSummary(row: AuditRow): AuditSummary {
  const candidate = {
    seq: row.seq,
    time: row.time,
    ...(row.bot !== null ? { bot: row.bot } : {}),
    conversationId: row.conversation_id,
    flowId: row.flow_id,
    nodeId: row.node_id,
    server: row.server,
    tool: row.tool,
    status: row.status,
    durationMs: row.duration_ms,
    ...(row.reason !== null ? { reason: row.reason } : {}),
    confirmed: row.confirmation_id !== null,
  };
  const parsed = AuditSummarySchema.safeParse(candidate);
  if (!parsed.success) {
    throw new AuditRecordDamagedError(
      `audit record ${String(row.seq)} is damaged: ${describeIssues(parsed.error.issues, candidate)}. Run Verify to see what was changed.`,
    );
  }
  return parsed.data;
}
