// The fence on the WhatsApp send path (several `flowbot serve` instances on one PostgreSQL): an
// instance whose lease on the bot was taken over (it was paused past its TTL, or cut off) still
// has its old socket, and a customer message still reaches it; its reply is never sent from
// there: the send checks the token against the lease row, the connection stops, and the reply
// stays queued for the instance that holds the bot now.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeytarSecrets } from '../../src-main/adapters/secrets/keytar-secrets';
import { authKeyAccount } from '../../src-main/adapters/whatsapp/encrypted-auth-state';
import { openBotLeases, type BotLeases } from '../../src-main/adapters/postgres/bot-leases';
import { scriptedSockets, textMessage } from '../fixtures/scripted-wa-socket';
import { openTestStudio } from '../support/studio-api';
import { startTestPostgres, type TestPostgres } from '../fixtures/test-postgres';
import { requireTestKeyring } from '../support/keychain';
import { ASK, BOT, GREET, openHarness, waitFor } from '../support/whatsapp-harness';

requireTestKeyring();

const secrets = createKeytarSecrets();
const ALICE = '31611111111@s.whatsapp.net';
let cluster: TestPostgres;
let pool: pg.Pool;
let leases: BotLeases;
let dir: string;

beforeAll(async () => {
  cluster = await startTestPostgres();
  pool = new pg.Pool({ connectionString: cluster.url, max: 4 });
  leases = await openBotLeases(pool);
  dir = mkdtempSync(join(tmpdir(), 'flowbot-wa-fence-'));
});
afterAll(async () => {
  await secrets.delete(authKeyAccount(BOT));
  await pool?.end();
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the WhatsApp send fence', () => {
  it('sends while the instance holds the bot; after a takeover it sends nothing, stops, and leaves the reply queued', async () => {
    const mine = (await leases.acquire(BOT, 'a', 60_000))!;
    const h = await openHarness(join(dir, 'data'), secrets, dir, { fence: { holds: () => leases.holds(BOT, 'a', mine.token) } });
    try {
      await h.service.start();
      const sock = h.sockets.last();
      sock.open();
      await waitFor('open', () => h.service.status() === 'open');
      sock.upsert([textMessage(ALICE, 'hi')]);
      await h.service.idle();
      expect(h.sentTo(ALICE)).toEqual([GREET, ASK]);

      // Instance a was paused past its lease; b took the bot over (the next token).
      await leases.release(BOT, 'a', mine.token);
      const theirs = (await leases.takeOver(BOT, 'b', mine.token, 60_000))!;
      expect(theirs.token).toBe(mine.token + 1);

      sock.upsert([textMessage(ALICE, 'A100')]); // a's stale socket still receives
      await waitFor('the connection stopped', () => h.service.status() === 'stopped');
      await h.service.idle();
      expect(h.sentTo(ALICE)).toEqual([GREET, ASK]); // nothing more left from a
      expect(h.store.pending(BOT, 10).map((row) => row.text)).toEqual(['Order A100 is shipped.', 'Anything else? Just write again.']);
      expect(h.events).toContainEqual(expect.objectContaining({ type: 'log', level: 'warn', message: expect.stringContaining('no longer holds the bot') }));
    } finally {
      await h.close();
    }
  });

  it('refuses the owner’s Connect on an instance that does not hold the bot (a second socket would throw the holder’s off), saying where to go', async () => {
    const sockets = scriptedSockets();
    const t = openTestStudio({ whatsappSocketFactory: sockets.factory, coordination: { order: { run: (_key, work) => work() }, fence: () => ({ holds: async () => false }) } });
    try {
      const refused = await t.call('whatsapp.connect', {});
      expect(refused.ok).toBe(false);
      expect(refused.error).toMatchObject({ code: 'CONFLICT', text: { key: 'scaleout.heldElsewhere' }, message: expect.stringContaining('flowbot serve status') });
      expect(sockets.sockets).toHaveLength(0);
    } finally {
      await t.close();
    }
  });
});
