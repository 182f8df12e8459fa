// The WhatsApp channel and service end to end with the scripted socket (Baileys' real event
// shapes), the real keychain (gnome-keyring), SQLite and the example CRM over MCP.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DisconnectReason, type KeyPair } from 'baileys';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeytarSecrets } from '../../src-main/adapters/secrets/keytar-secrets';
import { authKeyAccount, openEncryptedAuthState } from '../../src-main/adapters/whatsapp/encrypted-auth-state';
import { en } from '../../src-main/shared/customer-texts/en';
import { imageMessage, textMessage } from '../fixtures/scripted-wa-socket';
import { filesUnder, findLeaks, requireTestKeyring } from '../support/keychain';
import { ASK, BOT, BYE, GREET, openHarness, orderReply, waitFor, type Harness } from '../support/whatsapp-harness';

requireTestKeyring();

const secrets = createKeytarSecrets();
const ALICE = '31611111111@s.whatsapp.net';
const BEN = '44201111111@s.whatsapp.net';
let dir: string;
let h: Harness;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowbot-wa-'));
  h = await openHarness(join(dir, 'data'), secrets, dir);
});
afterEach(async () => {
  await h.close();
  await secrets.delete(authKeyAccount(BOT));
  rmSync(dir, { recursive: true, force: true });
});

const status = () => h.service.status();
async function connected(): Promise<void> {
  await h.service.start();
  h.sockets.last().open();
  await waitFor('open', () => status() === 'open');
}

describe('pairing', () => {
  it('shows the QR, persists the creds encrypted, reconnects on 515 and opens', async () => {
    await h.service.start();
    const first = h.sockets.last();
    first.qr('2@scripted-qr-ref,abc,def');
    await waitFor('a qr event', () => h.events.some((e) => e.type === 'qr'));
    const qr = h.events.find((e) => e.type === 'qr');
    expect(qr).toMatchObject({ qr: '2@scripted-qr-ref,abc,def' });
    expect(qr && 'dataUrl' in qr ? qr.dataUrl : '').toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]{100,}/);
    expect(status()).toBe('pairing');

    expect(await h.service.requestPairingCode('+31 6 1234 5678')).toBe('ABCD1234');
    expect(first.pairingRequests).toEqual(['31612345678']);
    expect(h.events).toContainEqual({ type: 'pairing_code', code: 'ABCD1234' });

    first.emit('creds.update', { me: { id: '31612345678:4@s.whatsapp.net', name: 'Shop' }, registered: true });
    first.close(DisconnectReason.restartRequired, 'Stream Errored (restart required)');
    await waitFor('a second socket', () => h.sockets.sockets.length === 2);
    expect(first.ended).toBe(true);
    const second = h.sockets.last();
    expect(second.auth.creds.me?.id).toBe('31612345678:4@s.whatsapp.net');
    second.open();
    await waitFor('open', () => status() === 'open');
    expect(h.events.filter((e) => e.type === 'status').map((e) => e.type === 'status' && e.status)).toEqual(['connecting', 'pairing', 'connecting', 'open']);

    // The creds survive in the data dir: a fresh load (a restarted app) reads them back.
    const reloaded = await openEncryptedAuthState({ bot: BOT, store: h.store, secrets });
    expect(reloaded.state.creds.me?.id).toBe('31612345678:4@s.whatsapp.net');
    expect(Buffer.from(reloaded.state.creds.noiseKey.private).equals(Buffer.from(second.auth.creds.noiseKey.private))).toBe(true);
  });

  it('keeps no plaintext key material in the data dir', async () => {
    await connected();
    const sock = h.sockets.last();
    const creds = sock.auth.creds;
    const preKey: KeyPair = { public: Buffer.alloc(32, 7), private: Buffer.from('a-pre-key-private-part-32-bytes!') };
    await sock.auth.keys.set({ 'pre-key': { '1': preKey }, session: { '31622222222.0': Buffer.from('session-record-bytes-secret') } });
    sock.emit('creds.update', { registered: true });
    expect((await sock.auth.keys.get('pre-key', ['1']))['1']?.private).toEqual(preKey.private);
    await h.close();
    const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
    const secretsToFind = [
      b64(creds.noiseKey.private), b64(creds.signedIdentityKey.private), b64(creds.signedPreKey.keyPair.private),
      creds.advSecretKey, b64(preKey.private), 'a-pre-key-private-part-32-bytes!', 'session-record-bytes-secret',
    ];
    const files = filesUnder(h.dataDir);
    expect(files.some((f) => f.path.endsWith('flowbot.db'))).toBe(true);
    expect(findLeaks(secretsToFind, { files })).toEqual([]);
    expect(await secrets.get(authKeyAccount(BOT))).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    h = await openHarness(h.dataDir, secrets, dir); // afterEach closes this one
  });
});

