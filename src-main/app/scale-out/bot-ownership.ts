// Which bots' WhatsApp connections this `flowbot serve` instance holds, when several share one
// PostgreSQL: per bot a heartbeat loop over its lease row (core/bot-lease.ts decides,
// adapters/postgres/bot-leases.ts applies). Gaining a bot starts its connection with a fence (its
// sends check the token against the row); losing it (taken over, or the database out of reach
// for a whole TTL) stops the connection. A clean stop releases the leases so another instance
// takes the bots over at once instead of after the TTL.
import { decideLease, heartbeatMs, stillHeldLocally, type BotLease, type LeaseTiming } from '../../core/bot-lease';
import type { BotLeases } from '../../adapters/postgres/bot-leases';

/** What the WhatsApp send path asks before every send (adapters/whatsapp/whatsapp-channel.ts). */
export interface SendFence {
  holds(): Promise<boolean>;
}

export interface BotOwnershipDeps {
  leases: BotLeases;
  /** This process's id (random per start). */
  instance: string;
  bots: readonly string[];
  timing: LeaseTiming;
  /** The local clock, for the self-fence when the database cannot be reached. */
  now?: () => number;
  /** This instance now holds `bot`: start its connection, its sends behind `fence`. */
  onGained(bot: string, fence: SendFence): Promise<void>;
  /** This instance no longer holds `bot` (or is stopping): stop its connection. */
  onLost(bot: string, why: 'taken_over' | 'unreachable' | 'stopping'): Promise<void>;
  log(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>): void;
}

export interface BotOwnership {
  start(): void;
  /** Stops the loops, hands every held bot over (its connection stopped first), resolves when done. */
  stop(): Promise<void>;
  /** The bots held now, with their tokens. */
  held(): ReadonlyMap<string, number>;
}

interface Held {
  token: number;
  /** Local time at which the last successful renewal was sent. */
  confirmedAt: number;
}

export function createBotOwnership(deps: BotOwnershipDeps): BotOwnership {
  const now = deps.now ?? Date.now;
  const held = new Map<string, Held>();
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Map<string, Promise<void>>();
  let stopped = false;

  const fenceOf = (bot: string, token: number): SendFence => ({
    holds: async () => held.get(bot)?.token === token && (await deps.leases.holds(bot, deps.instance, token)),
  });

  async function lose(bot: string, why: 'taken_over' | 'unreachable'): Promise<void> {
    held.delete(bot);
    deps.log('warn', why === 'taken_over' ? 'another instance took this bot over: its WhatsApp connection stops here' : 'the database cannot be reached: this bot’s WhatsApp connection stops here until it can', { bot });
    await deps.onLost(bot, why).catch((error: unknown) => deps.log('error', 'stopping the bot’s connection failed', { bot, error: String(error) }));
  }

  async function gain(bot: string, lease: BotLease, sentAt: number, from?: string): Promise<void> {
    held.set(bot, { token: lease.token, confirmedAt: sentAt });
    deps.log('info', from === undefined ? 'this instance holds the bot’s WhatsApp connection' : 'this instance took the bot’s WhatsApp connection over', { bot, token: lease.token, ...(from !== undefined ? { from } : {}) });
    await deps.onGained(bot, fenceOf(bot, lease.token)).catch((error: unknown) => deps.log('error', 'starting the bot’s connection failed', { bot, error: String(error) }));
  }

  /** One look at the bot's lease; returns when to look again (ms from now). */
  async function tick(bot: string): Promise<number> {
    const beat = heartbeatMs(deps.timing);
    const mine = held.get(bot);
    const sentAt = now();
    try {
      const { lease, now: dbNow } = await deps.leases.read(bot);
      const decision = decideLease(lease, { instance: deps.instance, ...(mine ? { token: mine.token } : {}) }, dbNow, deps.timing);
      if (mine && decision.kind !== 'renew') {
        await lose(bot, 'taken_over');
        return beat;
      }
      switch (decision.kind) {
        case 'renew': {
          const renewed = await deps.leases.renew(bot, deps.instance, decision.token, deps.timing.ttlMs);
          if (renewed) mine!.confirmedAt = sentAt;
          else await lose(bot, 'taken_over');
          return beat;
        }
        case 'acquire': {
          const got = await deps.leases.acquire(bot, deps.instance, deps.timing.ttlMs);
          if (got) await gain(bot, got, sentAt);
          return got ? beat : 0;
        }
        case 'take_over': {
          const got = await deps.leases.takeOver(bot, deps.instance, decision.fromToken, deps.timing.ttlMs);
          if (got) await gain(bot, got, sentAt, decision.from);
          return got ? beat : 0;
        }
        case 'wait':
          return Math.max(1, Math.min(beat, decision.retryAt - dbNow));
      }
    } catch (error) {
      if (mine && !stillHeldLocally(mine.confirmedAt, now(), deps.timing)) await lose(bot, 'unreachable');
      else deps.log('warn', 'the bot’s lease could not be checked (the database?): trying again', { bot, error: String(error) });
      return beat;
    }
  }

  function loop(bot: string): void {
    if (stopped) return;
    const run = tick(bot).then((delay) => {
      if (stopped) return;
      // A holder that cannot renew stops on time: the next look comes no later than its local deadline.
      const mine = held.get(bot);
      const deadline = mine ? Math.max(0, mine.confirmedAt + deps.timing.ttlMs - now()) : Infinity;
      const timer = setTimeout(() => loop(bot), Math.min(delay, deadline));
      timer.unref?.();
      timers.set(bot, timer);
    });
    running.set(bot, run);
  }

  return {
    start() {
      for (const bot of deps.bots) loop(bot);
    },
    async stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      await Promise.all(running.values());
      await Promise.all(
        [...held].map(async ([bot, { token }]) => {
          await deps.onLost(bot, 'stopping').catch((error: unknown) => deps.log('error', 'stopping the bot’s connection failed', { bot, error: String(error) }));
          await deps.leases.release(bot, deps.instance, token).catch(() => undefined); // it expires by itself otherwise
          held.delete(bot);
        }),
      );
    },
    held: () => new Map([...held].map(([bot, h]) => [bot, h.token])),
  };
}
