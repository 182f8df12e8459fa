// The owner in the loop and opening hours, end to end with the scripted socket (Baileys' real
// shapes, the bot's own sends echoed back as fromMe like Baileys does), the real keychain,
// SQLite and the example CRM: the owner's phone takes a chat over and the bot comes back after
// the time (an injected clock); a hand-off notifies (the event, and a WhatsApp message to the
// owner's number); the away text outside opening hours across a daylight-saving change.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeytarSecrets } from '../../src-main/adapters/secrets/keytar-secrets';
import { authKeyAccount } from '../../src-main/adapters/whatsapp/encrypted-auth-state';
import type { HandoffNotice } from '../../src-main/app/whatsapp-service';
import { en } from '../../src-main/shared/customer-texts/en';
import { ownerNotification } from '../../src-main/shared/owner-whatsapp-texts';
import type { WorkspaceConfig } from '../../src-main/shared/workspace-config';
import { textMessage } from '../fixtures/scripted-wa-socket';
import { requireTestKeyring } from '../support/keychain';
import { ASK, BOT, GREET, openHarness, orderReply, BYE, waitFor, type Harness, type HarnessOptions } from '../support/whatsapp-harness';
import { edge, flow, n } from '../unit/flow-builders';

requireTestKeyring();

const secrets = createKeytarSecrets();
const ALICE = '31611111111@s.whatsapp.net';
const OWNER = '31699999999@s.whatsapp.net';
let dir: string;
let h: Harness | undefined;
let now = 0;
const clock = { now: () => now };
const notices: HandoffNotice[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowbot-wa-owner-'));
  notices.length = 0;
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  await secrets.delete(authKeyAccount(BOT));
  rmSync(dir, { recursive: true, force: true });
});

async function connected(options: HarnessOptions = {}): Promise<Harness> {
  h = await openHarness(join(dir, 'data'), secrets, dir, { clock, onHandoff: (notice) => void notices.push(notice), ...options });
  await h.service.start();
  h.sockets.last().echoSends = true;
  h.sockets.last().open();
  await waitFor('open', () => h?.service.status() === 'open');
  return h;
}

/** A message as WhatsApp dates it: the injected clock's second. */
const say = (jid: string, text: string, options: { fromMe?: boolean; pushName?: string } = {}) => textMessage(jid, text, { ...options, timestamp: Math.floor(now / 1000) });

describe("the owner's phone takes a chat over", () => {
  it('the bot is silent while the owner answers, and answers again after ownerTakeoverMinutes; its own messages never count', async () => {
    now = Date.parse('2026-12-02T12:00:00Z');
    const harness = await connected();
    harness.settings.update(BOT, { ownerTakeoverMinutes: 30 });
    const sock = harness.sockets.last();
    sock.upsert([say(ALICE, 'hi', { pushName: 'Alice' })]);
    await harness.service.idle();
    expect(harness.sentTo(ALICE)).toEqual([GREET, ASK]);
    // Both replies came back as fromMe messages (echoed): the bot's own, so nothing was taken over.
    expect(harness.store.customer(BOT, ALICE)?.takenOver).toBe(false);

    // The owner types on their phone in Alice's chat.
    sock.upsert([say(ALICE, 'Hi Alice, Maria from the shop here. Which order?', { fromMe: true })], 'notify');
    await harness.service.idle();
    expect(harness.store.customer(BOT, ALICE)).toMatchObject({ takenOver: true, takenOverUntil: now + 30 * 60_000 });

    now += 10 * 60_000;
    sock.upsert([say(ALICE, 'A100')]);
    await harness.service.idle();
    expect(harness.sentTo(ALICE)).toEqual([GREET, ASK]); // silent
    expect(notices).toEqual([]); // the owner is on their phone: no notice for a timed takeover

    now += 21 * 60_000; // 31 minutes after the owner's message
    sock.upsert([say(ALICE, 'A100')]);
    await harness.service.idle();
    expect(harness.sentTo(ALICE)).toEqual([GREET, ASK, orderReply('A100', 'shipped'), BYE]);
    expect(harness.store.customer(BOT, ALICE)?.takenOver).toBe(false);
    // Its replies after the takeover came back as fromMe too, and still do not count.
    expect(harness.store.customer(BOT, ALICE)?.takenOver).toBe(false);
  });

  it("an answer from the phone does not shorten a takeover without end (the screen's or a hand-off)", async () => {
    now = Date.parse('2026-12-02T12:00:00Z');
    const harness = await connected();
    const sock = harness.sockets.last();
    sock.upsert([say(ALICE, 'hi')]);
    await harness.service.idle();
    await harness.service.takeOver(ALICE);
    sock.upsert([say(ALICE, 'Hello?')]);
    await harness.service.idle();
    expect(harness.store.customer(BOT, ALICE)?.waitingSince).toBe(now);
    sock.upsert([say(ALICE, 'I am here', { fromMe: true })]);
    await harness.service.idle();
    expect(harness.store.customer(BOT, ALICE)).toMatchObject({ takenOver: true });
    expect(harness.store.customer(BOT, ALICE)?.takenOverUntil).toBeUndefined();
    expect(harness.store.customer(BOT, ALICE)?.waitingSince).toBeUndefined(); // the owner answered
    now += 24 * 60 * 60_000;
    sock.upsert([say(ALICE, 'A100')]);
    await harness.service.idle();
    expect(harness.sentTo(ALICE)).toEqual([GREET, ASK]);
  });
});

