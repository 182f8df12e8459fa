// A fixed-window counter per key (an IP address, a visitor session): at most `limit` hits per
// `windowMs`. Pure bookkeeping on an injected clock; the table is swept as windows expire, so a
// flood of new keys cannot grow it past what one window holds.
import type { Clock } from '../../runtime/ports';

export interface RateLimiter {
  /** Counts a hit; undefined when allowed, else the milliseconds until the key may try again. */
  hit(key: string): number | undefined;
}

export function createRateLimiter(options: { limit: number; windowMs: number; clock?: Clock }): RateLimiter {
  const clock = options.clock ?? { now: () => Date.now() };
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = clock.now();
  return {
    hit(key) {
      const now = clock.now();
      if (now - lastSweep >= options.windowMs) {
        for (const [k, w] of windows) if (now - w.start >= options.windowMs) windows.delete(k);
        lastSweep = now;
      }
      let window = windows.get(key);
      if (!window || now - window.start >= options.windowMs) {
        window = { start: now, count: 0 };
        windows.set(key, window);
      }
      if (window.count >= options.limit) return window.start + options.windowMs - now;
      window.count += 1;
      return undefined;
    },
  };
}