describe('routing', () => {
  it('runs two customers concurrently, each in order, through the flow and the CRM', async () => {
    await connected();
    const sock = h.sockets.last();
    sock.upsert([textMessage(ALICE, 'hi', { pushName: 'Alice' }), textMessage(BEN, 'hello')]);
    sock.upsert([textMessage(ALICE, 'A100'), textMessage(BEN, 'A102')]);
    sock.upsert([textMessage(ALICE, 'hi again')]);
    sock.upsert([textMessage(ALICE, 'A101')]);
    await h.service.idle();
    expect(h.sentTo(ALICE)).toEqual([GREET, ASK, orderReply('A100', 'shipped'), BYE, GREET, ASK, orderReply('A101', 'processing'), BYE]);
    expect(h.sentTo(BEN)).toEqual([GREET, ASK, orderReply('A102', 'delivered'), BYE]);
    expect(sock.presences.filter((p) => p.jid === BEN).map((p) => p.type)).toEqual(['composing', 'paused', 'composing', 'paused']);
    expect((await h.service.customers()).map((c) => c.jid).sort()).toEqual([ALICE, BEN].sort());
    expect((await h.service.transcript(BEN)).map((e) => `${e.role}:${e.text}`)).toEqual(['customer:hello', `bot:${GREET}`, `bot:${ASK}`, 'customer:A102', `bot:${orderReply('A102', 'delivered')}`, `bot:${BYE}`]);
  });

  it('processes a replayed event once (after a reconnect too)', async () => {
    await connected();
    const hi = textMessage(ALICE, 'hi');
    const order = textMessage(ALICE, 'A100');
    h.sockets.last().upsert([hi, order]);
    h.sockets.last().upsert([hi]);
    await h.service.idle();
    h.sockets.last().close(DisconnectReason.connectionLost, 'Connection Lost');
    await waitFor('a new socket', () => h.sockets.sockets.length === 2);
    h.sockets.last().open();
    await waitFor('open', () => status() === 'open');
    h.sockets.last().upsert([hi, order]);
    await h.service.idle();
    expect(h.sentTo(ALICE)).toEqual([GREET, ASK, orderReply('A100', 'shipped'), BYE]);
    expect(h.store.unhandled(BOT)).toEqual([]);
  });

  it('ignores own, group and status messages unless groups are enabled; answers non-text politely', async () => {
    await connected();
    const sock = h.sockets.last();
    const group = '120363000000000001@g.us';
    sock.upsert([
      textMessage(ALICE, 'sent from my phone', { fromMe: true }),
      textMessage(group, 'hi all', { participant: BEN }),
      textMessage('status@broadcast', 'my status', { participant: BEN }),
      imageMessage(BEN),
    ]);
    await h.service.idle();
    expect(h.sockets.sockets.flatMap((s) => s.sent)).toEqual([{ jid: BEN, text: en.textOnly }]);
    expect(h.events.filter((e) => e.type === 'ignored').map((e) => e.type === 'ignored' && e.reason)).toEqual(['own', 'group', 'status']);

    h.settings.update(BOT, { groupsEnabled: true });
    sock.upsert([textMessage(group, 'hi bot', { participant: BEN })]);
    await h.service.idle();
    expect(h.sentTo(group)).toEqual([GREET, ASK]);
  });

  it('stays silent in a conversation a human took over, until released', async () => {
    await connected();
    const sock = h.sockets.last();
    sock.upsert([textMessage(ALICE, 'hi')]);
    await h.service.idle();
    await h.service.takeOver(ALICE);
    sock.upsert([textMessage(ALICE, 'I want a person')]);
    await h.service.idle();
    expect(h.sentTo(ALICE)).toEqual([GREET, ASK]);
    expect((await h.service.transcript(ALICE)).at(-1)).toMatchObject({ role: 'customer', text: 'I want a person' });
    await h.service.release(ALICE);
    sock.upsert([textMessage(ALICE, 'A100')]);
    await h.service.idle();
    expect(h.sentTo(ALICE)).toEqual([GREET, ASK, orderReply('A100', 'shipped'), BYE]);
  });
});

describe('the write guard on WhatsApp', () => {
  it('a "yes" after messages the bot did not answer (taken over) does not confirm the earlier question', async () => {
    h.settings.update(BOT, { flowId: 'support-ticket' });
    await connected();
    const sock = h.sockets.last();
    for (const text of ['hi', 'c1', 'My lamp flickers', 'high']) {
      sock.upsert([textMessage(ALICE, text)]);
      await h.service.idle();
    }
    expect(h.sentTo(ALICE).at(-1)).toContain('Shall I open this support ticket for you?');
    await h.service.takeOver(ALICE);
    sock.upsert([textMessage(ALICE, 'actually, make it about my invoice')]);
    await h.service.idle();
    await h.service.release(ALICE);
    sock.upsert([textMessage(ALICE, 'yes')]);
    await h.service.idle();
    // The question was closed by the message in between: nothing is created, and the "yes" opens a new conversation.
    const crm = JSON.parse(readFileSync(join(dir, 'crm', 'crm.json'), 'utf8')) as { tickets: unknown[] };
    expect(crm.tickets).toEqual([]);
    expect(h.sentTo(ALICE).at(-1)).toBe('Hi! What is your customer number? (for example c1)');
    const audit = await h.workspace.store.listAudit();
    expect(audit.filter((r) => r.tool === 'create_ticket' && r.status === 'executed')).toEqual([]);
  });
});

