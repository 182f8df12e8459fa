// What both store engines (SQLite here, PostgreSQL in ../postgres) read and write the same way:
// a conversation row back into a record, a transcript row, and the audit row a new entry becomes
// (bounded values, text as the database keeps it, hashed exactly as stored).
import { canonicalJson } from '../../core/canonical-json';
import { describeIssues } from '../../core/zod-issues';
import { KEYED_CHAIN, headMac, recordFields, rowHash, type AuditRow } from '../../core/audit-chain';
import { AuditRecordSchema, ConversationStateSchema, type AuditEntry, type AuditRecord } from '../../shared/conversation';
import type { ConversationRecord, TranscriptEntry } from '../../runtime/ports';

/** Audit args/results whose canonical JSON is longer than this (chars) are stored as a preview. */
export const AUDIT_VALUE_MAX_CHARS = 16 * 1024;

export interface ConversationRow {
  id: string;
  flow_id: string;
  flow_source: string;
  state_json: string;
  created_at: number;
  updated_at: number;
}

export interface MessageRow {
  id: number;
  role: 'customer' | 'bot';
  text: string;
  at: number;
  delivered: number | boolean;
}

/** Throws a clear error naming the conversation when its stored state no longer parses. */
export function conversationOf(row: ConversationRow): ConversationRecord {
  let json: unknown;
  try {
    json = JSON.parse(row.state_json);
  } catch (err) {
    throw new Error(`stored state of conversation "${row.id}" is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = ConversationStateSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`stored state of conversation "${row.id}" is not a valid conversation state: ${describeIssues(parsed.error.issues, json)}`);
  }
  return { id: row.id, flowId: row.flow_id, flowSource: row.flow_source, state: parsed.data, createdAt: row.created_at, updatedAt: row.updated_at };
}

export function transcriptEntryOf(row: MessageRow): TranscriptEntry {
  return { id: row.id, role: row.role, text: row.text, at: row.at, delivered: row.delivered === 1 || row.delivered === true };
}

/**
 * The row an audit entry is appended as, after `head`, with its hash. `stored` turns text into
 * what the database will give back (verify hashes what it reads, so the hash must be of that).
 */
export function nextAuditRow(
  entry: AuditEntry,
  head: { count: number; last_hash: string },
  auditKey: Uint8Array | undefined,
  stored: (text: string) => string,
): { row: AuditRow & { seq: number; hash: string }; headMac: string | null } {
  const json = (value: unknown) => {
    const text = boundedJson(value);
    return text === null ? null : stored(text);
  };
  const row: AuditRow = {
    seq: head.count + 1,
    time: entry.time,
    bot: entry.bot === undefined ? null : stored(entry.bot),
    conversation_id: stored(entry.conversationId),
    flow_id: stored(entry.flowId),
    node_id: stored(entry.nodeId),
    server: stored(entry.server),
    tool: stored(entry.tool),
    args_json: json(entry.args),
    status: entry.status,
    result_json: json(entry.result),
    reason: entry.reason === undefined ? null : stored(entry.reason),
    duration_ms: entry.durationMs,
    confirmation_id: entry.confirmationId === null ? null : stored(entry.confirmationId),
    customer_reply: entry.customerReply === undefined ? null : stored(entry.customerReply),
    prev_hash: head.last_hash,
    hash: null,
    chain: auditKey ? KEYED_CHAIN : null,
  };
  const hash = rowHash(row, auditKey);
  const seq = head.count + 1;
  return { row: { ...row, seq, hash }, headMac: auditKey ? headMac(auditKey, seq, hash) : null };
}

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
 * Both engines store text as UTF-8, which turns a lone surrogate (possible in a server's error
 * text) into U+FFFD; done before hashing, or verify would later report the record changed.
 */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
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
