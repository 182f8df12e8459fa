// The owner in the loop through the dispatcher (what the web host and Electron call): a customer
// waiting for a human is announced on the event hub (`whatsapp.handoff`, the desktop
// notification) and listed first; the owner's settings and the bot's opening hours are checked with clear errors.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeytarSecrets } from '../../src-main/adapters/secrets/keytar-secrets';
import { authKeyAccount } from '../../src-main/adapters/whatsapp/encrypted-auth-state';
import { DEFAULT_STUDIO_BOT } from '../../src-main/app/studio-service';
import { ownerNotification } from '../../src-main/shared/owner-whatsapp-texts';
import { scriptedSockets, textMessage } from '../fixtures/scripted-wa-socket';
import { requireTestKeyring } from '../support/keychain';
import { crmServer } from '../support/crm-workspace';
import { openTestStudio, reviewedTools, type TestStudio } from '../support/studio-api';
import { waitFor } from '../support/whatsapp-harness';

requireTestKeyring();

const secrets = createKeytarSecrets();
const ALICE = '31611111111@s.whatsapp.net';
const BEN = '44201111111@s.whatsapp.net';
let t: TestStudio;
let sockets: ReturnType<typeof scriptedSockets>;

beforeEach(async () => {
  sockets = scriptedSockets();
  t = openTestStudio({ whatsappSocketFactory: sockets.factory, whatsappBackoff: { baseMs: 5, maxMs: 20, random: () => 0.5 } });
  await t.ok('settings.save', { config: { mcpServers: { crm: crmServer(t.root, { get_order_status: 'read' }) } } });
  const { command } = (await t.ok('mcp.catalog')).servers[0];
  await t.ok('mcp.approveServer', { server: 'crm', command });
  await t.ok('mcp.approveTools', await reviewedTools(t.ok, 'crm', ['get_order_status']));
  await t.ok('flows.create', { name: 'Order status', templateId: 'order-status' });
});
afterEach(async () => {
  await t.close();
  await secrets.delete(authKeyAccount(DEFAULT_STUDIO_BOT));
});

const sentTo = (jid: string) => sockets.sockets.flatMap((s) => s.sent.filter((m) => m.jid === jid).map((m) => m.text));
const handoffs = () => t.events.flatMap((e) => (e.event === 'whatsapp.handoff' ? [e.payload] : []));

describe('the owner in the loop through the dispatcher', () => {
  it('a customer who waits for a human is announced and listed first', async () => {
    await t.ok('whatsapp.setFlow', { flowId: 'order-status' });
    await t.ok('whatsapp.connect');
    sockets.last().open();
    await waitFor('open', () => t.events.some((e) => e.event === 'whatsapp.status' && e.payload.state === 'open'));
    sockets.last().upsert([textMessage(BEN, 'hi', { pushName: 'Ben' })]);
    await waitFor('Ben greeted', () => sentTo(BEN).length === 2);
    await t.ok('whatsapp.takeOver', { jid: BEN });
    sockets.last().upsert([textMessage(BEN, 'Can a person help me?')]);
    await waitFor('the hand-off notice', () => handoffs().length === 1);
    expect(handoffs()[0]).toMatchObject({
      bot: DEFAULT_STUDIO_BOT,
      jid: BEN,
      name: 'Ben',
      reason: 'waiting',
      text: 'Can a person help me?',
      message: ownerNotification('en', 'waiting', { name: 'Ben', message: 'Can a person help me?' }),
    });

    // Alice writes later (the most recent), yet Ben, who waits, is listed first.
    sockets.last().upsert([textMessage(ALICE, 'hi')]);
    await waitFor('Alice greeted', () => sentTo(ALICE).length === 2);
    const { conversations } = await t.ok('whatsapp.conversations', {});
    expect(conversations.map((c: { jid: string; waitingSince?: number }) => [c.jid, c.waitingSince !== undefined])).toEqual([
      [BEN, true],
      [ALICE, false],
    ]);

    // Released: nobody waits any more.
    await t.ok('whatsapp.release', { jid: BEN });
    const after = await t.ok('whatsapp.conversations', {});
    expect(after.conversations.find((c: { jid: string }) => c.jid === BEN)?.takenOver).toBe(false);
    expect(after.conversations.every((c: { waitingSince?: number }) => c.waitingSince === undefined)).toBe(true);
  });

  it('keeps the takeover time and the owner’s number, and says what is wrong with them', async () => {
    const saved = await t.ok('whatsapp.setOwnerLoop', { ownerTakeoverMinutes: 45, notifyOwnerNumber: '+31 6 9999 9999' });
    expect(saved).toMatchObject({ ownerTakeoverMinutes: 45, notifyOwnerNumber: '+31 6 9999 9999' });
    expect(await t.ok('whatsapp.status')).toMatchObject({ ownerTakeoverMinutes: 45, notifyOwnerNumber: '+31 6 9999 9999' });
    const zero = await t.call('whatsapp.setOwnerLoop', { ownerTakeoverMinutes: 0, notifyOwnerNumber: null });
    expect(zero.error).toMatchObject({ code: 'INVALID_INPUT' });
    expect(zero.error?.message).toContain('input.ownerTakeoverMinutes: must be at least 1');
    const letters = await t.call('whatsapp.setOwnerLoop', { ownerTakeoverMinutes: 30, notifyOwnerNumber: 'my phone' });
    expect(letters.error?.message).toContain('a phone number is digits with the country code');
    const cleared = await t.ok('whatsapp.setOwnerLoop', { ownerTakeoverMinutes: 30, notifyOwnerNumber: null });
    expect(cleared.notifyOwnerNumber).toBeUndefined();
  });

  it('opening hours are saved with the bot’s settings; a wrong schedule is refused saying where', async () => {
    const { config } = await t.ok('settings.get');
    const overlapping = { timeZone: 'Europe/Lisbon', weekly: { tue: [{ from: '09:00', to: '13:00' }, { from: '12:00', to: '18:00' }] } };
    const refused = await t.call('settings.save', { config: { ...config, openingHours: overlapping } });
    expect(refused.error?.code).toBe('INVALID_INPUT');
    expect(refused.error?.message).toContain('openingHours.weekly.tue[1]');
    expect(refused.error?.message).toContain('the range 12:00–18:00 overlaps 09:00–13:00');
    const badZone = await t.call('settings.save', { config: { ...config, openingHours: { timeZone: 'Mars/Olympus', weekly: {} } } });
    expect(badZone.error?.message).toContain('"Mars/Olympus" is not a time zone');
    const hours = { timeZone: 'Europe/Lisbon', weekly: { tue: [{ from: '09:00', to: '13:00' }] }, closed: ['2026-12-25'], awayMessage: 'on' as const };
    await t.ok('settings.save', { config: { ...config, openingHours: hours } });
    expect((await t.ok('settings.get')).config.openingHours).toEqual(hours);
  });
});
