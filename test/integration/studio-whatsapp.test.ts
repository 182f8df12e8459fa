// The WhatsApp screen's API through the dispatcher (what the web host and Electron call), on a
// studio built as the app builds it: the active bot's workspace in "ask" mode with the example
// CRM over stdio (approved through the API), SQLite, the real keychain (gnome-keyring), and the
// scripted socket emitting Baileys' real event shapes in place of WhatsApp.
import { DisconnectReason } from 'baileys';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeytarSecrets } from '../../src-main/adapters/secrets/keytar-secrets';
import { authKeyAccount } from '../../src-main/adapters/whatsapp/encrypted-auth-state';
import { DEFAULT_STUDIO_BOT } from '../../src-main/app/studio-service';
import { scriptedSockets, textMessage } from '../fixtures/scripted-wa-socket';
import { requireTestKeyring } from '../support/keychain';
import { crmServer } from '../support/crm-workspace';
import { openTestStudio, reviewedTools, type TestStudio } from '../support/studio-api';
import { ASK, BYE, GREET, orderReply, waitFor } from '../support/whatsapp-harness';

requireTestKeyring();

const secrets = createKeytarSecrets();
const ALICE = '31611111111@s.whatsapp.net';
const BEN = '44201111111@s.whatsapp.net';
let t: TestStudio;
let sockets: ReturnType<typeof scriptedSockets>;
/** The next socket cannot be made (as when the network is down): the factory throws this. */
let failNextSocket: Error | undefined;

beforeEach(async () => {
  sockets = scriptedSockets();
  failNextSocket = undefined;
  const factory: typeof sockets.factory = (auth, options) => {
    const failure = failNextSocket;
    failNextSocket = undefined;
    if (failure) throw failure;
    return sockets.factory(auth, options);
  };
  t = openTestStudio({ whatsappSocketFactory: factory, whatsappBackoff: { baseMs: 5, maxMs: 20, random: () => 0.5 } });
  await t.ok('settings.save', { config: { mcpServers: { crm: crmServer(t.root, { get_order_status: 'read' }) } } });
  const { command } = (await t.ok('mcp.catalog')).servers[0];
  await t.ok('mcp.approveServer', { server: 'crm', command });
  await t.ok('mcp.approveTools', await reviewedTools(t.ok, 'crm', ['get_order_status']));
  expect((await t.ok('flows.create', { name: 'Order status', templateId: 'order-status' })).id).toBe('order-status');
});
afterEach(async () => {
  await t.close();
  await secrets.delete(authKeyAccount(DEFAULT_STUDIO_BOT));
});

const statusEvents = () => t.events.flatMap((e) => (e.event === 'whatsapp.status' ? [e.payload] : []));
const sentTo = (jid: string) => sockets.sockets.flatMap((s) => s.sent.filter((m) => m.jid === jid).map((m) => m.text));

async function connectAndOpen(): Promise<void> {
  await t.ok('whatsapp.connect');
  sockets.last().open();
  await waitFor('open', () => statusEvents().at(-1)?.state === 'open');
}

