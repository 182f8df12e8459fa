// Limits failed sign-ins in fixed windows: per client address (one guesser) and overall (many
// addresses guessing together). A refused attempt is not even checked against the password.
// Only failures count: the owner who types the password right is never slowed down by them,
// but while the overall limit is reached nobody can sign in until the window ends (the price of
// stopping a distributed guess; the log says so).
export interface LoginLimits {
  /** The window's length (default 15 minutes). */
  windowMs: number;
  /** Failed attempts one address may make per window (default 10). */
  perAddress: number;
  /** Failed attempts all addresses together may make per window (default 100). */
  overall: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = Object.freeze({ windowMs: 15 * 60_000, perAddress: 10, overall: 100 });

export type LimitDecision = { allowed: true } | { allowed: false; scope: 'address' | 'overall'; retryAfterMs: number };

export interface LoginLimiter {
  check(address: string): LimitDecision;
  recordFailure(address: string): void;
}

interface Window {
  startedAt: number;
  failures: number;
}

/** Addresses tracked at most; beyond it, windows that ended are dropped (and then the oldest). */
const MAX_TRACKED = 10_000;

export function createLoginLimiter(now: () => number, limits: LoginLimits = DEFAULT_LOGIN_LIMITS): LoginLimiter {
  const perAddress = new Map<string, Window>();
  let overall: Window = { startedAt: now(), failures: 0 };

  const current = (window: Window | undefined, at: number): Window | undefined =>
    window !== undefined && at - window.startedAt < limits.windowMs ? window : undefined;

  return {
    check(address) {
      const at = now();
      const all = current(overall, at);
      if (all && all.failures >= limits.overall) return { allowed: false, scope: 'overall', retryAfterMs: all.startedAt + limits.windowMs - at };
      const mine = current(perAddress.get(address), at);
      if (mine && mine.failures >= limits.perAddress) return { allowed: false, scope: 'address', retryAfterMs: mine.startedAt + limits.windowMs - at };
      return { allowed: true };
    },
    recordFailure(address) {
      const at = now();
      overall = current(overall, at) ?? { startedAt: at, failures: 0 };
      overall.failures++;
      const mine = current(perAddress.get(address), at) ?? { startedAt: at, failures: 0 };
      mine.failures++;
      perAddress.delete(address);
      perAddress.set(address, mine);
      if (perAddress.size > MAX_TRACKED) {
        for (const [key, window] of perAddress) if (current(window, at) === undefined) perAddress.delete(key);
        while (perAddress.size > MAX_TRACKED) perAddress.delete(perAddress.keys().next().value as string);
      }
    },
  };
}
