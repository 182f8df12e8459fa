// The SQLite store against a real file: round trips, single-use confirmations, and an audit
// chain that notices edits made behind its back through a second, raw connection. Runs on
// better-sqlite3 here and on node:sqlite under Node 22 (node22-runtime.test.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite, type SqliteDatabase } from '../../src-main/adapters/store/sqlite-driver';
import { firstColumn } from '../support/sqlite';
import {
  AUDIT_GENESIS_HASH,
  AUDIT_VALUE_MAX_CHARS,
  DB_FILE_NAME,
  openStore,
} from '../../src-main/adapters/store/sqlite-store';
import type { SqliteStore } from '../../src-main/adapters/store/sqlite-store';
import type { AuditEntry, ConversationState } from '../../src-main/shared/conversation';

let dir: string;
let store: SqliteStore;
let raw: SqliteDatabase | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowbot-store-'));
  store = openStore(join(dir, 'nested', 'data')); // also checks the data dir is created
});

afterEach(() => {
  store.close();
  raw?.close();
  raw = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** A second connection to the same file, as an attacker or a curious owner would use. */
function rawDb(): SqliteDatabase {
  raw ??= openSqlite(join(dir, 'nested', 'data', DB_FILE_NAME), { timeoutMs: 5000 });
  return raw;
}

function state(id: string, overrides: Partial<ConversationState> = {}): ConversationState {
  return {
    conversationId: id,
    flowId: 'orders',
    status: 'active',
    awaiting: { kind: 'input', nodeId: 'ask-order' },
    vars: { order: { id: 42, items: ['a', 'b'] } },
    contact: { id: '+15550001', name: 'Ana' },
    lastMessage: 'hi',
    stepsSinceInput: 0,
    retries: 0,
    shownCalls: [],
    ...overrides,
  };
}

function createConversation(id = 'c1'): void {
  store.createConversation({ id, flowId: 'orders', flowSource: 'flows/orders.flow.json', state: state(id), createdAt: 1000 });
}

function entry(n: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    time: 2000 + n,
    conversationId: 'c1',
    flowId: 'orders',
    nodeId: `tool-${n}`,
    server: 'crm',
    tool: 'create_ticket',
    args: { subject: `ticket ${n}`, priority: n },
    status: 'executed',
    result: { ok: true, n },
    durationMs: 12.5,
    confirmationId: `conf-${n}`,
    ...overrides,
  };
}

describe('conversations', () => {
  it('round-trips a conversation and its state', () => {
    createConversation();
    const got = store.getConversation('c1');
    expect(got).toEqual({
      id: 'c1',
      flowId: 'orders',
      flowSource: 'flows/orders.flow.json',
      state: state('c1'),
      createdAt: 1000,
      updatedAt: 1000,
    });
    expect(store.getConversation('nope')).toBeUndefined();
    expect(() => createConversation()).toThrow(/conversation "c1": it already exists/);
  });

  it('names the conversation and the problem when the stored state no longer parses', () => {
    createConversation('broken');
    rawDb().prepare('UPDATE conversations SET state_json = ? WHERE id = ?').run(JSON.stringify({ ...state('broken'), retries: -1 }), 'broken');
    expect(() => store.getConversation('broken')).toThrow(/conversation "broken".*retries/);
    rawDb().prepare('UPDATE conversations SET state_json = ? WHERE id = ?').run('{not json', 'broken');
    expect(() => store.getConversation('broken')).toThrow(/conversation "broken" is not valid JSON/);
  });
});

describe('messages', () => {
  it('commits a step with its bot messages, tracks delivery, and returns the latest transcript in order', () => {
    createConversation();
    const customer = store.addCustomerMessage('c1', 'where is my order?', 1100);
    const next = state('c1', { status: 'ended', awaiting: null, lastMessage: 'where is my order?' });
    const sent = store.commitStep('c1', next, ['Looking it up', 'It ships today'], 1200);

    expect(sent.map((m) => [m.role, m.text, m.delivered])).toEqual([
      ['bot', 'Looking it up', false],
      ['bot', 'It ships today', false],
    ]);
    expect(sent[0]!.id).toBeGreaterThan(customer.id);
    const saved = store.getConversation('c1');
    expect(saved?.state).toEqual(next);
    expect(saved?.updatedAt).toBe(1200);
    expect(firstColumn(rawDb().prepare('SELECT status FROM conversations WHERE id = ?').get('c1'))).toBe('ended');

    // Customer messages are not outgoing: only bot messages wait for delivery.
    expect(store.undelivered('c1').map((m) => m.text)).toEqual(['Looking it up', 'It ships today']);
    store.markDelivered([sent[0]!.id]);
    expect(store.undelivered('c1').map((m) => m.id)).toEqual([sent[1]!.id]);

    expect(store.transcript('c1', 2).map((m) => [m.text, m.delivered])).toEqual([
      ['Looking it up', true],
      ['It ships today', false],
    ]);
    expect(store.transcript('c1', 10).map((m) => [m.role, m.delivered])).toEqual([
      ['customer', true],
      ['bot', true],
      ['bot', false],
    ]);
  });

  it('refuses a step or a message for a conversation that does not exist, saving nothing', () => {
    expect(() => store.commitStep('ghost', state('ghost'), ['hello'], 1)).toThrow(/conversation "ghost" does not exist/);
    expect(() => store.addCustomerMessage('ghost', 'hi', 1)).toThrow(/conversation "ghost" does not exist/);
    expect(firstColumn(rawDb().prepare('SELECT COUNT(*) FROM messages').get())).toBe(0);
  });
});

describe('confirmations', () => {
  const base = { conversationId: 'c1', nodeId: 'tool-1', server: 'crm', tool: 'create_ticket', args: { a: 1 }, callHash: 'h1', at: 10 };

  it('is consumed once, and only by an exact match', () => {
    createConversation();
    createConversation('c2');
    const id = store.recordConfirmation(base);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    expect(store.consumeConfirmation({ conversationId: 'c1', nodeId: 'tool-1', callHash: 'other', at: 11 })).toBeUndefined();
    expect(store.consumeConfirmation({ conversationId: 'c1', nodeId: 'tool-2', callHash: 'h1', at: 11 })).toBeUndefined();
    expect(store.consumeConfirmation({ conversationId: 'c2', nodeId: 'tool-1', callHash: 'h1', at: 11 })).toBeUndefined();

    expect(store.consumeConfirmation({ conversationId: 'c1', nodeId: 'tool-1', callHash: 'h1', at: 12 })).toBe(id);
    expect(store.consumeConfirmation({ conversationId: 'c1', nodeId: 'tool-1', callHash: 'h1', at: 13 })).toBeUndefined();
    expect(firstColumn(rawDb().prepare('SELECT used_at FROM confirmations WHERE id = ?').get(id))).toBe(12);
  });

  it('consumes the oldest of two identical confirmations first', () => {
    createConversation();
    const first = store.recordConfirmation({ ...base, at: 10 });
    const second = store.recordConfirmation({ ...base, at: 20 });
    const match = { conversationId: 'c1', nodeId: 'tool-1', callHash: 'h1', at: 30 };
    expect(store.consumeConfirmation(match)).toBe(first);
    expect(store.consumeConfirmation(match)).toBe(second);
    expect(store.consumeConfirmation(match)).toBeUndefined();
  });

  it('expiring voids the unused ones of that conversation only', () => {
    createConversation();
    createConversation('c2');
    const used = store.recordConfirmation(base);
    store.recordConfirmation({ ...base, nodeId: 'tool-2', callHash: 'h2' });
    const other = store.recordConfirmation({ ...base, conversationId: 'c2' });
    expect(store.consumeConfirmation({ conversationId: 'c1', nodeId: 'tool-1', callHash: 'h1', at: 11 })).toBe(used);

    store.expireConfirmations('c1', 50);
    expect(store.consumeConfirmation({ conversationId: 'c1', nodeId: 'tool-2', callHash: 'h2', at: 51 })).toBeUndefined();
    expect(store.consumeConfirmation({ conversationId: 'c2', nodeId: 'tool-1', callHash: 'h1', at: 51 })).toBe(other);
    // The used one keeps its use, it is not re-labelled as expired.
    expect(firstColumn(rawDb().prepare('SELECT expired_at FROM confirmations WHERE id = ?').get(used))).toBeNull();
  });
});

describe('audit log', () => {
  function appendFive(): void {
    for (let n = 1; n <= 5; n++) store.appendAudit(entry(n));
  }

  it('chains records and verifies a clean log', () => {
    expect(store.verifyAudit()).toEqual({ ok: true, count: 0 });
    const first = store.appendAudit(entry(1, { reason: undefined, result: undefined, confirmationId: null }));
    const second = store.appendAudit(entry(2, { status: 'blocked', reason: 'no confirmation' }));
    expect(first.seq).toBe(1);
    expect(first.prevHash).toBe(AUDIT_GENESIS_HASH);
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash, status: 'blocked', reason: 'no confirmation' });

    expect(store.listAudit()).toEqual([first, second]);
    expect(store.verifyAudit()).toEqual({ ok: true, count: 2 });
  });

  it('lists the most recent records of a conversation, oldest first', () => {
    for (let n = 1; n <= 6; n++) store.appendAudit(entry(n, { conversationId: n % 2 ? 'odd' : 'even' }));
    expect(store.listAudit({ conversationId: 'odd' }).map((r) => r.seq)).toEqual([1, 3, 5]);
    expect(store.listAudit({ conversationId: 'even', limit: 2 }).map((r) => r.seq)).toEqual([4, 6]);
    expect(store.listAudit({ limit: 3 }).map((r) => r.seq)).toEqual([4, 5, 6]);
  });

  it('names a record whose args were edited', () => {
    appendFive();
    rawDb().prepare('UPDATE audit SET args_json = ? WHERE seq = 3').run('{"priority":3,"subject":"nothing to see"}');
    expect(store.verifyAudit()).toEqual({
      ok: false,
      count: 5,
      seq: 3,
      reason: 'record 3 was changed after it was written (its hash does not match its contents)',
    });
  });

  it('reports garbage in a row as a change instead of throwing', () => {
    appendFive();
    rawDb().prepare('UPDATE audit SET args_json = ? WHERE seq = 2').run('{not json');
    expect(store.verifyAudit()).toMatchObject({ ok: false, seq: 2, reason: expect.stringMatching(/record 2 was changed/) });
    rawDb().prepare('UPDATE audit SET args_json = ? WHERE seq = 2').run(Buffer.from([1, 2, 3]));
    expect(store.verifyAudit()).toMatchObject({ ok: false, seq: 2 });
  });

  it('names a record deleted from the middle', () => {
    appendFive();
    rawDb().prepare('DELETE FROM audit WHERE seq = 4').run();
    expect(store.verifyAudit()).toEqual({
      ok: false,
      count: 4,
      seq: 4,
      reason: 'record 4 is missing (record 5 points to a record that is not there)',
    });
  });

  it('notices a deleted middle record even when the later ones were renumbered', () => {
    appendFive();
    rawDb().exec('DELETE FROM audit WHERE seq = 2; UPDATE audit SET seq = seq - 1 WHERE seq > 2;');
    expect(store.verifyAudit()).toMatchObject({ ok: false, seq: 2 });
  });

  it('notices a deleted last record', () => {
    appendFive();
    rawDb().prepare('DELETE FROM audit WHERE seq = 5').run();
    expect(store.verifyAudit()).toEqual({
      ok: false,
      count: 4,
      seq: 5,
      reason: 'record 5 is missing (the log should end at record 5 but ends at record 4)',
    });
  });

  it('notices a forged record appended with a correct-looking hash', () => {
    appendFive();
    const last = store.listAudit({ limit: 1 })[0]!;
    rawDb()
      .prepare(
        `INSERT INTO audit (seq, time, bot, conversation_id, flow_id, node_id, server, tool, args_json, status,
           result_json, reason, duration_ms, confirmation_id, prev_hash, hash)
         SELECT 6, time, bot, conversation_id, flow_id, node_id, server, tool, args_json, status,
           result_json, reason, duration_ms, confirmation_id, ?, ? FROM audit WHERE seq = 5`,
      )
      .run(last.hash, 'f'.repeat(64));
    expect(store.verifyAudit()).toMatchObject({ ok: false, seq: 6 });
  });

  it('continues the chain after the store is closed and reopened', () => {
    appendFive();
    store.close();
    store = openStore(join(dir, 'nested', 'data'));
    const sixth = store.appendAudit(entry(6));
    expect(sixth.seq).toBe(6);
    expect(sixth.prevHash).toBe(store.listAudit()[4]!.hash);
    expect(store.verifyAudit()).toEqual({ ok: true, count: 6 });
  });

  it('keeps one chain when two processes (the app and the CLI) append to the same file', () => {
    const cli = openStore(join(dir, 'nested', 'data'));
    try {
      for (let n = 1; n <= 4; n++) (n % 2 ? store : cli).appendAudit(entry(n));
      expect(cli.listAudit().map((r) => [r.seq, r.nodeId])).toEqual([
        [1, 'tool-1'],
        [2, 'tool-2'],
        [3, 'tool-3'],
        [4, 'tool-4'],
      ]);
      expect(store.verifyAudit()).toEqual({ ok: true, count: 4 });
    } finally {
      cli.close();
    }
  });

  it('stores a huge result as a bounded preview and still verifies', () => {
    const huge = { rows: 'x'.repeat(AUDIT_VALUE_MAX_CHARS * 3), note: 'é' };
    const record = store.appendAudit(entry(1, { result: huge }));
    const expectedJson = JSON.stringify({ note: 'é', rows: huge.rows });
    expect(record.result).toEqual({
      truncated: true,
      bytes: Buffer.byteLength(expectedJson, 'utf8'),
      preview: expectedJson.slice(0, AUDIT_VALUE_MAX_CHARS),
    });
    expect(record.args).toEqual(entry(1).args); // small values are kept whole
    const stored = firstColumn(rawDb().prepare('SELECT length(result_json) FROM audit WHERE seq = 1').get());
    expect(stored).toBeLessThan(AUDIT_VALUE_MAX_CHARS + 100);
    expect(store.listAudit()[0]).toEqual(record);
    expect(store.verifyAudit()).toEqual({ ok: true, count: 1 });
  });

  it('verifies a record whose text had a lone surrogate', () => {
    store.appendAudit(entry(1, { reason: 'bad \uD800 text', args: { s: '\uDC00' } }));
    expect(store.verifyAudit()).toEqual({ ok: true, count: 1 });
  });
});
