// A data folder written before WhatsApp's timestamps and question deliveries were kept: opening
// it adds the new columns, keeps every row, and the new fields work from then on.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { DB_FILE_NAME } from '../../src-main/adapters/store/sqlite-store';
import { openWhatsAppStore } from '../../src-main/adapters/whatsapp/whatsapp-store';

const dir = mkdtempSync(join(tmpdir(), 'flowbot-wa-upgrade-'));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('adds sent_at, participant, conversation_id and question to tables that lack them', () => {
  const old = new Database(join(dir, DB_FILE_NAME));
  old.exec(`
    CREATE TABLE wa_inbound (bot TEXT NOT NULL, message_key TEXT NOT NULL, jid TEXT NOT NULL, push_name TEXT,
      kind TEXT NOT NULL CHECK (kind IN ('text', 'unsupported')), text TEXT NOT NULL, received_at INTEGER NOT NULL,
      conversation_id TEXT, transcript_mark INTEGER, handled_at INTEGER, outcome TEXT, PRIMARY KEY (bot, message_key));
    CREATE TABLE wa_outbound (id INTEGER PRIMARY KEY, bot TEXT NOT NULL, jid TEXT NOT NULL, text TEXT NOT NULL,
      queued_at INTEGER NOT NULL, sent_at INTEGER, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT);
    INSERT INTO wa_inbound (bot, message_key, jid, kind, text, received_at) VALUES ('shop', 'k1', 'a@s.whatsapp.net', 'text', 'hi', 1);
    INSERT INTO wa_outbound (bot, jid, text, queued_at) VALUES ('shop', 'a@s.whatsapp.net', 'Hello', 2);
  `);
  old.close();

  const store = openWhatsAppStore(dir);
  try {
    expect(store.inbound('shop', 'k1')).toEqual({ messageKey: 'k1', jid: 'a@s.whatsapp.net', kind: 'text', text: 'hi', receivedAt: 1 });
    expect(store.outbound('shop')).toEqual([{ id: 1, jid: 'a@s.whatsapp.net', text: 'Hello', queuedAt: 2, attempts: 0 }]);
    store.recordInbound('shop', { messageKey: 'k2', jid: 'g@g.us', kind: 'text', text: 'yes', receivedAt: 3, sentAt: 2_000, participant: 'b@s.whatsapp.net' });
    expect(store.inbound('shop', 'k2')).toMatchObject({ sentAt: 2_000, participant: 'b@s.whatsapp.net' });
    const id = store.enqueue('shop', 'g@g.us', 'Shall I?', 4, { conversationId: 'conv-1', question: 3 });
    expect(store.pending('shop', 10).find((r) => r.id === id)).toMatchObject({ question: { conversationId: 'conv-1', question: 3 } });
  } finally {
    store.close();
  }
  // Opening again is a no-op.
  openWhatsAppStore(dir).close();
});
