// When a crashed server is started again: exponential backoff with full jitter, and a circuit
// breaker that stops restarting a server that keeps crashing (no endless loop).

export interface RestartPolicy {
  /** The first restart waits up to this long (default 200 ms). */
  baseDelayMs: number;
  /** Each further crash in the window multiplies the ceiling by this (default 2). */
  factor: number;
  /** The ceiling never exceeds this (default 10 s). */
  maxDelayMs: number;
  /** This many crashes within `windowMs` open the circuit (default 5). */
  maxCrashes: number;
  /** default 60 s */
  windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  baseDelayMs: 200,
  factor: 2,
  maxDelayMs: 10_000,
  maxCrashes: 5,
  windowMs: 60_000,
};

/** Full jitter: uniform in [0, min(max, base * factor^(n-1))] for the n-th recent crash. */
export function backoffDelay(policy: RestartPolicy, recentCrashes: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** Math.max(0, recentCrashes - 1));
  return Math.round(ceiling * Math.min(1, Math.max(0, random())));
}

/** The crashes that happened within the policy's window. */
export class CrashHistory {
  private times: number[] = [];

  constructor(private readonly policy: RestartPolicy) {}

  /** Records a crash at `now`; returns how many crashes fall within the window, this one included. */
  record(now: number): number {
    this.times.push(now);
    return this.recent(now);
  }

  recent(now: number): number {
    this.times = this.times.filter((t) => now - t < this.policy.windowMs);
    return this.times.length;
  }

  shouldOpenCircuit(now: number): boolean {
    return this.recent(now) >= this.policy.maxCrashes;
  }

  reset(): void {
    this.times = [];
  }
}
