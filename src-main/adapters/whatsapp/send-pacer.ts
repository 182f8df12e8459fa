// How fast the bot may send on WhatsApp: token buckets, one for the whole number and one per
// customer. No I/O and no timers: the caller asks with the current time and waits what it is
// told (the channel's durable outbound queue, whatsapp-channel.ts).
//
// Why: WhatsApp restricts (and may ban) numbers that send fast, and a linked device (what the
// bot is, through Baileys) is judged like a person's phone, far stricter than the Business
// Cloud API (80 messages/s per number, and a "pair rate" of about one message every 6 s to the
// same customer, with short bursts allowed: Meta's error 131056). The defaults
// (DEFAULT_PACING in adapters/settings/whatsapp-settings.ts) stay well inside both.

export interface PacingLimits {
  /** Sustained messages per minute over all customers. */
  perMinute: number;
  /** How many may go out at once before the sustained rate applies. */
  burst: number;
  /** Sustained messages per minute to one customer. */
  customerPerMinute: number;
  /** How many one customer may get at once (a reply of a few messages). */
  customerBurst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Beyond this many customers' buckets, the full ones are forgotten (a full bucket is the default). */
const MAX_BUCKETS = 5_000;

export class SendPacer {
  private overall: Bucket | undefined;
  private readonly customers = new Map<string, Bucket>();

  constructor(private limits: PacingLimits) {}

  /** New limits (the owner changed them): the buckets keep their tokens, capped at the new bursts. */
  setLimits(limits: PacingLimits): void {
    this.limits = limits;
  }

  /**
   * Takes one message to `customer` at `now` (ms) if both buckets allow it: returns 0. Else
   * takes nothing and returns how many ms until both would allow it.
   */
  take(customer: string, now: number): number {
    const { perMinute, burst, customerPerMinute, customerBurst } = this.limits;
    const overall = refill(this.overall, now, perMinute, burst);
    const own = refill(this.customers.get(customer), now, customerPerMinute, customerBurst);
    const wait = Math.max(waitFor(overall, perMinute), waitFor(own, customerPerMinute));
    this.overall = overall;
    if (wait > 0) {
      this.customers.set(customer, own);
      return wait;
    }
    overall.tokens -= 1;
    own.tokens -= 1;
    this.customers.set(customer, own);
    if (this.customers.size > MAX_BUCKETS) this.forgetFull(now);
    return 0;
  }

  /** How many ms until `customer` could be sent one message (0: now), taking nothing. */
  waitMs(customer: string, now: number): number {
    const { perMinute, burst, customerPerMinute, customerBurst } = this.limits;
    return Math.max(waitFor(refill(this.overall, now, perMinute, burst), perMinute), waitFor(refill(this.customers.get(customer), now, customerPerMinute, customerBurst), customerPerMinute));
  }

  private forgetFull(now: number): void {
    const { customerPerMinute, customerBurst } = this.limits;
    for (const [customer, bucket] of this.customers) {
      if (refill(bucket, now, customerPerMinute, customerBurst).tokens >= customerBurst) this.customers.delete(customer);
    }
  }
}

/** The bucket at `now`: full when never used; refilled at `perMinute`, capped at `burst`. */
function refill(bucket: Bucket | undefined, now: number, perMinute: number, burst: number): Bucket {
  if (!bucket) return { tokens: burst, at: now };
  const elapsed = Math.max(0, now - bucket.at);
  return { tokens: Math.min(burst, bucket.tokens + (elapsed * perMinute) / 60_000), at: Math.max(now, bucket.at) };
}

/** Ms until the bucket holds one whole token. */
function waitFor(bucket: Bucket, perMinute: number): number {
  if (bucket.tokens >= 1 - 1e-9) return 0; // a token refilled in float steps
  return Math.max(1, Math.ceil(((1 - bucket.tokens) * 60_000) / perMinute - 1e-6));
}
