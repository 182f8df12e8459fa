// The lease decisions of core/bot-lease.ts on an injected clock: acquire, renew, wait, take over
// after the TTL, and the fence (a holder whose token was superseded or whose lease lapsed may not act).
import { describe, expect, it } from 'vitest';
import { decideLease, heartbeatMs, mayAct, stillHeldLocally, type BotLease } from '../../src-main/core/bot-lease';

const timing = { ttlMs: 3_000 };
const lease = (over: Partial<BotLease> = {}): BotLease => ({ bot: 'shop', holder: 'a', token: 4, acquiredAt: 1_000, renewedAt: 2_000, expiresAt: 5_000, ...over });

describe('decideLease', () => {
  it('acquires a bot nobody held', () => {
    expect(decideLease(undefined, { instance: 'a' }, 0, timing)).toEqual({ kind: 'acquire' });
  });

  it('renews its own lease, keeping the token, even when it lapsed but nobody took it', () => {
    expect(decideLease(lease(), { instance: 'a', token: 4 }, 3_000, timing)).toEqual({ kind: 'renew', token: 4 });
    expect(decideLease(lease(), { instance: 'a', token: 4 }, 9_000, timing)).toEqual({ kind: 'renew', token: 4 });
  });

  it('waits while another instance holds a live lease, looking again a heartbeat later at most', () => {
    expect(decideLease(lease(), { instance: 'b' }, 2_000, timing)).toEqual({ kind: 'wait', holder: 'a', retryAt: 3_000 });
    expect(decideLease(lease(), { instance: 'b' }, 4_500, timing)).toEqual({ kind: 'wait', holder: 'a', retryAt: 5_000 });
  });

  it('takes over at the expiry, not a millisecond before', () => {
    expect(decideLease(lease(), { instance: 'b' }, 4_999, timing).kind).toBe('wait');
    expect(decideLease(lease(), { instance: 'b' }, 5_000, timing)).toEqual({ kind: 'take_over', fromToken: 4, from: 'a' });
  });

  it('treats its own row with another token as someone else’s (a restarted process re-takes it with a new token)', () => {
    expect(decideLease(lease(), { instance: 'a', token: 3 }, 2_000, timing).kind).toBe('wait');
    expect(decideLease(lease(), { instance: 'a' }, 6_000, timing)).toEqual({ kind: 'take_over', fromToken: 4, from: 'a' });
  });
});

describe('the fence', () => {
  it('lets the holder act only with the current token and before the expiry', () => {
    expect(mayAct(lease(), { instance: 'a', token: 4 }, 4_999)).toBe(true);
    expect(mayAct(lease(), { instance: 'a', token: 4 }, 5_000)).toBe(false);
    expect(mayAct(lease({ holder: 'b', token: 5 }), { instance: 'a', token: 4 }, 2_000)).toBe(false);
    expect(mayAct(lease({ token: 5 }), { instance: 'a', token: 4 }, 2_000)).toBe(false);
    expect(mayAct(undefined, { instance: 'a', token: 4 }, 0)).toBe(false);
  });

  it('makes a holder cut off from the database stop within the TTL of its last renewal', () => {
    expect(stillHeldLocally(10_000, 12_999, timing)).toBe(true);
    expect(stillHeldLocally(10_000, 13_000, timing)).toBe(false);
  });

  it('beats three times per TTL', () => {
    expect(heartbeatMs(timing)).toBe(1_000);
  });
});
