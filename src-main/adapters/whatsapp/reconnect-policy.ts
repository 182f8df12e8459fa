// What to do when the WhatsApp connection closes, by Baileys' DisconnectReason. Pure.
import { DisconnectReason } from 'baileys';

export type CloseDecision =
  /** 515 right after pairing: WhatsApp wants a fresh socket with the new creds; at once. */
  | { kind: 'restart' }
  /** 401: the owner unlinked the device (or WhatsApp did); the session is dead: pair again. */
  | { kind: 'logged_out' }
  /** 440: another client opened this session; reconnecting would fight it: stop, tell the owner. */
  | { kind: 'replaced' }
  /** Anything else (lost, timed out, 500, 503, ...): try again after a delay. */
  | { kind: 'backoff'; delayMs: number };

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** 0 <= random() < 1. */
  random: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, maxMs: 60_000, random: Math.random };

/** The status code Baileys puts on a close error (a Boom: output.statusCode), if any. */
export function statusCodeOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const output = (error as { output?: unknown }).output;
  if (typeof output !== 'object' || output === null) return undefined;
  const code = (output as { statusCode?: unknown }).statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** `attempt` counts the failed reconnects in a row (0 for the first). Full jitter: uniform in [0, min(max, base*2^n)). */
export function decideOnClose(statusCode: number | undefined, attempt: number, backoff: BackoffOptions = DEFAULT_BACKOFF): CloseDecision {
  if (statusCode === DisconnectReason.restartRequired) return { kind: 'restart' };
  if (statusCode === DisconnectReason.loggedOut) return { kind: 'logged_out' };
  if (statusCode === DisconnectReason.connectionReplaced) return { kind: 'replaced' };
  const cap = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(attempt, 30));
  return { kind: 'backoff', delayMs: Math.floor(backoff.random() * cap) };
}
