// Decryption failures ("Bad MAC"): the pure logging policy and the retry-counter cache Baileys
// 7 is given (its CacheStore: get/set/del/flushAll).
import type { CacheStore } from 'baileys';
import { describe, expect, it } from 'vitest';
import { decideOnDecryptFailure, DECRYPT_FAILURE_WINDOW_MS, type FailureWindow } from '../../src-main/adapters/whatsapp/decrypt-failure-policy';
import { createRetryCounterCache } from '../../src-main/adapters/whatsapp/retry-counter-cache';

describe('decryption failure policy', () => {
  it('logs the first failure of a window, holds back the rest, and reports how many when the next window opens', () => {
    let window: FailureWindow | undefined;
    const logged: number[] = [];
    for (let i = 0; i < 500; i++) {
      const decision = decideOnDecryptFailure(window, 1_000 + i * 100); // 500 failures in 50 s
      window = decision.window;
      if (decision.log) logged.push(decision.suppressedBefore);
    }
    expect(logged).toEqual([0]);
    const next = decideOnDecryptFailure(window, 1_000 + DECRYPT_FAILURE_WINDOW_MS);
    expect(next).toEqual({ log: true, suppressedBefore: 499, window: { openedAt: 1_000 + DECRYPT_FAILURE_WINDOW_MS, suppressed: 0 } });
  });
});

describe('retry counter cache', () => {
  it('gets, sets, deletes and flushes like the CacheStore Baileys expects; counts expire', () => {
    let now = 0;
    const cache: CacheStore = createRetryCounterCache({ clock: { now: () => now }, ttlMs: 1_000 });
    expect(cache.get<number>('m1')).toBeUndefined();
    cache.set('m1', 1);
    cache.set('m2', 2);
    expect(cache.get<number>('m1')).toBe(1);
    cache.del('m1');
    expect(cache.get<number>('m1')).toBeUndefined();
    now = 1_000;
    expect(cache.get<number>('m2')).toBeUndefined();
    cache.set('m3', 3);
    cache.flushAll();
    expect(cache.get<number>('m3')).toBeUndefined();
  });

  it('stays bounded in a storm: the oldest counts go first', () => {
    const cache = createRetryCounterCache({ clock: { now: () => 0 }, maxEntries: 100 });
    for (let i = 0; i < 10_000; i++) cache.set(`m${i}`, 1);
    expect(cache.size).toBe(100);
    expect(cache.get<number>('m9999')).toBe(1);
    expect(cache.get<number>('m0')).toBeUndefined();
  });
});