describe('whatsapp.* through the dispatcher', () => {
  it('is stopped until the owner connects; then QR, pairing code, 515 restart, open', async () => {
    expect(await t.ok('whatsapp.status')).toEqual({ bot: DEFAULT_STUDIO_BOT, state: 'stopped', linked: false, paused: false, groupsEnabled: false, ownerTakeoverMinutes: 30 });
    expect(sockets.sockets).toHaveLength(0);

    expect((await t.ok('whatsapp.connect')).state).toBe('connecting');
    expect(sockets.sockets).toHaveLength(1);
    const first = sockets.last();
    first.qr('2@scripted-qr,abc');
    await waitFor('pairing', () => statusEvents().some((s) => s.state === 'pairing'));
    const pairing = await t.ok('whatsapp.status');
    expect(pairing.state).toBe('pairing');
    expect(pairing.qrDataUrl).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]{100,}/);
    expect(statusEvents().find((s) => s.state === 'pairing')?.qrDataUrl).toBe(pairing.qrDataUrl);

    // Connect again while pairing: no second socket; with a phone number, a pairing code.
    const withCode = await t.ok('whatsapp.connect', { phoneNumber: '+31 6 1234 5678' });
    expect(sockets.sockets).toHaveLength(1);
    expect(first.pairingRequests).toEqual(['31612345678']);
    expect(withCode.pairingCode).toBe('ABCD1234');

    first.emit('creds.update', { me: { id: '31612345678:4@s.whatsapp.net', name: 'Shop' }, registered: true });
    first.close(DisconnectReason.restartRequired, 'restart required');
    await waitFor('a second socket', () => sockets.sockets.length === 2);
    sockets.last().open();
    await waitFor('open', () => statusEvents().at(-1)?.state === 'open');
    const open = await t.ok('whatsapp.status');
    expect(open).toMatchObject({ state: 'open', linked: true });
    expect(open.qrDataUrl).toBeUndefined();
    expect(open.pairingCode).toBeUndefined();
    expect((await t.call('whatsapp.connect', { phoneNumber: '31612345678' })).error?.code).toBe('CONFLICT');
  });

  it('answers customers with the chosen flow; conversations show the transcripts', async () => {
    // No flow chosen: the message is kept, nothing is answered.
    await connectAndOpen();
    sockets.last().upsert([textMessage(ALICE, 'hi', { pushName: 'Alice' })]);
    await waitFor('activity', () => t.events.some((e) => e.event === 'whatsapp.activity'));
    expect(sentTo(ALICE)).toEqual([]);

    expect((await t.ok('whatsapp.setFlow', { flowId: 'order-status' })).flowId).toBe('order-status');
    sockets.last().upsert([textMessage(ALICE, 'hello again', { pushName: 'Alice' }), textMessage(BEN, 'hi')]);
    await waitFor('both greeted', () => sentTo(ALICE).length === 2 && sentTo(BEN).length === 2);
    sockets.last().upsert([textMessage(ALICE, 'A100')]);
    await waitFor('Alice answered', () => sentTo(ALICE).length === 4);
    expect(sentTo(ALICE)).toEqual([GREET, ASK, orderReply('A100', 'shipped'), BYE]);

    const { conversations } = await t.ok('whatsapp.conversations', {});
    expect(conversations.map((c: { jid: string }) => c.jid).sort()).toEqual([ALICE, BEN].sort());
    const alice = conversations.find((c: { jid: string }) => c.jid === ALICE);
    expect(alice).toMatchObject({ name: 'Alice', phone: '31611111111', flowId: 'order-status', takenOver: false });
    expect(alice.transcript.map((e: { role: string; text: string }) => `${e.role}: ${e.text}`)).toEqual([
      'customer: hello again',
      `bot: ${GREET}`,
      `bot: ${ASK}`,
      'customer: A100',
      `bot: ${orderReply('A100', 'shipped')}`,
      `bot: ${BYE}`,
    ]);
  });

  it('pause: messages are read, not answered; unpaused they are answered again', async () => {
    await t.ok('whatsapp.setFlow', { flowId: 'order-status' });
    expect((await t.ok('whatsapp.setPaused', { paused: true })).paused).toBe(true);
    expect(statusEvents().at(-1)?.paused).toBe(true);
    await connectAndOpen();
    sockets.last().upsert([textMessage(ALICE, 'hi')]);
    await waitFor('activity', () => t.events.some((e) => e.event === 'whatsapp.activity'));
    expect(sentTo(ALICE)).toEqual([]);
    expect((await t.ok('whatsapp.setPaused', { paused: false })).paused).toBe(false);
    sockets.last().upsert([textMessage(ALICE, 'hi again')]);
    await waitFor('greeted', () => sentTo(ALICE).length === 2);
    expect(sentTo(ALICE)).toEqual([GREET, ASK]);
  });

  it('take over: the bot stays silent and the message is in the transcript; release: it answers again', async () => {
    await t.ok('whatsapp.setFlow', { flowId: 'order-status' });
    await connectAndOpen();
    sockets.last().upsert([textMessage(ALICE, 'hi')]);
    await waitFor('greeted', () => sentTo(ALICE).length === 2);

    expect((await t.ok('whatsapp.takeOver', { jid: ALICE })).takenOver).toBe(true);
    const handled = t.events.filter((e) => e.event === 'whatsapp.activity').length;
    sockets.last().upsert([textMessage(ALICE, 'I want a person')]);
    await waitFor('handled', () => t.events.filter((e) => e.event === 'whatsapp.activity').length > handled);
    expect(sentTo(ALICE)).toEqual([GREET, ASK]);
    const taken = (await t.ok('whatsapp.conversations', {})).conversations[0];
    expect(taken.takenOver).toBe(true);
    expect(taken.transcript.at(-1)).toMatchObject({ role: 'customer', text: 'I want a person' });

    expect((await t.ok('whatsapp.release', { jid: ALICE })).takenOver).toBe(false);
    sockets.last().upsert([textMessage(ALICE, 'A100')]);
    await waitFor('answered', () => sentTo(ALICE).length === 4);
    expect(sentTo(ALICE)).toEqual([GREET, ASK, orderReply('A100', 'shipped'), BYE]);
  });

  it('401 logs out (session deleted); 440 says replaced; logout and disconnect', async () => {
    await connectAndOpen();
    sockets.last().emit('creds.update', { registered: true });
    sockets.last().close(DisconnectReason.loggedOut, 'logged out');
    await waitFor('logged out', () => statusEvents().at(-1)?.state === 'logged_out');
    expect(await t.ok('whatsapp.status')).toMatchObject({ state: 'logged_out', linked: false });
    expect(await secrets.get(authKeyAccount(DEFAULT_STUDIO_BOT))).toBeUndefined();

    // Connect again builds afresh: a new socket, pairing anew.
    await connectAndOpen();
    expect(sockets.sockets).toHaveLength(2);
    sockets.last().close(DisconnectReason.connectionReplaced, 'replaced');
    await waitFor('replaced', () => statusEvents().at(-1)?.state === 'replaced');
    expect((await t.ok('whatsapp.status')).detail).toMatch(/Another WhatsApp Web session/);

    await connectAndOpen();
    expect((await t.ok('whatsapp.disconnect')).state).toBe('stopped');
    expect(sockets.last().ended).toBe(true);
    await connectAndOpen();
    const out = await t.ok('whatsapp.logout');
    expect(out).toMatchObject({ state: 'logged_out', linked: false });
    expect(sockets.last().loggedOut).toBe(true);
  });

  it('a connection that cannot be made leaves Connecting, says why; Connect again tries anew', async () => {
    failNextSocket = new Error('getaddrinfo ENOTFOUND web.whatsapp.com');
    const out = await t.ok('whatsapp.connect');
    expect(out).toMatchObject({ state: 'failed', detail: expect.stringMatching(/^WhatsApp could not be reached .*press Connect again\.$/) });
    expect(statusEvents().at(-1)).toMatchObject({ state: 'failed' });
    expect(await t.ok('whatsapp.status')).toMatchObject({ state: 'failed' });
    await connectAndOpen();
    expect(sockets.sockets).toHaveLength(1);
  });

  it('restarts on a settings change (the new workspace) and stops when another bot becomes active', async () => {
    await connectAndOpen();
    const first = sockets.last();
    await t.ok('settings.save', { config: { mcpServers: { crm: crmServer(t.root, { get_order_status: 'read', search_customers: 'read' }) } } });
    await waitFor('a new socket', () => sockets.sockets.length === 2);
    expect(first.ended).toBe(true);
    sockets.last().open();
    await waitFor('open again', () => statusEvents().at(-1)?.state === 'open');

    await t.ok('bots.create', { name: 'Second shop', select: true });
    await waitFor('stopped', () => sockets.last().ended);
    expect((await t.ok('whatsapp.status')).bot).not.toBe(DEFAULT_STUDIO_BOT);
    expect((await t.ok('whatsapp.status')).state).toBe('stopped');
  });

  it('refuses bad payloads with INVALID_INPUT and unknown things with NOT_FOUND', async () => {
    const bad: [string, unknown][] = [
      ['whatsapp.status', { extra: 1 }],
      ['whatsapp.connect', { phoneNumber: 'call me' }],
      ['whatsapp.connect', { phoneNumber: '12' }],
      ['whatsapp.setFlow', { flowId: 'Not An Id' }],
      ['whatsapp.setFlow', {}],
      ['whatsapp.setPaused', { paused: 'yes' }],
      ['whatsapp.conversations', { limit: 0 }],
      ['whatsapp.takeOver', { jid: 'not a jid' }],
      ['whatsapp.release', {}],
    ];
    for (const [method, input] of bad) {
      const result = await t.call(method, input);
      expect(result.ok, `${method} ${JSON.stringify(input)}`).toBe(false);
      expect(result.error?.code, `${method} ${JSON.stringify(input)}`).toBe('INVALID_INPUT');
    }
    expect((await t.call('whatsapp.setFlow', { flowId: 'no-such-flow' })).error?.code).toBe('NOT_FOUND');
    expect((await t.call('whatsapp.takeOver', { jid: ALICE })).error?.code).toBe('NOT_FOUND');
    // Nothing changed, nothing connected.
    expect(await t.ok('whatsapp.status')).toMatchObject({ state: 'stopped', paused: false });
    expect(sockets.sockets).toHaveLength(0);
  });
});
