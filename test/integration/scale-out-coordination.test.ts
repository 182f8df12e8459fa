// Several `flowbot serve` instances on one real PostgreSQL (a throwaway cluster): the bot lease
// (one holder; a second instance takes over only after the TTL, with the next token; two
// takers at once: one wins), the fence (a superseded or cut-off holder may not send), and the
// per-conversation advisory locks (one conversation strictly in order across instances,
// different ones in parallel, a dead instance's lock released at once).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBotLeases, type BotLeases } from '../../src-main/adapters/postgres/bot-leases';
import { createConversationLocks, lockNumber } from '../../src-main/adapters/postgres/conversation-locks';
import { readServeStatus } from '../../src-main/adapters/postgres/serve-status';
import { createBotOwnership, type SendFence } from '../../src-main/app/scale-out/bot-ownership';
import { startTestPostgres, type TestPostgres } from '../fixtures/test-postgres';

let cluster: TestPostgres;
let pool: pg.Pool;
let leases: BotLeases;
const pools: pg.Pool[] = [];
const newPool = (max = 10) => {
  const p = new pg.Pool({ connectionString: cluster.url, max });
  p.on('error', () => undefined);
  pools.push(p);
  return p;
};

beforeAll(async () => {
  cluster = await startTestPostgres();
  pool = newPool();
  leases = await openBotLeases(pool);
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
  await cluster?.stop();
});

