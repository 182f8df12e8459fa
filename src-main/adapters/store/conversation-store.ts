// What the app needs of a conversation store beyond the runtime's StorePort: the audit log's
// key state and the log read for people. Implemented on SQLite (sqlite-store.ts) and on
// PostgreSQL (../postgres/pg-store.ts).
import type { AuditRecord } from '../../shared/conversation';
import type { AuditFacets, AuditFilter, AuditListInput, AuditPage } from '../../shared/api/audit';
import type { AuditVerification, StorePort, Stored } from '../../runtime/ports';

/** Reading the audit log for people: filtered pages (newest first), one record, facets, exports. */
export interface AuditLogReader {
  page(query: AuditListInput): Stored<AuditPage>;
  get(seq: number): Stored<AuditRecord | undefined>;
  /** Every record matching the filter, oldest first (read lazily: an export may be large). */
  each(filter: AuditFilter): Iterable<AuditRecord> | AsyncIterable<AuditRecord>;
  facets(): Stored<AuditFacets>;
}

export interface ConversationStore extends StorePort {
  /** True when the last record is keyed: appending then needs the key (checked before any conversation runs). */
  auditIsKeyed(): Stored<boolean>;
  /** The first keyed record, if any (what the keychain should remember for this log). */
  auditKeyedFrom(): Stored<number | undefined>;
  /** `keyedSince`: from which record the keychain says this log is keyed (core/audit-chain.ts). */
  verifyAudit(keyedSince?: number): Stored<AuditVerification>;
  readonly auditLog: AuditLogReader;
}

/**
 * `records` as an iterable a synchronous consumer (core/audit-export.ts) can read: SQLite's as
 * they are (still read lazily), PostgreSQL's gathered first.
 */
export async function readable<T>(records: Iterable<T> | AsyncIterable<T>): Promise<Iterable<T>> {
  if (Symbol.iterator in records) return records;
  const out: T[] = [];
  for await (const record of records) out.push(record);
  return out;
}
