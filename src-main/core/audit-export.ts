// Audit records as export files: JSONL (one full record per line: nothing lost, the chain can
// be recomputed from it) and CSV for spreadsheets (RFC 4180: every field that needs it quoted,
// quotes doubled, CRLF between rows).
import type { AuditExportFormat } from '../shared/api/audit';
import type { AuditRecord } from '../shared/conversation';
import { canonicalJson } from './canonical-json';

export const AUDIT_CSV_COLUMNS = [
  'seq',
  'time',
  'bot',
  'conversation',
  'flow',
  'node',
  'server',
  'tool',
  'status',
  'duration_ms',
  'confirmation_id',
  'reason',
  'customer_reply',
  'args',
  'result',
  'prev_hash',
  'hash',
] as const;

/** Builds the file line by line from the records as they are read (the records themselves are not all held). */
export function auditExportText(format: AuditExportFormat, records: Iterable<AuditRecord>): { text: string; count: number } {
  const lines: string[] = format === 'csv' ? [AUDIT_CSV_COLUMNS.join(',')] : [];
  let count = 0;
  for (const record of records) {
    lines.push(format === 'csv' ? csvRow(record) : auditJsonLine(record));
    count += 1;
  }
  const separator = format === 'csv' ? '\r\n' : '\n';
  return { text: lines.length > 0 ? `${lines.join(separator)}${separator}` : '', count };
}

/** One record as one line of JSON (JSON.stringify never writes a raw newline). */
export function auditJsonLine(record: AuditRecord): string {
  return JSON.stringify(record);
}

function csvRow(r: AuditRecord): string {
  const text = (value: string | undefined | null) => csvField(spreadsheetSafe(value ?? ''));
  const json = (value: unknown) => csvField(value === undefined ? '' : canonicalJson(value));
  return [
    String(r.seq),
    new Date(r.time).toISOString(),
    text(r.bot),
    text(r.conversationId),
    text(r.flowId),
    text(r.nodeId),
    text(r.server),
    text(r.tool),
    r.status,
    String(r.durationMs),
    text(r.confirmationId),
    text(r.reason),
    text(r.customerReply),
    json(r.args),
    json(r.result),
    r.prevHash,
    r.hash,
  ].join(',');
}

/** RFC 4180: a field with a comma, a quote, CR or LF is quoted and its quotes are doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Text that a spreadsheet would run as a formula (=, +, -, @, or a leading tab/CR) gets a
 * leading apostrophe: a customer or a server must not be able to plant a formula in the
 * owner's spreadsheet. Only the free-text columns are affected; JSON columns start with {, [ or ".
 */
export function spreadsheetSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
