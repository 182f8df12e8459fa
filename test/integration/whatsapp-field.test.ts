// WhatsApp as real phones use it, with the scripted socket emitting Baileys 7's shapes: a phone
// that could not decrypt a reply asks for it again (getMessage), a storm of messages we cannot
// decrypt ("Bad MAC"), the customer's first message in the transcript, and the messages sent
// while the bot was offline (Baileys upserts them as 'append') answered in order, each once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DisconnectReason } from 'baileys';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeytarSecrets } from '../../src-main/adapters/secrets/keytar-secrets';
import { authKeyAccount } from '../../src-main/adapters/whatsapp/encrypted-auth-state';
import { textMessage, undecryptableMessage } from '../fixtures/scripted-wa-socket';
import { requireTestKeyring } from '../support/keychain';
import { ASK, BOT, BYE, GREET, openHarness, orderReply, waitFor, type Harness } from '../support/whatsapp-harness';

requireTestKeyring();

const secrets = createKeytarSecrets();
const ALICE = '31611111111@s.whatsapp.net';
const BEN = '44201111111@s.whatsapp.net';
let dir: string;
let h: Harness;
/** The channel's clock, moved by the tests. */
let now = Date.UTC(2026, 11, 2, 12, 0, 0);
const open = () => openHarness(join(dir, 'data'), secrets, dir, { clock: { now: () => now } });

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowbot-wa-field-'));
  h = await open();
});
afterEach(async () => {
  await h.close();
  await secrets.delete(authKeyAccount(BOT));
  rmSync(dir, { recursive: true, force: true });
});

async function connected(): Promise<void> {
  await h.service.start();
  h.sockets.last().open();
  await waitFor('open', () => h.service.status() === 'open');
}
const decryptLogs = () => h.events.filter((e) => e.type === 'log' && e.message.includes('could not be decrypted'));

describe('a phone that could not decrypt a reply asks for it again', () => {
  it('getMessage returns the reply we sent under that key, after a reconnect too; undefined for a key we never sent', async () => {
    await connected();
    const first = h.sockets.last();
    first.upsert([textMessage(ALICE, 'hi')]);
    await h.service.idle();
    const [greetKey, askKey] = first.sentKeys;
    expect(first.sent.map((m) => m.text)).toEqual([GREET, ASK]);
    expect(await first.options.getMessage(greetKey!)).toEqual({ extendedTextMessage: { text: GREET } });
    expect(await first.options.getMessage(askKey!)).toEqual({ extendedTextMessage: { text: ASK } });
    expect(await first.options.getMessage({ remoteJid: ALICE, fromMe: true, id: '3EB0NEVERSENT' })).toBeUndefined();
    expect(await first.options.getMessage({ remoteJid: ALICE, fromMe: true })).toBeUndefined();

    first.close(DisconnectReason.connectionLost, 'Connection Lost');
    await waitFor('a new socket', () => h.sockets.sockets.length === 2);
    const second = h.sockets.last();
    // The answer comes from the store, and the retry counts are kept across sockets.
    expect(await second.options.getMessage(askKey!)).toEqual({ extendedTextMessage: { text: ASK } });
    expect(second.options.msgRetryCounterCache).toBe(first.options.msgRetryCounterCache);
  });
});

