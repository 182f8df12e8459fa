// The msgRetryCounterCache Baileys 7 asks for (its CacheStore: get/set/del/flushAll): how often
// each undecryptable message was asked for again. In memory, entries expire after `ttlMs` and the
// oldest are dropped beyond `maxEntries`, so a storm of failures cannot grow it without bound.
import type { CacheStore } from 'baileys';
import type { Clock } from '../../runtime/ports';

export interface RetryCounterCacheOptions {
  clock: Clock;
  /** How long a count is kept (default 10 minutes, Baileys' own default for this cache). */
  ttlMs?: number;
  maxEntries?: number;
}

export function createRetryCounterCache({ clock, ttlMs = 10 * 60_000, maxEntries = 10_000 }: RetryCounterCacheOptions): CacheStore & { readonly size: number } {
  const entries = new Map<string, { value: unknown; expiresAt: number }>();
  return {
    get size() {
      return entries.size;
    },
    get<T>(key: string): T | undefined {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= clock.now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.value as T;
    },
    set<T>(key: string, value: T): void {
      entries.delete(key); // re-inserted last: the Map's order is the age order
      entries.set(key, { value, expiresAt: clock.now() + ttlMs });
      for (const oldest of entries.keys()) {
        if (entries.size <= maxEntries) break;
        entries.delete(oldest);
      }
    },
    del(key: string): void {
      entries.delete(key);
    },
    flushAll(): void {
      entries.clear();
    },
  };
}