describe('a hand-off notifies the owner', () => {
  const handoffFlow = flow([n.start(), n.handoff('h', 'A person will answer you soon.')], [edge('start', 'next', 'h')]);

  it('emits the notice and writes to the owner’s number with the name and last message, once per wait', async () => {
    now = Date.parse('2026-12-02T12:00:00Z');
    const harness = await connected({ loadFlow: async () => ({ flow: handoffFlow, source: 'handoff.flow.json' }) });
    harness.settings.update(BOT, { flowId: handoffFlow.id, notifyOwnerNumber: '+31 6 9999 9999' });
    const sock = harness.sockets.last();
    sock.upsert([say(ALICE, 'I want to talk to someone', { pushName: 'Alice' })]);
    await harness.service.idle();
    expect(harness.sentTo(ALICE)).toEqual(['A person will answer you soon.']);
    const toOwner = ownerNotification('en', 'handoff', { name: 'Alice', message: 'I want to talk to someone' });
    expect(notices).toEqual([{ jid: ALICE, name: 'Alice', reason: 'handoff', text: 'I want to talk to someone', message: toOwner, at: now }]);
    expect(toOwner).toContain('Alice');
    expect(harness.sentTo(OWNER)).toEqual([toOwner]);
    // The notice to the owner's own chat came back as fromMe: it is the bot's, not the owner taking that chat over.
    expect(harness.store.customer(BOT, OWNER)).toBeUndefined();

    sock.upsert([say(ALICE, 'hello?')]);
    await harness.service.idle();
    expect(harness.sentTo(ALICE)).toEqual(['A person will answer you soon.']);
    expect(notices.map((x) => x.reason)).toEqual(['handoff']); // still the same wait
    expect(harness.store.customer(BOT, ALICE)).toMatchObject({ takenOver: true, waitingSince: notices[0]!.at });
  });
});

describe('opening hours', () => {
  // Weekdays 09:00–17:00 in New York; the clocks moved forward on Sunday 8 March 2026.
  const nineToFive = { from: '09:00', to: '17:00' };
  const config: Partial<WorkspaceConfig> = {
    openingHours: { timeZone: 'America/New_York', weekly: { mon: [nineToFive], tue: [nineToFive], wed: [nineToFive], thu: [nineToFive], fri: [nineToFive] }, closed: [], awayMessage: 'on' },
  };

  it('answers with the away text outside the hours (once), and with the flow inside, by the zone’s clock across the change', async () => {
    now = Date.parse('2026-03-06T13:30:00Z'); // Friday 08:30 EST: closed
    const harness = await connected({ config });
    const sock = harness.sockets.last();
    sock.upsert([say(ALICE, 'hi')]);
    await harness.service.idle();
    now += 5 * 60_000;
    sock.upsert([say(ALICE, 'anyone?')]);
    await harness.service.idle();
    expect(harness.sentTo(ALICE)).toEqual([en.away]);

    // Monday 13:30 UTC is 09:30 EDT: open (by a fixed UTC-5 it would still be 08:30, closed).
    now = Date.parse('2026-03-09T13:30:00Z');
    sock.upsert([say(ALICE, 'hi')]);
    await harness.service.idle();
    expect(harness.sentTo(ALICE)).toEqual([en.away, GREET, ASK]);

    // 17:00 EDT: closed again; the away text comes again (hours after the last one).
    now = Date.parse('2026-03-09T21:00:00Z');
    sock.upsert([say(ALICE, 'A100')]);
    await harness.service.idle();
    expect(harness.sentTo(ALICE)).toEqual([en.away, GREET, ASK, en.away]);
  });
});
