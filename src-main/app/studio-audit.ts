// The audit screen's handlers: the studio opens the store of its own data folder (the same
// flowbot.db the app's conversations and the CLI write) and reads the log from it. Read-only:
// nothing here appends to, repairs or rewrites the log.
import type { ApiHandlers } from '../api/dispatcher';
import { ApiCallError } from '../shared/api-contract';
import type { auditMethods } from '../shared/api/audit';
import { auditExportText } from '../core/audit-export';
import { showJson } from '../core/show-args';
import { AuditRecordDamagedError } from '../adapters/store/audit-query';
import { StoreOpenError } from '../adapters/store/sqlite-store';
import { readable, type ConversationStore } from '../adapters/store/conversation-store';
import { sqliteStorage, type Storage } from './storage';
import { auditNamer, facetNames, type AuditNameSource } from './audit-names';
import type { SecretsPort } from '../runtime/ports';
import { loadAuditKey, loadKeyedSince } from './audit-key';

export type AuditHandlers = Pick<ApiHandlers, keyof typeof auditMethods>;

export interface StudioAudit {
  handlers: AuditHandlers;
  close(): void;
}

export interface StudioAuditOptions {
  dataDir: string;
  /** Where the log is (default: the data folder's flowbot.db). */
  storage?: Storage;
  /** Where the audit chain's key is (the OS keychain): verify checks keyed records with it. */
  secrets?: SecretsPort;
  /** For the export's file name (default Date.now). */
  now?: () => number;
  /** The bots' and flows' names shown beside the ids (default: none, ids only). */
  names?: AuditNameSource;
}

export function createStudioAudit(options: StudioAuditOptions): StudioAudit {
  const now = options.now ?? Date.now;
  const storage = options.storage ?? sqliteStorage(options.dataDir);
  let store: ConversationStore | undefined;
  // Opened on first use, so a studio whose folder cannot hold a database still edits flows.
  const log = () => {
    store ??= storage.conversations();
    return store.auditLog;
  };
  // Verify reads the key (never creates one) and checks the log with it, in a store of its own.
  const verify = async () => {
    log();
    const { key } = options.secrets ? await loadAuditKey(options.secrets, { create: false }) : {};
    if (!key || !options.secrets) return store!.verifyAudit();
    const keyedSince = await loadKeyedSince(options.secrets, storage.logId);
    const keyed = storage.conversations({ auditKey: key });
    try {
      return await keyed.verifyAudit(keyedSince);
    } finally {
      await keyed.close();
    }
  };

  const handlers: AuditHandlers = {
    'audit.list': async (input) => {
      const page = await log().page(input);
      const nameOf = await auditNamer(options.names, page.records);
      return { ...page, records: page.records.map((r) => ({ ...r, names: nameOf(r) })) };
    },

    'audit.get': async ({ seq }) => {
      const record = await log().get(seq);
      if (record === undefined) throw new ApiCallError('NOT_FOUND', `There is no audit record ${seq}.`);
      const nameOf = await auditNamer(options.names, [record]);
      return {
        record,
        shown: {
          args: showJson(record.args),
          ...(record.result !== undefined ? { result: showJson(record.result) } : {}),
          ...(record.customerReply !== undefined ? { customerReply: showJson(record.customerReply) } : {}),
        },
        names: nameOf(record),
      };
    },

    'audit.verify': () => verify(),

    'audit.facets': async () => {
      const facets = await log().facets();
      return { ...facets, names: await facetNames(options.names, facets) };
    },

    'audit.export': async ({ format, ...filter }) => {
      const { text, count } = auditExportText(format, await readable(log().each(filter)));
      return { fileName: `flowbot-audit-${fileStamp(now())}.${format}`, text, count };
    },
  };
  return { handlers: withAuditErrors(handlers), close: () => void store?.close() };
}

/** 20250603-141502: a file name that sorts by time and is valid on every system. */
function fileStamp(at: number): string {
  return new Date(at).toISOString().replace(/\.\d+Z$/, '').replace(/[-:]/g, '').replace('T', '-');
}

/** A damaged record or an unusable data folder is the owner's to fix: CONFLICT, with the reason. */
function withAuditErrors(handlers: AuditHandlers): AuditHandlers {
  const wrapped: Record<string, (input: never) => Promise<unknown>> = {};
  for (const [name, handler] of Object.entries(handlers) as [string, (input: never) => unknown][]) {
    wrapped[name] = async (input) => {
      try {
        return await handler(input);
      } catch (error) {
        if (error instanceof AuditRecordDamagedError || error instanceof StoreOpenError) throw new ApiCallError('CONFLICT', error.message);
        throw error;
      }
    };
  }
  return wrapped as unknown as AuditHandlers;
}