describe('messages we cannot decrypt ("Bad MAC")', () => {
  it('a storm is logged once per customer per minute, never restarts the socket, and the message sent again is answered', async () => {
    await connected();
    const sock = h.sockets.last();
    for (let i = 0; i < 300; i++) {
      sock.upsert([undecryptableMessage(i % 2 === 0 ? ALICE : BEN, `BAD${i}`)], i % 3 === 0 ? 'append' : 'notify');
    }
    await h.service.idle();
    expect(decryptLogs().map((e) => e.type === 'log' && e.message)).toEqual([
      `a message from ${ALICE} could not be decrypted (Bad MAC); WhatsApp is asked to have it sent again`,
      `a message from ${BEN} could not be decrypted (Bad MAC); WhatsApp is asked to have it sent again`,
    ]);
    expect(h.sockets.sockets).toHaveLength(1);
    expect(sock.ended).toBe(false);
    expect(h.service.status()).toBe('open');
    expect(sock.sent).toEqual([]);
    expect(h.store.inbound(BOT, `${ALICE}||BAD0`)).toBeUndefined();

    // Baileys had the phone send it again: same key, now readable. It is answered, once.
    sock.upsert([textMessage(ALICE, 'hi', { id: 'BAD0' })]);
    sock.upsert([textMessage(ALICE, 'hi', { id: 'BAD0' })]);
    await h.service.idle();
    expect(h.sentTo(ALICE)).toEqual([GREET, ASK]);

    // A minute later: one line again, saying how many it left out.
    now += 60_000;
    sock.upsert([undecryptableMessage(ALICE, 'BAD-LATER', 'No session record')]);
    expect(decryptLogs()).toHaveLength(3);
    expect(decryptLogs()[2]).toMatchObject({
      level: 'warn',
      message: `a message from ${ALICE} could not be decrypted (No session record); WhatsApp is asked to have it sent again (149 more failures from them were not logged)`,
    });
    expect(h.sockets.sockets).toHaveLength(1);
  });
});

describe('the first message and the offline backlog', () => {
  it("the customer's first message is in the transcript, before the bot's greeting", async () => {
    await connected();
    h.sockets.last().upsert([textMessage(ALICE, 'hi there', { pushName: 'Alice' })]);
    await h.service.idle();
    expect((await h.service.transcript(ALICE)).map((e) => `${e.role}:${e.text}`)).toEqual(['customer:hi there', `bot:${GREET}`, `bot:${ASK}`]);
  });

  it('messages sent while the bot was offline are answered in order when it connects, each once, across a restart', async () => {
    const backlog = [
      textMessage(ALICE, 'hi', { id: 'OFF1' }),
      textMessage(BEN, 'hello', { id: 'OFF2' }),
      textMessage(ALICE, 'A100', { id: 'OFF3' }),
      textMessage(BEN, 'A102', { id: 'OFF4' }),
    ];
    // The bot went down right after persisting Alice's two messages (before handling them).
    h.store.recordInbound(BOT, { messageKey: `${ALICE}||OFF1`, jid: ALICE, kind: 'text', text: 'hi', receivedAt: now });
    h.store.recordInbound(BOT, { messageKey: `${ALICE}||OFF3`, jid: ALICE, kind: 'text', text: 'A100', receivedAt: now });
    await h.close();

    h = await open();
    await connected();
    // WhatsApp delivers the whole offline backlog (nothing was acknowledged): Baileys upserts it as 'append'.
    h.sockets.last().upsert(backlog, 'append');
    await h.service.idle();
    const answered = {
      [ALICE]: [GREET, ASK, orderReply('A100', 'shipped'), BYE],
      [BEN]: [GREET, ASK, orderReply('A102', 'delivered'), BYE],
    };
    expect(h.sentTo(ALICE)).toEqual(answered[ALICE]);
    expect(h.sentTo(BEN)).toEqual(answered[BEN]);
    expect((await h.service.transcript(BEN)).map((e) => `${e.role}:${e.text}`).slice(0, 4)).toEqual(['customer:hello', `bot:${GREET}`, `bot:${ASK}`, 'customer:A102']);

    // Another restart, and the same backlog once more: nothing is answered twice.
    await h.close();
    h = await open();
    await connected();
    h.sockets.last().upsert(backlog, 'append');
    await h.service.idle();
    expect(h.sentTo(ALICE)).toEqual([]);
    expect(h.sentTo(BEN)).toEqual([]);
    expect(h.store.unhandled(BOT)).toEqual([]);
  });

  it("our own phone's messages in an 'append' are not answered", async () => {
    await connected();
    h.sockets.last().upsert([textMessage(ALICE, 'sent from the shop phone', { fromMe: true })], 'append');
    await h.service.idle();
    expect(h.sentTo(ALICE)).toEqual([]);
    // The owner wrote to Alice themselves: no conversation, and the bot steps back there (whatsapp-owner.test.ts).
    expect(h.store.customers(BOT, 10)).toMatchObject([{ jid: ALICE, takenOver: true }]);
    expect(h.store.customers(BOT, 10)[0]?.conversationId).toBeUndefined();
  });
});
