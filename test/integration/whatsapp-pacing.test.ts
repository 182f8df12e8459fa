// Replies go out at the pace the bot's WhatsApp settings allow (send-pacer.ts through the
// channel's durable outbound queue): a burst of customers drains completely, each customer's
// replies in order, and the send times the scripted socket recorded never exceed the limits
// (in any window: the burst plus the sustained rate over it). Small limits keep it short.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKeytarSecrets } from '../../src-main/adapters/secrets/keytar-secrets';
import { authKeyAccount } from '../../src-main/adapters/whatsapp/encrypted-auth-state';
import { textMessage } from '../fixtures/scripted-wa-socket';
import { requireTestKeyring } from '../support/keychain';
import { ASK, BOT, BYE, GREET, openHarness, orderReply, waitFor, type Harness } from '../support/whatsapp-harness';

requireTestKeyring();

const secrets = createKeytarSecrets();
const PACING = { enabled: true, perMinute: 1_200, burst: 3, customerPerMinute: 300, customerBurst: 2 };
const CUSTOMERS = 10;
const jidOf = (c: number) => `3170000${String(c).padStart(4, '0')}@s.whatsapp.net`;
let dir: string;
let h: Harness;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowbot-wa-pacing-'));
  h = await openHarness(join(dir, 'data'), secrets, dir, { pacing: PACING });
  await h.service.start();
  h.sockets.last().open();
  await waitFor('open', () => h.service.status() === 'open');
});
afterAll(async () => {
  await h?.close();
  await secrets.delete(authKeyAccount(BOT));
  rmSync(dir, { recursive: true, force: true });
});

/** The most sends in any window of `windowMs` starting at a send. */
const most = (times: number[], windowMs: number) => Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + windowMs).length));
/** Token-bucket bound: burst + rate × window (1 ms of slack for the clock read between the pacer and the socket). */
const bound = (burst: number, perMinute: number, windowMs: number) => burst + Math.floor(((windowMs + 1) * perMinute) / 60_000);

it('a burst of customers drains in order without exceeding the overall or the per-customer pace', async () => {
  const sock = h.sockets.last();
  sock.upsert(Array.from({ length: CUSTOMERS }, (_, c) => textMessage(jidOf(c), 'hi', { id: `P-${c}-0` })));
  sock.upsert(Array.from({ length: CUSTOMERS }, (_, c) => textMessage(jidOf(c), 'A100', { id: `P-${c}-1` })));
  await h.service.idle();

  for (let c = 0; c < CUSTOMERS; c++) expect(h.sentTo(jidOf(c))).toEqual([GREET, ASK, orderReply('A100', 'shipped'), BYE]);
  const times = sock.sendTimes;
  expect(times).toHaveLength(CUSTOMERS * 4);
  for (const windowMs of [50, 200, 500, 1_000]) {
    expect(most(times, windowMs), `overall, ${windowMs} ms`).toBeLessThanOrEqual(bound(PACING.burst, PACING.perMinute, windowMs));
    for (let c = 0; c < CUSTOMERS; c++) {
      const own = times.filter((_, i) => sock.sent[i]!.jid === jidOf(c));
      expect(most(own, windowMs), `customer ${c}, ${windowMs} ms`).toBeLessThanOrEqual(bound(PACING.customerBurst, PACING.customerPerMinute, windowMs));
    }
  }
  // Paced, not stalled: the whole drain took at least what the overall limit requires.
  expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(((CUSTOMERS * 4 - PACING.burst) * 60_000) / PACING.perMinute - 1);
});
