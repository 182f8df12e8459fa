// What to do when a customer's message cannot be decrypted (Baileys upserts a CIPHERTEXT stub:
// "Bad MAC", a missing session). Baileys itself asks the phone to send the message again (the
// retry arrives later with the same key and is answered then); the socket stays as it is: a
// restart would not mend one customer's session and, in a storm, would loop. The owner's log
// gets one line per customer per window, saying how many failures it left out. Pure.

export const DECRYPT_FAILURE_WINDOW_MS = 60_000;

/** One customer's failures since the line last logged for them. */
export interface FailureWindow {
  openedAt: number;
  /** Failures in this window not logged. */
  suppressed: number;
}

export interface FailureDecision {
  /** Log this failure (the first of a window). */
  log: boolean;
  /** When logging: how many failures of the previous window were not logged. */
  suppressedBefore: number;
  window: FailureWindow;
}

export function decideOnDecryptFailure(window: FailureWindow | undefined, now: number, windowMs = DECRYPT_FAILURE_WINDOW_MS): FailureDecision {
  if (!window || isExpired(window, now, windowMs)) {
    return { log: true, suppressedBefore: window?.suppressed ?? 0, window: { openedAt: now, suppressed: 0 } };
  }
  return { log: false, suppressedBefore: 0, window: { openedAt: window.openedAt, suppressed: window.suppressed + 1 } };
}

/** A window that no longer holds back a line (it may be forgotten). */
export function isExpired(window: FailureWindow, now: number, windowMs = DECRYPT_FAILURE_WINDOW_MS): boolean {
  return now - window.openedAt >= windowMs;
}
