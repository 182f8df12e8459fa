// Issue 12 item 12: the audit chain is keyed. Records are chained with an HMAC whose key lives
// in the OS keychain, so someone who can write flowbot.db but has no key cannot rewrite a
// record and recompute the chain. Old (unkeyed) records keep verifying; after the first keyed
// record, an unkeyed one is refused (no silent downgrade).
import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src-main/core/canonical-json';
import { DB_FILE_NAME, openStore, type SqliteStore } from '../../src-main/adapters/store/sqlite-store';
import type { AuditEntry } from '../../src-main/shared/conversation';
import { loadAuditKey } from '../../src-main/app/audit-key';
import { AUDIT_KEY_ACCOUNT } from '../../src-main/core/secret-account';
import { openWorkspace } from '../../src-main/app/workspace';
import { createStudioAudit } from '../../src-main/app/studio-audit';

const KEY = randomBytes(32);
let dir: string;
let store: SqliteStore | undefined;
let raw: Database.Database | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowbot-audit-keyed-'));
});
afterEach(() => {
  store?.close();
  raw?.close();
  store = raw = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const rawDb = () => (raw ??= new Database(join(dir, DB_FILE_NAME)));
const entry = (n: number, overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  time: 1_750_000_000_000 + n * 1000,
  bot: 'shop',
  conversationId: 'c1',
  flowId: 'support',
  nodeId: 'create',
  server: 'crm',
  tool: 'create_ticket',
  args: { subject: `ticket ${n}` },
  status: n === 2 ? 'blocked' : 'executed',
  result: n === 2 ? undefined : { ticketId: `T-${n}` },
  reason: n === 2 ? 'no confirmation' : undefined,
  durationMs: n,
  confirmationId: n === 2 ? null : `conf-${n}`,
});

/** What an attacker with the source code and write access (no key) does: the documented sha256 rule, over every column as stored. */
function rewriteAndRechain(from: number, change: (row: Record<string, unknown>) => void): void {
  const db = rawDb();
  const rows = db.prepare('SELECT * FROM audit ORDER BY seq').all() as Record<string, unknown>[];
  let prev = from === 1 ? '0'.repeat(64) : (rows[from - 2]!.hash as string);
  for (const row of rows.filter((r) => (r.seq as number) >= from)) {
    if (row.seq === from) change(row);
    row.prev_hash = prev;
    const { hash: _h, chain, ...columns } = row;
    const fields = {
      seq: columns.seq, prevHash: columns.prev_hash, time: columns.time, bot: columns.bot ?? undefined, conversationId: columns.conversation_id,
      flowId: columns.flow_id, nodeId: columns.node_id, server: columns.server, tool: columns.tool,
      args: columns.args_json === null ? undefined : JSON.parse(columns.args_json as string), status: columns.status,
      result: columns.result_json === null ? undefined : JSON.parse(columns.result_json as string), reason: columns.reason ?? undefined,
      durationMs: columns.duration_ms, confirmationId: columns.confirmation_id, ...(chain == null ? {} : { chain }),
    };
    row.hash = createHash('sha256').update(String(prev) + canonicalJson(fields)).digest('hex');
    const sets = Object.keys(row).filter((k) => k !== 'seq');
    db.prepare(`UPDATE audit SET ${sets.map((k) => `${k} = @${k}`).join(', ')} WHERE seq = @seq`).run(row);
    prev = row.hash as string;
  }
  db.prepare('UPDATE audit_head SET last_hash = ? WHERE id = 1').run(prev);
}

describe('a keyed audit chain', () => {
  it('detects a record rewritten and the chain recomputed by someone without the key', () => {
    store = openStore(dir, { auditKey: KEY });
    for (const n of [1, 2, 3]) store.appendAudit(entry(n));
    expect(store.verifyAudit()).toMatchObject({ ok: true, count: 3 });

    // The blocked write becomes "executed" (as if it had been confirmed), the chain recomputed.
    rewriteAndRechain(2, (row) => {
      row.status = 'executed';
      row.reason = null;
    });
    expect(store.verifyAudit()).toMatchObject({ ok: false, seq: 2, reason: expect.stringContaining('record 2 was changed') });
  });

  it('says from which record on the log is keyed', () => {
    store = openStore(dir, { auditKey: KEY });
    for (const n of [1, 2]) store.appendAudit(entry(n));
    expect(store.verifyAudit()).toEqual({ ok: true, count: 2, keyedFrom: 1 });
  });

  it('refuses a downgrade: unkeyed records after a keyed one', () => {
    store = openStore(dir, { auditKey: KEY });
    for (const n of [1, 2, 3]) store.appendAudit(entry(n));
    rewriteAndRechain(2, (row) => {
      row.chain = null;
      row.status = 'executed';
    });
    expect(store.verifyAudit()).toMatchObject({ ok: false, seq: 2, reason: expect.stringContaining('record 2 is not keyed, but record 1 before it is') });
  });

  it('without the key, a keyed log cannot be checked (and is not reported intact); with the wrong key it reads as changed', () => {
    store = openStore(dir, { auditKey: KEY });
    store.appendAudit(entry(1));
    store.close();
    store = openStore(dir);
    expect(store.verifyAudit()).toMatchObject({ ok: false, seq: 1, reason: expect.stringContaining('keyed') });
    // Appending without the key would be a downgrade: refused with a clear error, nothing written.
    expect(() => store!.appendAudit(entry(2))).toThrow(/keyed.*key/);
    store.close();
    store = openStore(dir, { auditKey: randomBytes(32) });
    expect(store.verifyAudit()).toMatchObject({ ok: false, seq: 1, reason: expect.stringContaining('record 1 was changed') });
  });

  it('an old unkeyed log keeps verifying, then is keyed from the next record on', () => {
    copyFileSync(resolve('test/fixtures/audit/v1-flowbot.db'), join(dir, DB_FILE_NAME));
    store = openStore(dir);
    const before = store.verifyAudit();
    expect(before).toMatchObject({ ok: true });
    expect(before).not.toHaveProperty('keyedFrom');
    store.close();
    store = openStore(dir, { auditKey: KEY });
    const appended = store.appendAudit(entry(9));
    expect(store.verifyAudit()).toEqual({ ok: true, count: appended.seq, keyedFrom: appended.seq });
  });
});

describe('the audit key in the keychain (app/audit-key.ts)', () => {
  const memory = () => {
    const values = new Map<string, string>();
    return { values, get: async (a: string) => values.get(a), set: async (a: string, v: string) => void values.set(a, v), delete: async (a: string) => values.delete(a) };
  };

  it('is created once by a writer, outside every bot, and read back by verify', async () => {
    const secrets = memory();
    expect(await loadAuditKey(secrets, { create: false })).toEqual({ problem: 'there is no audit key in the keychain yet' });
    const { key } = await loadAuditKey(secrets, { create: true });
    expect(key).toHaveLength(32);
    expect([...secrets.values.keys()]).toEqual([AUDIT_KEY_ACCOUNT]);
    expect(AUDIT_KEY_ACCOUNT.startsWith('bot/')).toBe(false);
    expect((await loadAuditKey(secrets, { create: true })).key).toEqual(key);
    expect((await loadAuditKey(secrets, { create: false })).key).toEqual(key);
  });

  it('no keychain (headless): no key, and why; the log is then chained unkeyed as before', async () => {
    const broken = { get: async () => Promise.reject(new Error('Cannot autolaunch D-Bus')), set: async () => undefined, delete: async () => false };
    expect(await loadAuditKey(broken, { create: true })).toEqual({ problem: 'the keychain cannot be used (Cannot autolaunch D-Bus)' });
    store = openStore(dir);
    store.appendAudit(entry(1));
    expect(store.verifyAudit()).toEqual({ ok: true, count: 1 });
  });
});

// The reviewer's three holes in the keyed chain (issue 12 item 12, hardening).
describe('a keyed log cannot be bypassed, downgraded or cut short', () => {
  const memory = (values = new Map<string, string>()) => ({
    values,
    get: async (a: string) => values.get(a),
    set: async (a: string, v: string) => void values.set(a, v),
    delete: async (a: string) => values.delete(a),
  });

  it('a keyed log with the keychain locked: the workspace does not open, so no tool can run unrecorded', async () => {
    const secrets = memory();
    const ws = await openWorkspace({ config: { mcpServers: {} }, dataDir: dir, secrets });
    await ws.store.appendAudit(entry(1));
    await ws.close();
    const locked = { get: async () => Promise.reject(new Error('the keyring is locked')), set: async () => undefined, delete: async () => false };
    await expect(openWorkspace({ config: { mcpServers: {} }, dataDir: dir, secrets: locked })).rejects.toThrow(
      /audit log is protected by a key in the OS keychain, which is locked or unavailable.*the keyring is locked/,
    );
  });

  it('a downgrade of every keyed record (chain NULL, plain sha256) fails verify: the keychain remembers the log was keyed', async () => {
    const secrets = memory();
    const ws = await openWorkspace({ config: { mcpServers: {} }, dataDir: dir, secrets });
    for (const n of [1, 2, 3]) await ws.store.appendAudit(entry(n));
    await ws.close();
    const audit = createStudioAudit({ dataDir: dir, secrets });
    try {
      expect(await audit.handlers['audit.verify'](undefined as never)).toEqual({ ok: true, count: 3, keyedFrom: 1 });
      rawDb().prepare('UPDATE audit SET chain = NULL').run();
      rawDb().prepare('UPDATE audit_head SET mac = NULL').run();
      rewriteAndRechain(1, (row) => void (row.status = 'executed'));
      expect(await audit.handlers['audit.verify'](undefined as never)).toMatchObject({
        ok: false,
        seq: 1,
        reason: expect.stringContaining('record 1 is not keyed'),
      });
    } finally {
      audit.close();
    }
  });

  it('deleting the newest records and rewinding the head fails verify (the head is sealed with the key)', () => {
    store = openStore(dir, { auditKey: KEY });
    for (const n of [1, 2, 3]) store.appendAudit(entry(n));
    const second = rawDb().prepare('SELECT hash FROM audit WHERE seq = 2').get() as { hash: string };
    rawDb().prepare('DELETE FROM audit WHERE seq = 3').run();
    rawDb().prepare('UPDATE audit_head SET count = 2, last_hash = ? WHERE id = 1').run(second.hash);
    expect(store.verifyAudit()).toMatchObject({ ok: false, seq: 2, reason: expect.stringContaining('records after it may have been removed') });
  });
});
