// Who can answer a confirmation on WhatsApp, end to end: the scripted socket (Baileys' real
// message shapes, with WhatsApp's own messageTimestamp), the real keychain, SQLite and the example
// CRM over MCP (its own crm.json tells whether a ticket was created).
// - A "yes" the customer sent before the question reached them (two messages sent together, or
//   while the studio was offline) is no answer: the bot asks again; a later "yes" runs exactly
//   the call that was shown.
// - In a group, only the participant who was asked can confirm.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeytarSecrets } from '../../src-main/adapters/secrets/keytar-secrets';
import { authKeyAccount } from '../../src-main/adapters/whatsapp/encrypted-auth-state';
import { textMessage } from '../fixtures/scripted-wa-socket';
import { requireTestKeyring } from '../support/keychain';
import { BOT, openHarness, waitFor, type Harness } from '../support/whatsapp-harness';

requireTestKeyring();

const secrets = createKeytarSecrets();
const ALICE = '31611111111@s.whatsapp.net';
const BEN = '44201111111@s.whatsapp.net';
const GROUP = '120363000000000001@g.us';
const QUESTION = 'Shall I open this support ticket for you?';
let dir: string;
let h: Harness;
/** The channel's clock (when messages arrive, when replies are acknowledged): moved by the test. */
let now: number;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowbot-wa-confirm-'));
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

const nowSeconds = () => Math.floor(now / 1000);
/** The customer reads the question and answers: later, by both clocks. */
const later = (ms = 3_000) => void (now += ms);
const tickets = () => (JSON.parse(readFileSync(join(dir, 'crm', 'crm.json'), 'utf8')) as { tickets: Record<string, unknown>[] }).tickets;
const questionsTo = (jid: string) => h.sentTo(jid).filter((m) => m.startsWith(QUESTION));
const writes = async () => (await h.workspace.store.listAudit()).filter((r) => r.tool === 'create_ticket');

/** Walks the support-ticket flow up to the priority question, one message at a time. */
async function upToPriority(chat: string, participant?: string): Promise<void> {
  for (const text of ['hi', 'c1', 'My lamp flickers']) {
    h.sockets.last().upsert([textMessage(chat, text, participant ? { participant } : {})]);
    await h.service.idle();
  }
}

describe('a "yes" sent before the question', () => {
  it('"high" and "ok" sent together: no ticket, asked again; a later "ok" creates exactly the ticket shown', async () => {
    await upToPriority(ALICE);
    // Both written while the studio was offline, 5 s ago: the "ok" cannot have answered a question not yet asked.
    const earlier = nowSeconds() - 5;
    h.sockets.last().upsert([textMessage(ALICE, 'high', { timestamp: earlier }), textMessage(ALICE, 'ok', { timestamp: earlier })]);
    await h.service.idle();

    expect(tickets()).toEqual([]);
    expect(await writes()).toEqual([]);
    const asked = questionsTo(ALICE);
    expect(asked).toHaveLength(2); // the question, then asked again
    expect(asked[1]).toBe(asked[0]);
    expect(asked[0]).toContain('• priority: "high"');
    expect(h.sentTo(ALICE).at(-1)).toBe(asked[1]);

    // Sent after the question reached the phone (WhatsApp stamps whole seconds: a later second).
    later();
    h.sockets.last().upsert([textMessage(ALICE, 'ok', { timestamp: nowSeconds() })]);
    await h.service.idle();
    expect(tickets()).toEqual([
      expect.objectContaining({ customerId: 'c1', subject: 'WhatsApp support request', description: 'My lamp flickers', priority: 'high' }),
    ]);
    expect(await writes()).toEqual([expect.objectContaining({ status: 'executed', args: { customerId: 'c1', subject: 'WhatsApp support request', description: 'My lamp flickers', priority: 'high' } })]);
  });

  it('an "ok" stamped in the same second as the question is no answer either', async () => {
    await upToPriority(ALICE);
    h.sockets.last().upsert([textMessage(ALICE, 'high')]);
    await h.service.idle();
    const sent = h.store.outbound(BOT, ALICE).at(-1)!;
    expect(sent.text.startsWith(QUESTION)).toBe(true);
    h.sockets.last().upsert([textMessage(ALICE, 'ok', { timestamp: Math.floor(sent.sentAt! / 1000) })]);
    await h.service.idle();
    expect(tickets()).toEqual([]);
    expect(questionsTo(ALICE)).toHaveLength(2);
  });

  it("a reply that reached us in the question's own second is no answer, even stamped later by WhatsApp's clock", async () => {
    await upToPriority(ALICE);
    h.sockets.last().upsert([textMessage(ALICE, 'high')]);
    await h.service.idle();
    // WhatsApp's clock runs 10 s ahead of ours: its stamp alone would put this after the question.
    h.sockets.last().upsert([textMessage(ALICE, 'ok', { timestamp: nowSeconds() + 10 })]);
    await h.service.idle();
    expect(tickets()).toEqual([]);
    expect(questionsTo(ALICE)).toHaveLength(2);
  });

  it('keeps WhatsApp’s timestamp with the inbound message', async () => {
    h.sockets.last().upsert([textMessage(ALICE, 'hi', { id: 'TS1', timestamp: 1_700_000_123 })]);
    await h.service.idle();
    expect(h.store.inbound(BOT, `${ALICE}||TS1`)).toMatchObject({ sentAt: 1_700_000_123_000 });
  });
});

describe('groups', () => {
  it("another participant's yes does not confirm the call shown to the one who asked", async () => {
    h.settings.update(BOT, { groupsEnabled: true });
    await upToPriority(GROUP, ALICE);
    h.sockets.last().upsert([textMessage(GROUP, 'high', { participant: ALICE })]);
    await h.service.idle();
    expect(questionsTo(GROUP)).toHaveLength(1);

    later();
    h.sockets.last().upsert([textMessage(GROUP, 'yes', { id: 'BEN-YES', participant: BEN, timestamp: nowSeconds() })]);
    await h.service.idle();
    expect(tickets()).toEqual([]);
    expect(await writes()).toEqual([]);
    expect(questionsTo(GROUP)).toHaveLength(1); // not asked again: the question still waits for Alice
    expect(h.store.inbound(BOT, `${GROUP}|${BEN}|BEN-YES`)).toMatchObject({ jid: GROUP, participant: BEN });

    later();
    h.sockets.last().upsert([textMessage(GROUP, 'yes', { participant: ALICE, timestamp: nowSeconds() })]);
    await h.service.idle();
    expect(tickets()).toEqual([expect.objectContaining({ customerId: 'c1', priority: 'high' })]);
  });
});