/** A promise with its resolver, to wait for a callback instead of a time. */
function signal<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('the bot lease', () => {
  it('is created once: of two instances acquiring at once, one gets token 1', async () => {
    const [a, b] = await Promise.all([leases.acquire('race', 'a', 5_000), leases.acquire('race', 'b', 5_000)]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect((a ?? b)!.token).toBe(1);
  });

  it('is taken over only once it expired, by one of two takers, with the next token; the old holder’s fence then fails', async () => {
    const first = (await leases.acquire('takeover', 'a', 300))!;
    expect(await leases.takeOver('takeover', 'b', first.token, 300)).toBeUndefined(); // not expired yet
    expect(await leases.holds('takeover', 'a', first.token)).toBe(true);
    // Wait for the expiry as the database sees it (no sleep: the renew loop of a real instance does the same).
    while ((await leases.read('takeover')).now < first.expiresAt) await pool.query('SELECT pg_sleep(0.05)');
    expect(await leases.holds('takeover', 'a', first.token)).toBe(false); // lapsed: even the holder may not send
    const [b, c] = await Promise.all([leases.takeOver('takeover', 'b', first.token, 5_000), leases.takeOver('takeover', 'c', first.token, 5_000)]);
    const winner = (b ?? c)!;
    expect([b, c].filter(Boolean)).toHaveLength(1);
    expect(winner.token).toBe(first.token + 1);
    expect(await leases.renew('takeover', 'a', first.token, 5_000)).toBeUndefined(); // the old holder cannot renew back
    expect(await leases.holds('takeover', winner.holder, winner.token)).toBe(true);
  });

  it('moves a bot to the surviving instance within the TTL when its holder is cut off, and stops the old holder by itself', async () => {
    const ttlMs = 600;
    const gained = new Map<string, ReturnType<typeof signal<SendFence>>>([['a', signal<SendFence>()], ['b', signal<SendFence>()]]);
    const lost = new Map<string, ReturnType<typeof signal<string>>>([['a', signal<string>()], ['b', signal<string>()]]);
    // Instance a's database connection can be cut (a network partition, a paused process): every lease call fails then.
    let aCut = false;
    /** When a's lease last ran out, as its last successful write set it (the database's clock). */
    let aExpiresAt = 0;
    const cuttable: BotLeases = Object.fromEntries(
      Object.entries(leases).map(([name, fn]) => [
        name,
        async (...args: unknown[]) => {
          if (aCut) throw new Error('connection cut');
          const result = await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
          if ((name === 'acquire' || name === 'renew') && result) aExpiresAt = (result as { expiresAt: number }).expiresAt;
          return result;
        },
      ]),
    ) as unknown as BotLeases;
    const keeper = (instance: string, store: BotLeases) =>
      createBotOwnership({
        leases: store,
        instance,
        bots: ['shop'],
        timing: { ttlMs },
        onGained: async (_bot, fence) => gained.get(instance)!.resolve(fence),
        onLost: async (_bot, why) => lost.get(instance)!.resolve(why),
        log: () => undefined,
      });
    const a = keeper('a', cuttable);
    a.start();
    const aFence = await gained.get('a')!.promise;
    const b = keeper('b', leases);
    b.start();
    expect(await aFence.holds()).toBe(true);
    expect(a.held().get('shop')).toBe(1);

    aCut = true;
    const [why, bFence] = await Promise.all([lost.get('a')!.promise, gained.get('b')!.promise]);
    expect(why).toBe('unreachable');
    expect(await bFence.holds()).toBe(true);
    aCut = false;
    expect(await aFence.holds()).toBe(false); // a's old token is fenced off, even with its connection back
    const status = await readServeStatus(pool);
    const moved = status.bots.find((s) => s.bot === 'shop')?.lease;
    expect(moved).toMatchObject({ holder: 'b', token: 2 });
    // b took it once a's lease ran out (never before), and looked again at that moment: the bot
    // was without a holder for less than a TTL (by the database's clock, whatever this machine's load).
    expect(moved!.acquiredAt).toBeGreaterThanOrEqual(aExpiresAt);
    expect(moved!.acquiredAt - aExpiresAt).toBeLessThan(ttlMs);

    // A clean stop hands over at once: the row expires now.
    await b.stop();
    expect(await bFence.holds()).toBe(false);
    await expect(lost.get('b')!.promise).resolves.toBe('stopping');
    await a.stop();
  });

  it('stops the holder’s connection when another instance took the bot over (a holder paused past its TTL)', async () => {
    const gained = signal<SendFence>();
    const lost = signal<string>();
    const keeper = createBotOwnership({
      leases,
      instance: 'paused',
      bots: ['paused-bot'],
      timing: { ttlMs: 600 },
      onGained: async (_bot, fence) => gained.resolve(fence),
      onLost: async (_bot, why) => lost.resolve(why),
      log: () => undefined,
    });
    keeper.start();
    const fence = await gained.promise;
    // While it "sleeps", its lease runs out and another instance takes the bot.
    const { lease } = await leases.read('paused-bot');
    await leases.release('paused-bot', 'paused', lease!.token);
    await leases.takeOver('paused-bot', 'other', lease!.token, 60_000);
    expect(await fence.holds()).toBe(false); // fenced at once, before the keeper even looks
    await expect(lost.promise).resolves.toBe('taken_over'); // its next heartbeat finds the new token
    expect(keeper.held().size).toBe(0);
    await keeper.stop(); // hands back nothing it no longer holds
    expect((await leases.read('paused-bot')).lease).toMatchObject({ holder: 'other', token: lease!.token + 1 });
  });
});

describe('the conversation locks', () => {
  it('handle one conversation strictly in order across two instances, others in parallel', async () => {
    const one = createConversationLocks(newPool());
    const two = createConversationLocks(newPool());
    const log: string[] = [];
    const firstHolds = signal();
    const release = signal();
    const first = one.run('c1', async () => {
      log.push('one:c1 start');
      firstHolds.resolve();
      await release.promise;
      log.push('one:c1 end');
    });
    await firstHolds.promise;
    const second = two.run('c1', async () => void log.push('two:c1'));
    // Another conversation on the other instance is not held up by c1.
    await two.run('c2', async () => void log.push('two:c2'));
    expect(log).toEqual(['one:c1 start', 'two:c2']);
    release.resolve();
    await Promise.all([first, second]);
    expect(log).toEqual(['one:c1 start', 'two:c2', 'one:c1 end', 'two:c1']);
  });

  it('lets the next instance go on at once when the holder dies (its connection ends)', async () => {
    // Not ended in afterAll: its one client stays checked out by the hung work, as in a dead process.
    const deadPool = new pg.Pool({ connectionString: cluster.url, max: 1 });
    const dead = createConversationLocks(deadPool);
    const survivor = createConversationLocks(newPool());
    const holding = signal<number>();
    const never = dead.run('c3', async () => {
      const { rows } = await pool.query<{ pid: number }>(`SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = ($1::bigint & x'ffffffff'::bigint)::oid`, [lockNumber('c3')]);
      holding.resolve(rows[0]!.pid);
      return new Promise<void>(() => undefined); // hangs: the process "died" holding it
    });
    const pid = await holding.promise;
    let ran = false;
    const next = survivor.run('c3', async () => void (ran = true));
    expect(ran).toBe(false);
    await pool.query('SELECT pg_terminate_backend($1)', [pid]); // what the kernel does to a SIGKILLed instance's sockets
    await next;
    expect(ran).toBe(true);
    void never;
  });
});
