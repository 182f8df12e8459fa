// The audit log's bot column and its queries against real SQLite files: a database written by
// the schema-1 store (test/fixtures/audit) migrates and still verifies, a changed bot breaks
// the chain, and the audit screen's filters, pages, details and facets read what was written.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite, type SqliteDatabase } from '../../src-main/adapters/store/sqlite-driver';
import { firstColumn } from '../support/sqlite';
import { AuditRecordDamagedError } from '../../src-main/adapters/store/audit-query';
import { DB_FILE_NAME, openStore, SCHEMA_VERSION, type SqliteStore } from '../../src-main/adapters/store/sqlite-store';
import { AuditListInputSchema, type AuditListInput } from '../../src-main/shared/api/audit';
import type { AuditEntry } from '../../src-main/shared/conversation';

const V1_DB = resolve('test/fixtures/audit/v1-flowbot.db');

let dir: string;
let store: SqliteStore | undefined;
let raw: SqliteDatabase | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowbot-audit-store-'));
});
afterEach(() => {
  store?.close();
  raw?.close();
  store = undefined;
  raw = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const rawDb = () => (raw ??= openSqlite(join(dir, DB_FILE_NAME), { timeoutMs: 5000 }));

function entry(n: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    time: 1_750_000_000_000 + n * 1000,
    bot: 'shop',
    conversationId: `conv-${n % 3}`,
    flowId: 'support-ticket',
    nodeId: 'create',
    server: 'crm',
    tool: 'create_ticket',
    args: { subject: `ticket ${n}` },
    status: 'executed',
    result: { ticketId: `T-${n}` },
    durationMs: n,
    confirmationId: `conf-${n}`,
    ...overrides,
  };
}

describe('the bot in audit records', () => {
  it('is stored, read back and part of the hashed content', () => {
    store = openStore(dir);
    const record = store.appendAudit(entry(1));
    expect(record).toMatchObject({ seq: 1, bot: 'shop' });
    expect(firstColumn(rawDb().prepare('SELECT bot FROM audit WHERE seq = 1').get())).toBe('shop');
    expect(store.listAudit()).toEqual([record]);
    expect(store.auditLog.get(1)).toEqual(record);
    expect(store.verifyAudit()).toEqual({ ok: true, count: 1 });

    rawDb().prepare("UPDATE audit SET bot = 'other-bot' WHERE seq = 1").run();
    expect(store.verifyAudit()).toEqual({
      ok: false,
      count: 1,
      seq: 1,
      reason: 'record 1 was changed after it was written (its hash does not match its contents)',
    });
  });

  it('cannot be removed from a record without breaking the chain', () => {
    store = openStore(dir);
    for (let n = 1; n <= 3; n++) store.appendAudit(entry(n));
    rawDb().prepare('UPDATE audit SET bot = NULL WHERE seq = 2').run();
    expect(store.verifyAudit()).toMatchObject({ ok: false, seq: 2, reason: expect.stringContaining('record 2 was changed') });
  });

  it('a record without a bot (as the runtime writes when none is known) verifies', () => {
    store = openStore(dir);
    const { bot: _bot, ...withoutBot } = entry(1);
    const record = store.appendAudit(withoutBot);
    expect(record.bot).toBeUndefined();
    store.appendAudit(entry(2));
    expect(store.verifyAudit()).toEqual({ ok: true, count: 2 });
  });
});

describe('the customer\'s answer in audit records', () => {
  it('is stored, read back, searchable and part of the hashed content', () => {
    store = openStore(dir);
    const declined = store.appendAudit(entry(1, { status: 'declined', result: undefined, confirmationId: null, reason: 'the customer said no', customerReply: 'No, wait: the address is wrong' }));
    const confirmed = store.appendAudit(entry(2, { customerReply: 'yes' }));
    const unasked = store.appendAudit(entry(3));
    expect([declined.customerReply, confirmed.customerReply, unasked.customerReply]).toEqual(['No, wait: the address is wrong', 'yes', undefined]);
    expect(store.listAudit()).toEqual([declined, confirmed, unasked]);
    expect(store.auditLog.page(AuditListInputSchema.parse({ text: 'ADDRESS IS WRONG' })).records.map((r) => r.seq)).toEqual([1]);
    expect(store.verifyAudit()).toEqual({ ok: true, count: 3 });

    rawDb().prepare("UPDATE audit SET customer_reply = 'yes' WHERE seq = 1").run();
    expect(store.verifyAudit()).toMatchObject({ ok: false, seq: 1, reason: expect.stringContaining('record 1 was changed') });
  });

  it('a log written before the answer was kept (schema 2) migrates and still verifies', () => {
    store = openStore(dir);
    for (let n = 1; n <= 2; n++) store.appendAudit(entry(n));
    store.close();
    // Back to schema 2 as the previous release left it: no customer_reply column.
    rawDb().exec('ALTER TABLE audit DROP COLUMN customer_reply; ALTER TABLE audit DROP COLUMN chain; ALTER TABLE audit_head DROP COLUMN mac; PRAGMA user_version = 2;');
    raw!.close();
    raw = undefined;
    store = openStore(dir);
    expect(rawDb().pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.verifyAudit()).toEqual({ ok: true, count: 2 });
    store.appendAudit(entry(3, { status: 'declined', confirmationId: null, customerReply: 'no' }));
    expect(store.verifyAudit()).toEqual({ ok: true, count: 3 });
  });

  it('cannot be added to a record that had none without breaking the chain', () => {
    store = openStore(dir);
    for (let n = 1; n <= 2; n++) store.appendAudit(entry(n));
    rawDb().prepare("UPDATE audit SET customer_reply = 'no' WHERE seq = 2").run();
    expect(store.verifyAudit()).toMatchObject({ ok: false, seq: 2 });
  });
});

describe('a database written before the bot column (schema 1)', () => {
  beforeEach(() => {
    copyFileSync(V1_DB, join(dir, DB_FILE_NAME));
  });

  it('is the old format: schema 1, no bot column', () => {
    const db = rawDb();
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect((db.prepare('PRAGMA table_info(audit)').all() as { name: string }[]).map((c) => c.name)).not.toContain('bot');
  });

  it('migrates (adds the column), still verifies, and the chain continues with bots', () => {
    store = openStore(dir);
    expect(rawDb().pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect((rawDb().prepare('PRAGMA table_info(audit)').all() as { name: string }[]).map((c) => c.name)).toContain('bot');
    expect(store.verifyAudit()).toEqual({ ok: true, count: 4 });

    const old = store.listAudit();
    expect(old.map((r) => [r.seq, r.status, r.bot])).toEqual([
      [1, 'executed', undefined],
      [2, 'blocked', undefined],
      [3, 'declined', undefined],
      [4, 'executed', undefined],
    ]);
    expect(old[1]).toMatchObject({ args: { subject: 'Lamp, "flickers"\nagain', priority: 'high' }, reason: 'the customer did not confirm this call' });

    const fifth = store.appendAudit(entry(5, { customerReply: 'yes please' }));
    expect(fifth).toMatchObject({ seq: 5, bot: 'shop', customerReply: 'yes please', prevHash: old[3]!.hash });
    expect(store.verifyAudit()).toEqual({ ok: true, count: 5 });

    // Reopening (no second migration) keeps everything as it was.
    store.close();
    store = openStore(dir);
    expect(store.verifyAudit()).toEqual({ ok: true, count: 5 });
    expect(store.auditLog.facets().bots).toEqual(['shop']);
  });

  it('notices a bot added to an old record afterwards', () => {
    store = openStore(dir);
    rawDb().prepare("UPDATE audit SET bot = 'shop' WHERE seq = 3").run();
    expect(store.verifyAudit()).toMatchObject({ ok: false, count: 4, seq: 3, reason: expect.stringContaining('record 3 was changed') });
  });

  it('notices an edited old record as before', () => {
    store = openStore(dir);
    rawDb().prepare(`UPDATE audit SET args_json = '{"orderId":"A-2"}' WHERE seq = 1`).run();
    expect(store.verifyAudit()).toMatchObject({ ok: false, seq: 1 });
  });
});

describe('reading the log for the audit screen', () => {
  const query = (input: Partial<AuditListInput> = {}) => store!.auditLog.page(AuditListInputSchema.parse(input));
  const seqs = (input: Partial<AuditListInput> = {}) => query(input).records.map((r) => r.seq);

  beforeEach(() => {
    store = openStore(dir);
    store.appendAudit(entry(1, { tool: 'get_order_status', args: { orderId: 'A100' }, confirmationId: null }));
    store.appendAudit(entry(2, { status: 'declined', reason: 'the customer said no', result: undefined, confirmationId: null }));
    store.appendAudit(entry(3, { bot: 'clinic', server: 'calendar', tool: 'book_appointment', args: { when: 'Monday, 10:00' } }));
    store.appendAudit(entry(4, { status: 'blocked', reason: 'the customer did not confirm this call', confirmationId: null, args: { subject: 'Refund 100% NOW_' } }));
    store.appendAudit(entry(5, { status: 'error', reason: 'No customer with id "c9" was found.', result: undefined }));
    store.appendAudit(entry(6, { flowId: 'order-status', conversationId: 'conv-x' }));
  });

  it('pages newest first with a total and a cursor', () => {
    const first = query({ limit: 4 });
    expect(first.records.map((r) => r.seq)).toEqual([6, 5, 4, 3]);
    expect(first).toMatchObject({ total: 6, nextBefore: 3 });
    const second = query({ limit: 4, before: 3 });
    expect(second.records.map((r) => r.seq)).toEqual([2, 1]);
    expect(second).toMatchObject({ total: 6, nextBefore: null });
    expect(query({ limit: 6 }).nextBefore).toBeNull();
  });

  it('summarises a row without its arguments and result', () => {
    const [row] = query({ limit: 1, before: 5 }).records;
    expect(row).toEqual({
      seq: 4,
      time: 1_750_000_004_000,
      bot: 'shop',
      conversationId: 'conv-1',
      flowId: 'support-ticket',
      nodeId: 'create',
      server: 'crm',
      tool: 'create_ticket',
      status: 'blocked',
      durationMs: 4,
      reason: 'the customer did not confirm this call',
      confirmed: false,
    });
    expect(query({ limit: 1 }).records[0]).toMatchObject({ seq: 6, confirmed: true });
  });

  it('filters by each field, combined with AND', () => {
    expect(seqs({ bot: 'clinic' })).toEqual([3]);
    expect(seqs({ status: 'blocked' })).toEqual([4]);
    expect(seqs({ server: 'crm', tool: 'create_ticket' })).toEqual([6, 5, 4, 2]);
    expect(seqs({ flowId: 'order-status' })).toEqual([6]);
    expect(seqs({ conversationId: 'conv-1' })).toEqual([4, 1]);
    expect(seqs({ conversationId: 'conv-1', status: 'executed' })).toEqual([1]);
    expect(seqs({ from: 1_750_000_002_000, to: 1_750_000_005_000 })).toEqual([4, 3, 2]);
    expect(query({ status: 'error' })).toMatchObject({ total: 1, nextBefore: null });
    expect(seqs({ bot: 'nobody' })).toEqual([]);
  });

  it('finds text literally anywhere in a record, ignoring ASCII case', () => {
    expect(seqs({ text: 'a100' })).toEqual([1]); // an argument
    expect(seqs({ text: 'SAID NO' })).toEqual([2]); // the reason
    expect(seqs({ text: 'T-5' })).toEqual([]); // record 5 failed: no result
    expect(seqs({ text: 'T-6' })).toEqual([6]); // a result
    expect(seqs({ text: '100%' })).toEqual([4]); // % and _ are not wildcards
    expect(seqs({ text: 'NOW_' })).toEqual([4]);
    expect(seqs({ text: '%' })).toEqual([4]);
    expect(seqs({ text: 'conf-3' })).toEqual([3]); // the confirmation id
  });

  it('gets one record in full, and facets list what occurs', () => {
    expect(store!.auditLog.get(3)).toMatchObject({ seq: 3, bot: 'clinic', args: { when: 'Monday, 10:00' }, result: { ticketId: 'T-3' }, confirmationId: 'conf-3' });
    expect(store!.auditLog.get(99)).toBeUndefined();
    expect(store!.auditLog.facets()).toEqual({
      bots: ['clinic', 'shop'],
      flows: ['order-status', 'support-ticket'],
      servers: ['calendar', 'crm'],
      tools: ['book_appointment', 'create_ticket', 'get_order_status'],
    });
  });

  it('reads matching records oldest first for an export', () => {
    expect([...store!.auditLog.each({ server: 'crm', status: 'executed' })].map((r) => r.seq)).toEqual([1, 6]);
  });

  it('a row someone damaged is reported as such, naming the record', () => {
    rawDb().prepare("UPDATE audit SET status = 'approved' WHERE seq = 2").run();
    expect(() => query()).toThrow(AuditRecordDamagedError);
    expect(() => query()).toThrow(/audit record 2 is damaged: status: must be one of: executed, blocked, declined, error, dry_run\. Run Verify/);
    rawDb().prepare("UPDATE audit SET status = 'declined', args_json = '{oops' WHERE seq = 2").run();
    expect(query().total).toBe(6); // the table does not read the JSON columns
    expect(() => store!.auditLog.get(2)).toThrow(/audit record 2 is damaged/);
  });
});

describe('a data folder in use by another store', () => {
  it('the reader sees what another connection (the app, the CLI) appended', () => {
    mkdirSync(dir, { recursive: true });
    store = openStore(dir);
    const writer = openStore(dir);
    try {
      writer.appendAudit(entry(1));
      expect(store.auditLog.page(AuditListInputSchema.parse({})).total).toBe(1);
    } finally {
      writer.close();
    }
  });
});
