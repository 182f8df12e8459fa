// The rules of the audit log's chain (DESIGN §4, README "Audit log"): how a record is hashed and how
// a whole log is verified. Pure: the store reads and writes the rows, this decides.
//
// Record versions (the `chain` column):
// - 1 (NULL, logs written before issue 12): hash = sha256(prevHash + canonicalJson(fields)).
//   Anyone who can write flowbot.db can rewrite such a record and recompute the chain.
// - 2 (keyed): hash = HMAC-SHA256(key, prevHash + canonicalJson(fields + {chain: 2})), the key
//   kept in the OS keychain (app/audit-key.ts). Without the key a record cannot be rewritten.
// A log is keyed from its first keyed record on: an unkeyed record after a keyed one is not
// Flowbot's (a downgrade), and is reported as such. Two more checks need what a file writer
// cannot forge: the head of a keyed log carries an HMAC of (count, last hash), so cutting the
// newest records and rewinding the head is detected; and the keychain remembers from which
// record a data folder's log is keyed (app/audit-key.ts), so un-keying every record is detected.
import { createHash, createHmac } from 'node:crypto';
import type { AuditVerification } from '../shared/api/audit';
import { canonicalJson } from './canonical-json';

/** The prevHash of the first audit record. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);
export const KEYED_CHAIN = 2;

/** An audit row as stored. `unknown`: verify must cope with anything someone wrote into the file. */
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
  customer_reply: unknown;
  prev_hash: unknown;
  hash: unknown;
  /** NULL: version 1 (unkeyed); 2: keyed. */
  chain?: unknown;
}

export interface AuditHeadRow {
  count: unknown;
  last_hash: unknown;
  /** HMAC of (count, last_hash) with the key, written by every keyed append (schema 5); NULL while unkeyed. */
  mac?: unknown;
}

/** The seal of a keyed log's head: without the key, its end cannot be moved. */
export function headMac(key: Uint8Array, count: number, lastHash: string): string {
  return createHmac('sha256', key).update(`audit-head\n${count}\n${lastHash}`).digest('hex');
}

/**
 * A row as the AuditRecord fields (args/result parsed), without the hash and the chain
 * version. Throws if a JSON column does not parse.
 */
export function recordFields(row: AuditRow): Record<string, unknown> {
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
    // Absent (NULL) before schema 3 and in calls nobody was asked about: their hash is unchanged.
    customerReply: row.customer_reply ?? undefined,
  };
}

function parseStoredJson(text: unknown): unknown {
  if (text === null || text === undefined) return undefined;
  if (typeof text !== 'string') throw new Error('stored JSON is not text');
  return JSON.parse(text);
}

/** The record's hash by its version: sha256 (unkeyed) or HMAC-SHA256 with the key (keyed). */
export function rowHash(row: AuditRow, key: Uint8Array | undefined): string {
  if (row.chain === KEYED_CHAIN) {
    if (!key) throw new Error('a keyed audit record needs the key');
    return createHmac('sha256', key).update(String(row.prev_hash) + canonicalJson({ ...recordFields(row), chain: KEYED_CHAIN })).digest('hex');
  }
  return createHash('sha256').update(String(row.prev_hash) + canonicalJson(recordFields(row))).digest('hex');
}

/**
 * `keyedSince`: the first keyed record as the keychain remembers it for this log (only passed
 * with the key): from there on every record must be keyed, and the log must reach it.
 */
export function verifyChain(
  rows: Iterable<AuditRow>,
  head: AuditHeadRow | undefined,
  count: number,
  key: Uint8Array | undefined,
  keyedSince?: number,
): AuditVerification {
  const fail = (seq: number, reason: string): AuditVerification => ({ ok: false, count, seq, reason });
  let expectedSeq = 1;
  let prevHash = AUDIT_GENESIS_HASH;
  let keyedFrom: number | undefined;
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
    const chain = row.chain ?? null;
    if (chain !== null && chain !== KEYED_CHAIN) return fail(seq, `record ${seq} was not written by Flowbot (unknown chain version ${String(chain)})`);
    if (chain === KEYED_CHAIN) {
      keyedFrom ??= seq;
      if (!key) {
        return fail(seq, `records from ${keyedFrom} on are keyed, and the key is not available here (the OS keychain is locked or unavailable, or the log was written on another computer): they cannot be checked`);
      }
    } else if (keyedFrom !== undefined) {
      return fail(seq, `record ${seq} is not keyed, but record ${keyedFrom} before it is: Flowbot never writes that, so the log was rewritten by someone without the key`);
    } else if (keyedSince !== undefined && seq >= keyedSince) {
      return fail(seq, `record ${seq} is not keyed, but this computer's keychain says this log is keyed from record ${keyedSince} on: the log was rewritten by someone without the key`);
    }
    let actual: string | undefined;
    try {
      actual = rowHash(row, key);
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
  if (keyedSince !== undefined && lastSeq < keyedSince) {
    return fail(Math.max(lastSeq, 1), `the log ends at record ${lastSeq}, but this computer's keychain says it is keyed from record ${keyedSince} on: records were removed`);
  }
  if (keyedFrom !== undefined && key && head.mac !== headMac(key, head.count, head.last_hash)) {
    return fail(Math.max(lastSeq, 1), `the log's end was moved: its head is not sealed with the key for record ${lastSeq}, so records after it may have been removed`);
  }
  return keyedFrom === undefined ? { ok: true, count } : { ok: true, count, keyedFrom };
}
