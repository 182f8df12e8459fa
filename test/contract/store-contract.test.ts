// The store contract: every store behaviour the runtime relies on, run against SQLite (the data
// folder's flowbot.db) and a real PostgreSQL (a throwaway cluster, a fresh database per test).
// Both engines must answer alike; what only one could get wrong (several writers at once) is
// exercised with a second, independent connection ("another process").
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startEngine, type EngineUnderTest, type FreshStore } from '../fixtures/store-engines';
import { readable, type ConversationStore } from '../../src-main/adapters/store/conversation-store';
import type { AuditEntry, ConversationState } from '../../src-main/shared/conversation';

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

function entry(i: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    time: 1_000 + i,
    bot: 'shop',
    conversationId: `c${i % 3}`,
    flowId: 'orders',
    nodeId: 'save',
    server: i % 2 ? 'crm' : 'mail',
    tool: i % 2 ? 'create_order' : 'send',
    args: { n: i, note: 'olá' },
    status: 'executed',
    result: { ok: true },
    durationMs: 1.5,
    confirmationId: null,
    ...overrides,
  };
}

describe.each(ENGINES)('the store on %s', (engineName) => {
  let engine: EngineUnderTest;
  let db: FreshStore;
  let store: ConversationStore;

  beforeAll(async () => {
    engine = await startEngine(engineName);
  }, 60_000);
  afterAll(async () => {
    await engine?.stop();
  });
  afterEach(async () => {
    await store?.close();
    await db?.close();
  });

  const open = async () => {
    db = await engine.fresh();
    store = db.storage.conversations();
  };
  const create = (id: string, createdAt = 1_000) =>
    store.createConversation({ id, flowId: 'orders', flowSource: 'flows/orders.flow.json', state: state(id), createdAt });

  it('keeps conversations, steps and the transcript in order, and says what is missing', async () => {
    await open();
    await create('c1');
    expect((await store.getConversation('c1'))?.state).toEqual(state('c1'));
    expect(await store.getConversation('nope')).toBeUndefined();
    await expect(Promise.resolve().then(() => create('c1'))).rejects.toThrow('cannot create conversation "c1": it already exists');

    const customer = await store.addCustomerMessage('c1', 'quero 2 pães', 1_100);
    const sent = await store.commitStep('c1', state('c1', { status: 'ended' }), ['one', 'two', 'três'], 1_200);
    expect(sent.map((e) => e.text)).toEqual(['one', 'two', 'três']);
    expect(sent[0]!.id).toBeGreaterThan(customer.id);
    expect(sent[1]!.id).toBeGreaterThan(sent[0]!.id);
    const saved = await store.getConversation('c1');
    expect(saved?.state.status).toBe('ended');
    expect(saved?.updatedAt).toBe(1_200);

    expect((await store.transcript('c1', 2)).map((e) => e.text)).toEqual(['two', 'três']);
    expect((await store.transcript('c1', 10)).map((e) => [e.role, e.delivered])).toEqual([
      ['customer', true], ['bot', false], ['bot', false], ['bot', false],
    ]);
    expect((await store.undelivered('c1')).map((e) => e.text)).toEqual(['one', 'two', 'três']);
    await store.markDelivered([sent[0]!.id, sent[1]!.id]);
    expect((await store.undelivered('c1')).map((e) => e.text)).toEqual(['três']);

    await expect(Promise.resolve().then(() => store.addCustomerMessage('ghost', 'hi', 1))).rejects.toThrow('conversation "ghost" does not exist');
    await expect(Promise.resolve().then(() => store.commitStep('ghost', state('ghost'), [], 1))).rejects.toThrow('conversation "ghost" does not exist');
  });

  it('a stored state that no longer parses is reported with the conversation id', async () => {
    await open();
    await create('c1');
    await db.exec(`UPDATE conversations SET state_json = '{"status":42}' WHERE id = 'c1'`);
    await expect(Promise.resolve().then(() => store.getConversation('c1'))).rejects.toThrow('stored state of conversation "c1" is not a valid conversation state');
  });

  it('a confirmation is consumed once, by exactly one of several processes racing for it', async () => {
    await open();
    await create('c1');
    const match = { conversationId: 'c1', nodeId: 'save', callHash: 'h1', at: 2_000 };
    const id = await store.recordConfirmation({ conversationId: 'c1', nodeId: 'save', server: 'crm', tool: 'create_order', args: { qty: 2 }, callHash: 'h1', at: 1_500 });
    expect(await store.consumeConfirmation({ ...match, callHash: 'other' })).toBeUndefined();

    const others = await Promise.all([1, 2, 3, 4, 5].map(() => db.other()));
    const consumers = [store, ...others.map((s) => s.conversations())];
    const results = await Promise.all(consumers.flatMap((s) => [s.consumeConfirmation(match), s.consumeConfirmation(match)]));
    expect(results.filter((r) => r !== undefined)).toEqual([id]);
    for (const s of consumers.slice(1)) await s.close();

    // A new customer message voids what is open; a used one stays used.
    await store.recordConfirmation({ conversationId: 'c1', nodeId: 'save', server: 'crm', tool: 'create_order', args: { qty: 3 }, callHash: 'h2', at: 1_600 });
    await store.expireConfirmations('c1', 1_700);
    expect(await store.consumeConfirmation({ ...match, callHash: 'h2' })).toBeUndefined();
    await expect(
      Promise.resolve().then(() => store.recordConfirmation({ conversationId: 'ghost', nodeId: 'n', server: 's', tool: 't', args: {}, callHash: 'h', at: 1 })),
    ).rejects.toThrow('conversation "ghost" does not exist');
  });

  it('concurrent audit appends from several processes keep one linear chain that verifies', async () => {
    await open();
    const others = await Promise.all([1, 2, 3].map(() => db.other()));
    const writers = [store, ...others.map((s) => s.conversations())];
    const appended = await Promise.all(Array.from({ length: 60 }, (_, i) => writers[i % writers.length]!.appendAudit(entry(i))));
    expect(appended.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    for (const s of writers.slice(1)) await s.close();

    expect(await store.verifyAudit()).toEqual({ ok: true, count: 60 });
    const listed = await store.listAudit();
    expect(listed.map((r) => r.seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    for (const [i, record] of listed.entries()) if (i > 0) expect(record.prevHash).toBe(listed[i - 1]!.hash);
    expect((await store.listAudit({ conversationId: 'c1', limit: 2 })).map((r) => r.conversationId)).toEqual(['c1', 'c1']);
  });

  it('verify notices a record changed, deleted or added behind the store’s back', async () => {
    await open();
    for (let i = 0; i < 5; i++) await store.appendAudit(entry(i));
    await db.exec(`UPDATE audit SET args_json = '{"n":99}' WHERE seq = 3`);
    expect(await store.verifyAudit()).toMatchObject({ ok: false, seq: 3 });
    await db.exec(`DELETE FROM audit WHERE seq = 3`);
    expect(await store.verifyAudit()).toMatchObject({ ok: false, seq: 3, reason: expect.stringContaining('missing') });
  });

  it('a keyed log stays keyed: without the key nothing is appended, with it verify checks every record', async () => {
    await open();
    const key = randomBytes(32);
    const keyedFrom: number[] = [];
    const keyed = db.storage.conversations({ auditKey: key, onKeyedFrom: (seq) => keyedFrom.push(seq) });
    await store.appendAudit(entry(0));
    await keyed.appendAudit(entry(1));
    await keyed.appendAudit(entry(2));
    expect(keyedFrom).toEqual([2]);
    expect(await keyed.auditIsKeyed()).toBe(true);
    expect(await keyed.auditKeyedFrom()).toBe(2);
    await expect(Promise.resolve().then(() => store.appendAudit(entry(3)))).rejects.toThrow('it is keyed and its key is not available');
    expect(await keyed.verifyAudit(2)).toEqual({ ok: true, count: 3, keyedFrom: 2 });
    expect(await store.verifyAudit()).toMatchObject({ ok: false, seq: 2 });
    await keyed.close();
  });

  it('reads the log for people: filtered pages, one record, facets and an export in order', async () => {
    await open();
    for (let i = 0; i < 7; i++) await store.appendAudit(entry(i, i === 4 ? { reason: 'Stock BAIXO', status: 'error' } : {}));
    const page = await store.auditLog.page({ limit: 2, server: 'crm' });
    expect(page.records.map((r) => r.seq)).toEqual([6, 4]);
    expect(page.total).toBe(3);
    expect(page.nextBefore).toBe(4);
    const last = await store.auditLog.page({ limit: 2, server: 'crm', before: 4 });
    expect([last.records.map((r) => r.seq), last.nextBefore]).toEqual([[2], null]);
    expect((await store.auditLog.page({ limit: 10, text: 'stock baixo' })).records.map((r) => r.seq)).toEqual([5]);
    expect((await store.auditLog.page({ limit: 10, text: '%' })).total).toBe(0); // literal, no wildcards
    expect((await store.auditLog.page({ limit: 10, from: 1_002, to: 1_004 })).records.map((r) => r.seq)).toEqual([4, 3]);
    expect((await store.auditLog.get(5))?.reason).toBe('Stock BAIXO');
    expect(await store.auditLog.get(99)).toBeUndefined();
    expect(await store.auditLog.facets()).toEqual({ bots: ['shop'], flows: ['orders'], servers: ['crm', 'mail'], tools: ['create_order', 'send'] });
    expect([...(await readable(store.auditLog.each({ status: 'executed' })))].map((r) => r.seq)).toEqual([1, 2, 3, 4, 6, 7]);
  });

  it('keeps the owner’s server approvals and tool pins per bot', async () => {
    await open();
    const approvals = db.storage.approvals();
    expect(await approvals.serverApproval('shop', 'crm')).toBeUndefined();
    await approvals.approveServer('shop', 'crm', 'fp1', 10);
    await approvals.approveServer('shop', 'crm', 'fp2', 11);
    expect(await approvals.serverApproval('shop', 'crm')).toEqual({ fingerprint: 'fp2', approvedAt: 11 });
    await approvals.pinTools('shop', 'crm', [{ tool: 'b', definitionHash: 'hb' }, { tool: 'a', definitionHash: 'ha', parts: { description: 'd1' } }], 12);
    expect(await approvals.toolPins('shop', 'crm')).toEqual([
      { tool: 'a', definitionHash: 'ha', approvedAt: 12, parts: { description: 'd1' } },
      { tool: 'b', definitionHash: 'hb', approvedAt: 12 },
    ]);
    expect(await approvals.toolPins('other', 'crm')).toEqual([]);
    await approvals.forgetBot('shop');
    expect(await approvals.serverApproval('shop', 'crm')).toBeUndefined();
    expect(await approvals.toolPins('shop', 'crm')).toEqual([]);
    await approvals.close();
  });

  it('records an HTTP chat message once and keeps its answer for a retry', async () => {
    await open();
    const chat = db.storage.httpChat();
    expect(await chat.record('shop', 'ana', { messageId: 'm1', text: 'oi', receivedAt: 5 })).toBe(true);
    const again = (await db.other()).httpChat();
    expect(await again.record('shop', 'ana', { messageId: 'm1', text: 'oi', receivedAt: 6 })).toBe(false);
    await chat.begin('shop', 'ana', 'm1', 'c1', -1);
    await chat.finish('shop', 'ana', 'm1', '{"replies":["olá"]}', 7);
    expect(await again.message('shop', 'ana', 'm1')).toEqual({ messageId: 'm1', text: 'oi', receivedAt: 5, conversationId: 'c1', transcriptMark: -1, handledAt: 7, answer: '{"replies":["olá"]}' });
    expect(await chat.customer('shop', 'ana')).toBeUndefined();
    await chat.setConversation('shop', 'ana', 'c1', 'orders', 8);
    await chat.setConversation('shop', 'ana', 'c2', 'orders', 9);
    expect(await again.customer('shop', 'ana')).toEqual({ conversationId: 'c2', flowId: 'orders', updatedAt: 9 });
    await chat.close();
    await again.close();
  });

  it('keeps WhatsApp messages exactly once, replies in order, and one customer under both of their addresses', async () => {
    await open();
    const wa = db.storage.whatsapp();
    const pn = '5511987654321@s.whatsapp.net';
    const lid = '123456789@lid';
    const inbound = (key: string, at: number) => ({ messageKey: key, jid: pn, kind: 'text' as const, text: `msg ${key}`, receivedAt: at, sentAt: at - 1 });
    expect(await wa.recordInbound('shop', inbound('k2', 20))).toBe(true);
    expect(await wa.recordInbound('shop', inbound('k1', 21))).toBe(true);
    expect(await wa.recordInbound('shop', inbound('k2', 22))).toBe(false);
    await wa.beginInbound('shop', 'k2', 'c1', -1);
    expect((await wa.unhandled('shop')).map((r) => r.messageKey)).toEqual(['k2', 'k1']); // arrival order
    await wa.markHandled('shop', 'k2', 'answered', 30);
    expect(await wa.inbound('shop', 'k2')).toMatchObject({ conversationId: 'c1', transcriptMark: -1, handledAt: 30, outcome: 'answered', sentAt: 19 });
    expect((await wa.unhandled('shop')).map((r) => r.messageKey)).toEqual(['k1']);

    await wa.setConversation('shop', pn, 'c1', 'orders', 'Ana', 31);
    await wa.setTakenOver('shop', pn, true, 32, 99);
    await wa.setWaiting('shop', pn, 33);
    const first = await wa.enqueue('shop', pn, 'um', 34);
    const second = await wa.enqueue('shop', pn, 'dois', 35, { conversationId: 'c1', question: 1 });
    expect(second).toBeGreaterThan(first);
    expect((await wa.pending('shop', 10)).map((r) => [r.text, r.question?.question])).toEqual([['um', undefined], ['dois', 1]]);
    await wa.markSent(first, 36, 'wa-1');
    await wa.markFailed(second, 'offline');
    expect(await wa.sentMessage('shop', 'wa-1')).toMatchObject({ text: 'um', sentAt: 36, attempts: 1 });
    expect((await wa.pending('shop', 10)).map((r) => [r.text, r.attempts])).toEqual([['dois', 1]]);

    // The LID is learned: the customer row and the unsent reply move to it, once.
    expect(await wa.learnIdentity('shop', { lid, pn }, 40)).toBe(true);
    expect(await wa.learnIdentity('shop', { lid, pn }, 41)).toBe(false);
    expect(await wa.customerKey('shop', pn)).toBe(lid);
    expect(await wa.aliasOf('shop', lid)).toBe(pn);
    expect(await wa.customer('shop', pn)).toMatchObject({ jid: lid, name: 'Ana', phone: '5511987654321', conversationId: 'c1', takenOver: true, takenOverUntil: 99, waitingSince: 33 });
    expect((await wa.outbound('shop', lid)).map((r) => r.text)).toEqual(['dois']);
    expect((await wa.outbound('shop')).map((r) => r.text)).toEqual(['um', 'dois']);
    await wa.setTakenOver('shop', lid, false, 42);
    await wa.clearConversation('shop', pn, 43);
    expect(await wa.customers('shop', 5)).toEqual([expect.objectContaining({ jid: lid, takenOver: false, updatedAt: 43 })]);
    expect((await wa.customers('shop', 5))[0]?.conversationId).toBeUndefined();

    await wa.authSet('shop', [{ name: 'creds', sealed: 's1' }, { name: 'key:1', sealed: 's2' }]);
    await wa.authSet('shop', [{ name: 'key:1', sealed: null }]);
    expect(await wa.authGet('shop', 'creds')).toBe('s1');
    expect(await wa.authCount('shop')).toBe(1);
    await wa.authClear('shop');
    expect(await wa.authCount('shop')).toBe(0);
    await wa.close();
  });
});
