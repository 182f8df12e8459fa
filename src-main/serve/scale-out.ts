// `flowbot serve` as one of several instances over one PostgreSQL (README "Several instances"):
// the bots' WhatsApp connections by lease (app/scale-out/bot-ownership.ts: each held by one
// instance, taken over within the lease TTL when it dies, sends fenced by the token), the HTTP
// chat's per-conversation order across instances (advisory locks), and what /readyz checks.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { openBotLeases } from '../adapters/postgres/bot-leases';
import { createConversationLocks } from '../adapters/postgres/conversation-locks';
import { openPool, redactUrl } from '../adapters/postgres/open-pool';
import { InputError } from '../app/input-error';
import { createBotOwnership, type BotOwnership, type SendFence } from '../app/scale-out/bot-ownership';
import type { Coordination } from '../app/scale-out/coordination';
import type { HealthChecks, Readiness } from '../web/health-routes';
import { PG_SCHEMA_VERSION, schemaVersion } from '../adapters/postgres/migrations';
import type { JsonLog } from './json-log';

/** Default lease TTL: a dead instance's bots move within this (FLOWBOT_LEASE_TTL_MS changes it). */
export const DEFAULT_LEASE_TTL_MS = 15_000;
/** How long /readyz waits for the database before it says it is unreachable. */
const READY_TIMEOUT_MS = 2_000;
/**
 * Conversations handled at once on this instance (each holds a database connection for its lock
 * while handled; more wait for one). With the 4 of the leases and the store's 10 (app/storage.ts),
 * 46 per instance: two instances stay inside PostgreSQL's default max_connections (100).
 */
const LOCK_CONNECTIONS = 32;

export interface ScaleOutOptions {
  databaseUrl: string;
  /** This instance's name in the lease rows (default: host name, process id and a random suffix). */
  instanceId?: string;
  leaseTtlMs?: number;
}

/** Reads FLOWBOT_LEASE_TTL_MS (whole milliseconds, at least 300), or the default. */
export function leaseTtlFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env.FLOWBOT_LEASE_TTL_MS;
  if (raw === undefined || raw === '') return DEFAULT_LEASE_TTL_MS;
  if (!/^\d+$/.test(raw) || Number(raw) < 300) throw new InputError(`FLOWBOT_LEASE_TTL_MS must be a whole number of milliseconds, at least 300, not "${raw}"`);
  return Number(raw);
}

/** `flowbot serve --check --database`: why the database cannot serve as the instances' shared one, or undefined. */
export async function probeDatabase(url: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  try {
    leaseTtlFromEnv(env);
  } catch (error) {
    return (error as Error).message;
  }
  let pool: Pool;
  try {
    pool = openPool(url, { max: 1, application: 'flowbot serve --check' });
  } catch (error) {
    return (error as Error).message;
  }
  try {
    await pool.query('SELECT 1');
    return undefined;
  } catch (error) {
    return `the database ${redactUrl(url)} cannot be reached: ${(error as Error).message}`;
  } finally {
    await pool.end();
  }
}

export interface ScaleOut {
  instanceId: string;
  coordination: Coordination;
  health: HealthChecks;
  /** Starts taking bots by lease; gained bots are connected by `whatsapp`, lost ones stopped. */
  start(whatsapp: { resumeLinked(bots: readonly string[]): Promise<unknown>; stopBot(bot: string): Promise<void> }): void;
  /** Hands the held bots over (connections stopped, leases released), then closes the pools. */
  stop(): Promise<void>;
  closePools(): Promise<void>;
}

export async function startScaleOut(options: ScaleOutOptions, bots: readonly string[], log: JsonLog): Promise<ScaleOut> {
  const instanceId = options.instanceId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const ttlMs = options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
  const pool: Pool = openPool(options.databaseUrl, { max: 4, application: `flowbot serve ${instanceId}` });
  const lockPool: Pool = openPool(options.databaseUrl, { max: LOCK_CONNECTIONS, application: `flowbot serve ${instanceId} (conversation locks)` });
  const leases = await openBotLeases(pool).catch(async (error: unknown) => {
    await Promise.all([pool.end(), lockPool.end()]);
    throw error;
  });
  const fences = new Map<string, SendFence>();
  let ownership: BotOwnership | undefined;

  const readiness = async (): Promise<Readiness> => {
    // Ready once the database answers at the schema this Flowbot writes (migrations.ts).
    const probe = schemaVersion(pool).then((version) => ({ migrated: version === PG_SCHEMA_VERSION }));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), READY_TIMEOUT_MS);
    });
    const result = await Promise.race([probe, timeout]).catch(() => undefined);
    clearTimeout(timer);
    if (!result) return { ready: false, reason: 'database_unreachable' };
    return result.migrated ? { ready: true } : { ready: false, reason: 'migrations_pending' };
  };

  return {
    instanceId,
    coordination: {
      order: createConversationLocks(lockPool),
      // No fence of the current lease: this instance does not hold the bot, and sends nothing for it.
      fence: (bot) => ({ holds: async () => (await fences.get(bot)?.holds()) ?? false }),
    },
    health: { readiness },
    start(whatsapp) {
      ownership = createBotOwnership({
        leases,
        instance: instanceId,
        bots,
        timing: { ttlMs },
        async onGained(bot, fence) {
          fences.set(bot, fence);
          await whatsapp.resumeLinked([bot]);
        },
        async onLost(bot) {
          fences.delete(bot);
          await whatsapp.stopBot(bot);
        },
        log: (level, message, fields) => log[level](message, { instance: instanceId, ...fields }),
      });
      ownership.start();
    },
    async stop() {
      await ownership?.stop();
    },
    async closePools() {
      await Promise.all([pool.end(), lockPool.end()]);
    },
  };
}
