// One customer under Baileys 7's two addresses (LID `…@lid` and phone number `…@s.whatsapp.net`),
// end to end: the scripted socket emits Baileys 7's shapes (remoteJidAlt / participantAlt on the
// key, `lid-mapping.update`, and Baileys' own LIDMappingStore over the sealed auth state), with
// the real keychain, SQLite and the example CRM over MCP (its crm.json tells whether a ticket
// was created). Whichever address the customer writes from, and in whichever order the two
// become known, they stay one conversation, listed once with their number, and a confirmation
// asked under one address is answered under the other (the write runs once).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WAMessage } from 'baileys';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeytarSecrets } from '../../src-main/adapters/secrets/keytar-secrets';
import { authKeyAccount, openEncryptedAuthState } from '../../src-main/adapters/whatsapp/encrypted-auth-state';
import { textMessage } from '../fixtures/scripted-wa-socket';
import { requireTestKeyring } from '../support/keychain';
import { BOT, openHarness, waitFor, type Harness } from '../support/whatsapp-harness';

requireTestKeyring();

const secrets = createKeytarSecrets();
const PN = '31611111111@s.whatsapp.net';
const LID = '205837461538918@lid';
const PHONE = '31611111111';
const GROUP = '120363000000000001@g.us';
const QUESTION = 'Shall I open this support ticket for you?';
let dir: string;
let h: Harness;
let now: number;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowbot-wa-lid-'));
  now = Math.floor(Date.now() / 1000) * 1000;
  h = await openHarness(join(dir, 'data'), secrets, dir, { clock: { now: () => now } });
  h.settings.update(BOT, { flowId: 'support-ticket' });
  await h.service.start();
  h.sockets.last().open();
  await waitFor('open', () => h.service.status() === 'open');
});
afterEach(async () => {
  await h.close();
  await secrets.delete(authKeyAccount(BOT));
  rmSync(dir, { recursive: true, force: true });
});

const later = () => void (now += 3_000);
const sock = () => h.sockets.last();
const tickets = () => (JSON.parse(readFileSync(join(dir, 'crm', 'crm.json'), 'utf8')) as { tickets: Record<string, unknown>[] }).tickets;
const writes = async () => (await h.workspace.store.listAudit()).filter((r) => r.tool === 'create_ticket');
/** Everything sent to the customer, under both addresses, in order. */
const sentToCustomer = () => sock().sent.filter((m) => m.jid === PN || m.jid === LID);
const questions = () => sentToCustomer().filter((m) => m.text.startsWith(QUESTION));

async function say(messages: WAMessage[]): Promise<void> {
  await sock().upsert(messages);
  await h.service.idle();
}

/** Walks the support-ticket flow to its confirmation question, writing from `jid` (with `alt` on the key, when given). */
async function upToQuestion(jid: string, alt?: string): Promise<void> {
  for (const text of ['hi', 'c1', 'My lamp flickers', 'high']) await say([textMessage(jid, text, { pushName: 'Alice', ...(alt ? { alt } : {}) })]);
  expect(questions()).toHaveLength(1);
}

/** The customer answers "yes", later, by both clocks. */
async function confirm(jid: string, alt?: string): Promise<void> {
  later();
  await say([textMessage(jid, 'yes', { timestamp: Math.floor(now / 1000), ...(alt ? { alt } : {}) })]);
}

async function expectOneCustomerWithTheTicket(): Promise<void> {
  expect(tickets()).toEqual([expect.objectContaining({ customerId: 'c1', description: 'My lamp flickers', priority: 'high' })]);
  expect(await writes()).toEqual([expect.objectContaining({ status: 'executed' })]);
  expect(questions()).toHaveLength(1);
  const customers = await h.service.customers();
  expect(customers).toHaveLength(1);
  expect(customers[0]).toMatchObject({ jid: LID, phone: PHONE, name: 'Alice', status: 'ended' });
  expect(await h.service.transcript(PN)).toEqual(await h.service.transcript(LID));
  expect((await h.service.transcript(LID)).filter((e) => e.role === 'customer').map((e) => e.text)).toEqual(['hi', 'c1', 'My lamp flickers', 'high', 'yes']);
}

