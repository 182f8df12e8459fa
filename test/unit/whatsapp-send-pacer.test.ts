// The WhatsApp send pace (adapters/whatsapp/send-pacer.ts): token buckets for the whole number
// and per customer, driven by a fake clock (the time is an argument: no sleeps).
import { describe, expect, it } from 'vitest';
import { SendPacer, type PacingLimits } from '../../src-main/adapters/whatsapp/send-pacer';
import { DEFAULT_PACING, PacingSettingsSchema } from '../../src-main/adapters/settings/whatsapp-settings';

const LIMITS: PacingLimits = { perMinute: 60, burst: 5, customerPerMinute: 10, customerBurst: 3 };

/** Drives the pacer like the channel: at each step the first message whose wait is 0 goes; else the clock moves by the shortest wait. */
function drain(pacer: SendPacer, queue: string[], start = 0): { customer: string; at: number }[] {
  const sent: { customer: string; at: number }[] = [];
  let now = start;
  const left = [...queue];
  while (left.length > 0) {
    const held = new Set<string>();
    let soonest = Infinity;
    for (let i = 0; i < left.length; i++) {
      const customer = left[i]!;
      if (held.has(customer)) continue;
      const wait = pacer.take(customer, now);
      if (wait === 0) {
        sent.push({ customer, at: now });
        left.splice(i--, 1);
      } else {
        held.add(customer);
        soonest = Math.min(soonest, wait);
      }
    }
    if (left.length > 0) now += soonest;
  }
  return sent;
}

/** The most sends in any window of `windowMs` (a window starting at each send). */
function most(times: number[], windowMs: number): number {
  return Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + windowMs).length));
}

describe('the send pacer', () => {
  it('lets a burst go at once, then one per sustained interval', () => {
    const pacer = new SendPacer({ ...LIMITS, customerPerMinute: 6_000, customerBurst: 100 });
    for (let i = 0; i < 5; i++) expect(pacer.take(`c${i}`, 0)).toBe(0);
    expect(pacer.take('c5', 0)).toBe(1_000);
    expect(pacer.take('c5', 999)).toBe(1);
    expect(pacer.take('c5', 1_000)).toBe(0);
    expect(pacer.take('c6', 1_000)).toBe(1_000);
  });

  it('paces one customer on their own bucket while others still go', () => {
    const pacer = new SendPacer(LIMITS);
    for (let i = 0; i < 3; i++) expect(pacer.take('alice', 0)).toBe(0);
    expect(pacer.take('alice', 0)).toBe(6_000); // 10 a minute: one every 6 s
    expect(pacer.take('ben', 0)).toBe(0);
    expect(pacer.take('alice', 6_000)).toBe(0);
  });

  it('a wait takes nothing: asking again at the same time gives the same wait', () => {
    const pacer = new SendPacer(LIMITS);
    for (let i = 0; i < 3; i++) pacer.take('alice', 0);
    expect(pacer.take('alice', 1_000)).toBe(5_000);
    expect(pacer.take('alice', 1_000)).toBe(5_000);
    expect(pacer.waitMs('alice', 1_000)).toBe(5_000);
  });

  it('refills no further than the burst, however long it was idle', () => {
    const pacer = new SendPacer(LIMITS);
    pacer.take('alice', 0);
    const day = 86_400_000;
    for (let i = 0; i < 5; i++) expect(pacer.take(`c${i}`, day)).toBe(0);
    expect(pacer.take('c9', day)).toBeGreaterThan(0);
  });

  it('a burst of many customers drains in order within both limits, at the ideal rate', () => {
    const queue = Array.from({ length: 60 }, (_, i) => `c${i % 20}`); // 20 customers × 3
    const sent = drain(new SendPacer(LIMITS), queue);
    expect(sent.map((s) => s.customer)).toEqual(queue); // nobody held back: customer buckets hold 3
    const times = sent.map((s) => s.at);
    // In any window: at most the burst plus the sustained rate over it.
    for (const windowMs of [1_000, 5_000, 10_000, 30_000]) expect(most(times, windowMs)).toBeLessThanOrEqual(5 + Math.floor(windowMs / 1_000));
    // The last goes out exactly when the limit allows: (60 - 5 burst) at one a second.
    expect(times.at(-1)).toBe(55_000);
  });

  it('one customer with many replies does not hold the others back, and keeps their own order', () => {
    const queue = ['alice', 'alice', 'alice', 'alice', 'alice', 'ben', 'carol'];
    const sent = drain(new SendPacer(LIMITS), queue);
    expect(sent.filter((s) => s.customer !== 'alice').map((s) => s.at)).toEqual([0, 0]);
    const alice = sent.filter((s) => s.customer === 'alice').map((s) => s.at);
    expect(alice).toEqual([0, 0, 0, 6_000, 12_000]);
  });

  it('new limits apply at once, the tokens capped at the new burst', () => {
    const pacer = new SendPacer(LIMITS);
    pacer.setLimits({ ...LIMITS, burst: 1 });
    expect(pacer.take('a', 0)).toBe(0);
    expect(pacer.take('b', 0)).toBe(1_000);
  });
});

describe('the pace settings', () => {
  it('default to about one a second overall, a few at once to a customer then one every 6 s', () => {
    expect(PacingSettingsSchema.parse({})).toEqual(DEFAULT_PACING);
    expect(DEFAULT_PACING).toMatchObject({ enabled: true, perMinute: 60, customerPerMinute: 10 });
  });

  it('refuse what is no pace, saying which and why', () => {
    const parsed = PacingSettingsSchema.safeParse({ perMinute: 0, customerBurst: 1.5 });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(['perMinute: at least 1', 'customerBurst: a whole number']);
  });
});
