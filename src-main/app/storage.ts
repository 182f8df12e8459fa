// Where the runtime's tables live, chosen once per process: the data folder's flowbot.db
// (SQLite, the desktop's and a single server's default) or a PostgreSQL database shared by
// several `flowbot serve` instances (`--database postgres://…`, or DATABASE_URL). Everything that
// keeps conversations, the audit log, approvals, WhatsApp or HTTP chat state opens its store here.
import type { Pool } from 'pg';
import { openStore, type StoreOptions } from '../adapters/store/sqlite-store';
import { openApprovalsStore, type ApprovalsStore } from '../adapters/store/approvals-store';
import { openHttpChatStore, type HttpChatStore } from '../adapters/store/http-chat-store';
import { openWhatsAppStore, type WhatsAppStore } from '../adapters/whatsapp/whatsapp-store';
import type { ConversationStore } from '../adapters/store/conversation-store';
import { openPool, redactUrl } from '../adapters/postgres/open-pool';
import { migrate } from '../adapters/postgres/migrations';
import { createPgStore } from '../adapters/postgres/pg-store';
import { createPgApprovalsStore } from '../adapters/postgres/pg-approvals-store';
import { createPgWhatsAppStore } from '../adapters/postgres/pg-whatsapp-store';
import { createPgHttpChatStore } from '../adapters/postgres/pg-http-chat-store';

export type StoreTarget = { kind: 'sqlite'; dataDir: string } | { kind: 'postgres'; url: string };

export interface Storage {
  readonly target: StoreTarget;
  /**
   * Names the audit log this storage holds: the keychain remembers per log from which record it
   * is keyed (app/audit-key.ts). The data folder, or the database URL without its password.
   */
  readonly logId: string;
  /** Each call opens a handle the caller closes (SQLite); on PostgreSQL they share one pool. */
  conversations(options?: StoreOptions): ConversationStore;
  approvals(): ApprovalsStore;
  whatsapp(): WhatsAppStore;
  httpChat(): HttpChatStore;
  /** Ends the PostgreSQL pool (after every handle is done); nothing to do for SQLite. */
  close(): Promise<void>;
}

/** The data folder's flowbot.db. Nothing is opened until a store is asked for. */
export function sqliteStorage(dataDir: string): Storage {
  return {
    target: { kind: 'sqlite', dataDir },
    logId: dataDir,
    conversations: (options) => openStore(dataDir, options),
    approvals: () => openApprovalsStore(dataDir),
    whatsapp: () => openWhatsAppStore(dataDir),
    httpChat: () => openHttpChatStore(dataDir),
    close: async () => undefined,
  };
}

/** Connects, and brings the database's schema up to date (adapters/postgres/migrations.ts). */
export async function postgresStorage(url: string, application = 'flowbot'): Promise<Storage> {
  const pool: Pool = openPool(url, { max: 10, application });
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new Error(`Cannot use the database ${redactUrl(url)}: ${(error as Error).message}`);
  }
  return {
    target: { kind: 'postgres', url },
    logId: redactUrl(url),
    conversations: (options) => createPgStore(pool, options),
    approvals: () => createPgApprovalsStore(pool),
    whatsapp: () => createPgWhatsAppStore(pool),
    httpChat: () => createPgHttpChatStore(pool),
    close: () => pool.end(),
  };
}

export function openStorage(target: StoreTarget, application?: string): Promise<Storage> {
  return target.kind === 'sqlite' ? Promise.resolve(sqliteStorage(target.dataDir)) : postgresStorage(target.url, application);
}