describe('one customer, two addresses', () => {
  it('asked under the phone number, answered from the LID (the key names both)', async () => {
    await upToQuestion(PN);
    expect(await h.service.customers()).toMatchObject([{ jid: PN, phone: PHONE }]);
    await confirm(LID, PN);
    await expectOneCustomerWithTheTicket();
    // Replies go to the LID once it is known.
    expect(sentToCustomer().at(-1)).toMatchObject({ jid: LID, text: expect.stringContaining('Done!') });
  });

  it('asked under the LID, answered from the phone number (the key names both)', async () => {
    await upToQuestion(LID);
    // A LID alone tells no number: the screen has none to show yet.
    expect(await h.service.customers()).toEqual([expect.objectContaining({ jid: LID, name: 'Alice' })]);
    expect((await h.service.customers())[0]?.phone).toBeUndefined();
    await confirm(PN, LID);
    await expectOneCustomerWithTheTicket();
  });

  it('lid-mapping.update in between: neither message names the other address', async () => {
    await upToQuestion(PN);
    await sock().lidMappingUpdate(LID, PN);
    // The pair is kept in the sealed store, where Baileys reads it back after a restart.
    expect(await sock().signalRepository.lidMapping.getPNForLID(LID)).toBe(`${PHONE}:0@s.whatsapp.net`);
    await confirm(LID);
    await expectOneCustomerWithTheTicket();
  });

  it('a LID alone that Baileys has seen before: its mapping store tells the number', async () => {
    await upToQuestion(PN);
    // Baileys stored the pair from an earlier envelope; nothing emitted it to the bot.
    await sock().signalRepository.lidMapping.storeLIDPNMappings([{ lid: LID, pn: PN }]);
    await confirm(LID);
    await expectOneCustomerWithTheTicket();
  });

  it('a phone number alone: WhatsApp tells its LID (getLIDForPN)', async () => {
    await upToQuestion(LID);
    sock().directory.set(PN, LID);
    await confirm(PN);
    await expectOneCustomerWithTheTicket();
  });

  it('a reply queued under the phone number goes to the LID once the two are known to be one', async () => {
    sock().failSends = true; // the replies stay queued
    await say([textMessage(PN, 'hi')]);
    expect(h.store.outbound(BOT, PN).filter((r) => r.sentAt === undefined)).toHaveLength(1);
    await sock().lidMappingUpdate(LID, PN);
    expect(h.store.outbound(BOT, PN)).toEqual([]);
    sock().failSends = false;
    await h.service.channel.flush();
    await h.service.idle();
    expect(sock().sent.map((m) => m.jid)).toEqual([LID]);
  });

  it('both addresses wrote before they were known as one: one row stays, the conversation touched last', async () => {
    await say([textMessage(PN, 'hi', { pushName: 'Alice' })]);
    later();
    await say([textMessage(LID, 'hi')]);
    expect(await h.service.customers()).toHaveLength(2);
    const lastConversation = h.store.customer(BOT, LID)?.conversationId;
    await sock().lidMappingUpdate(LID, PN);
    expect(await h.service.customers()).toEqual([expect.objectContaining({ jid: LID, phone: PHONE, name: 'Alice', conversationId: lastConversation })]);
  });
});

describe('groups', () => {
  it('a participant asked under the phone number confirms from the LID (participantAlt)', async () => {
    h.settings.update(BOT, { groupsEnabled: true });
    for (const text of ['hi', 'c1', 'My lamp flickers', 'high']) await say([textMessage(GROUP, text, { participant: PN })]);
    expect(sock().sent.filter((m) => m.jid === GROUP && m.text.startsWith(QUESTION))).toHaveLength(1);
    later();
    await say([textMessage(GROUP, 'yes', { participant: LID, alt: PN, timestamp: Math.floor(now / 1000) })]);
    expect(tickets()).toEqual([expect.objectContaining({ customerId: 'c1', priority: 'high' })]);
  });
});

describe('the sealed auth state', () => {
  it('keeps the key types Baileys 7 needs: lid-mapping, device-list, tctoken (sealed, read back after reopening)', async () => {
    await sock().lidMappingUpdate(LID, PN);
    const token = Buffer.from('scripted-tc-token');
    await sock().auth.keys.set({ 'device-list': { [PHONE]: ['0', '12'] }, tctoken: { [LID]: { token, timestamp: '1700000000' } } });
    expect(h.store.authCount(BOT)).toBeGreaterThan(1);
    expect(h.store.authGet(BOT, `lid-mapping:${PHONE}`)).toMatch(/^v1\./); // sealed, not the LID in clear
    const reopened = await openEncryptedAuthState({ bot: BOT, store: h.store, secrets });
    expect(await reopened.state.keys.get('lid-mapping', [PHONE, '205837461538918_reverse'])).toEqual({ [PHONE]: '205837461538918', '205837461538918_reverse': PHONE });
    expect(await reopened.state.keys.get('device-list', [PHONE])).toEqual({ [PHONE]: ['0', '12'] });
    const tc = (await reopened.state.keys.get('tctoken', [LID]))[LID];
    expect(Buffer.from(tc!.token).toString()).toBe('scripted-tc-token');
    expect(tc!.timestamp).toBe('1700000000');
  });
});
