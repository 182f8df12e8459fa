// Who holds a bot's WhatsApp connection when several `flowbot serve` instances share one
// database: a lease row per bot (holder, expiry, fencing token). Pure decisions on a given
// clock; the adapter (adapters/postgres/bot-leases.ts) applies each one as a compare-and-set on
// the token, so two instances deciding at once cannot both win, and the fence (may this holder
// still send?) is checked against the row itself.
//
// The token only grows: every change of holder takes the next one. A holder that was paused or
// cut off past its expiry finds a higher token (or an expired row) and must not send again.

export interface BotLease {
  bot: string;
  /** The instance that holds the connection (a random id per process). */
  holder: string;
  /** Fencing token: grows by one at every change of holder. */
  token: number;
  /** When the holder took the lease (ms epoch): how long it has held the bot. */
  acquiredAt: number;
  /** The holder's last heartbeat (ms epoch). */
  renewedAt: number;
  expiresAt: number;
}

export type LeaseDecision =
  /** Nobody ever held the bot: create the row with token 1. */
  | { kind: 'acquire' }
  /** Ours and not taken since: push the expiry out (keeping the token). */
  | { kind: 'renew'; token: number }
  /** The holder let it expire: take it with the next token (only if the row still has `fromToken`). */
  | { kind: 'take_over'; fromToken: number; from: string }
  /** Another instance holds it: try again by `retryAt` (its expiry, or a heartbeat later). */
  | { kind: 'wait'; holder: string; retryAt: number };

export interface LeaseTiming {
  /** How long a lease lasts without a heartbeat: the bound on a takeover after a crash. */
  ttlMs: number;
}

/** How often a holder renews, and a waiter looks again: three heartbeats per TTL, so one lost heartbeat never loses the lease. */
export const heartbeatMs = (timing: LeaseTiming): number => Math.max(1, Math.floor(timing.ttlMs / 3));

/** What `me` should do about the bot's lease row `current` at `now`. `mine`: the token this instance holds, if any. */
export function decideLease(current: BotLease | undefined, me: { instance: string; token?: number }, now: number, timing: LeaseTiming): LeaseDecision {
  if (!current) return { kind: 'acquire' };
  // The same instance and token: nobody took it in between, even if it lapsed (a takeover would have raised the token).
  if (current.holder === me.instance && current.token === me.token) return { kind: 'renew', token: current.token };
  if (now >= current.expiresAt) return { kind: 'take_over', fromToken: current.token, from: current.holder };
  return { kind: 'wait', holder: current.holder, retryAt: Math.min(current.expiresAt, now + heartbeatMs(timing)) };
}

/**
 * May the holder of `token` act for the bot at `now`? Only while the row still names it with
 * that token and has not expired. The adapter checks exactly this in one statement against the
 * row (the fence on the send path); here it is stated for the keeper and its tests.
 */
export function mayAct(current: BotLease | undefined, me: { instance: string; token: number }, now: number): boolean {
  return current !== undefined && current.holder === me.instance && current.token === me.token && now < current.expiresAt;
}

/**
 * A holder that cannot reach the database cannot renew: it must stop by itself before anyone
 * may take over (the row expires `ttlMs` after its last renewal, by the database's clock).
 * `confirmedAt`: when (local clock) the request of the last successful renewal was sent.
 */
export function stillHeldLocally(confirmedAt: number, now: number, timing: LeaseTiming): boolean {
  return now < confirmedAt + timing.ttlMs;
}