describe('failures: the customer hears only the polite text, the owner reads why', () => {
  it('an AI step without a model: the customer gets the polite text, the owner\'s log the cause', async () => {
    h.settings.update(BOT, { flowId: 'faq' });
    await connected();
    const sock = h.sockets.last();
    sock.upsert([textMessage(ALICE, 'hi')]);
    await h.service.idle();
    sock.upsert([textMessage(ALICE, 'When are you open?')]);
    await h.service.idle();
    expect(h.sentTo(ALICE)).toEqual(['Hi! What would you like to know about our shop?', en.failure]);
    expect(h.logs).toContainEqual(expect.stringMatching(new RegExp(`^the conversation with ${ALICE} failed: the AI step ".+" failed: .*language model`)));
  });

  it('the flow chosen to answer is gone: a polite answer, the cause in the log', async () => {
    h.settings.update(BOT, { flowId: 'no-such-flow' });
    await connected();
    h.sockets.last().upsert([textMessage(ALICE, 'hi')]);
    await h.service.idle();
    expect(h.sentTo(ALICE)).toEqual([en.failure]);
    expect(h.logs).toContainEqual(expect.stringContaining(`conversation of ${ALICE} failed: `));
  });
});

describe('reliability', () => {
  it('two quick starts make one socket; a stop while starting leaves none', async () => {
    const stopping = h.service.start();
    await h.service.stop();
    await stopping;
    expect(h.sockets.sockets).toHaveLength(0);
    expect(status()).toBe('stopped');
    await Promise.all([h.service.start(), h.service.start()]);
    expect(h.sockets.sockets).toHaveLength(1);
  });

  it('handles on restart a message a crash left unhandled', async () => {
    await connected();
    h.sockets.last().upsert([textMessage(ALICE, 'hi')]);
    await h.service.idle();
    // The message is persisted, then the process dies before handling it.
    h.store.recordInbound(BOT, { messageKey: `${ALICE}||CRASHED1`, jid: ALICE, kind: 'text', text: 'A103', receivedAt: Date.now() });
    await h.close();
    h = await openHarness(h.dataDir, secrets, dir);
    await connected();
    await h.service.idle();
    expect(h.sentTo(ALICE)).toEqual([orderReply('A103', 'cancelled'), BYE]);
    expect(h.store.inbound(BOT, `${ALICE}||CRASHED1`)).toMatchObject({ outcome: 'answered' });
  });

  it('queues replies while disconnected and delivers them in order after the reconnect', async () => {
    await connected();
    const first = h.sockets.last();
    first.failSends = true;
    first.upsert([textMessage(ALICE, 'hi'), textMessage(ALICE, 'A100')]);
    await h.service.idle();
    expect(first.sent).toEqual([]);
    first.close(DisconnectReason.connectionClosed, 'Connection Closed');
    await waitFor('reconnecting', () => h.sockets.sockets.length === 2);
    expect(status()).toBe('connecting');
    expect(h.store.pending(BOT, 10).map((r) => r.text)).toEqual([GREET, ASK, orderReply('A100', 'shipped'), BYE]);
    h.sockets.last().open();
    await waitFor('open', () => status() === 'open');
    await h.service.idle();
    expect(h.sockets.last().sent.map((m) => m.text)).toEqual([GREET, ASK, orderReply('A100', 'shipped'), BYE]);
    expect(h.store.pending(BOT, 10)).toEqual([]);
  });

  it('clears the auth state on 401 and asks to pair again', async () => {
    await connected();
    h.sockets.last().emit('creds.update', { me: { id: '31612345678:4@s.whatsapp.net' }, registered: true });
    const oldNoise = Buffer.from(h.sockets.last().auth.creds.noiseKey.private);
    h.sockets.last().close(DisconnectReason.loggedOut, 'Connection Failure');
    await waitFor('logged out', () => status() === 'logged_out');
    expect(h.store.authCount(BOT)).toBe(0);
    expect(await secrets.get(authKeyAccount(BOT))).toBeUndefined();
    expect(h.sockets.sockets.length).toBe(1);
    await h.service.start();
    expect(h.sockets.sockets.length).toBe(2);
    expect(h.sockets.last().auth.creds.me).toBeUndefined();
    expect(Buffer.from(h.sockets.last().auth.creds.noiseKey.private).equals(oldNoise)).toBe(false);
  });

  it('stops on 440 (replaced) and tells the owner', async () => {
    await connected();
    h.sockets.last().close(DisconnectReason.connectionReplaced, 'Stream Errored (conflict)');
    await waitFor('replaced', () => status() === 'replaced');
    const last = h.events.filter((e) => e.type === 'status').at(-1);
    expect(last).toMatchObject({ status: 'replaced', detail: expect.stringContaining('Another WhatsApp Web session') });
    await new Promise((r) => setTimeout(r, 100)); // longer than any backoff here: nothing reconnects
    expect(h.sockets.sockets.length).toBe(1);
    expect(status()).toBe('replaced');
  });
});
