// flowbot serve status --database URL [--json]
// Several `flowbot serve` instances on one PostgreSQL: which instance holds which bot's WhatsApp
// connection (and since when, its last heartbeat, when it expires) and how much waits per bot.
import { DatabaseUrlError, openPool, redactUrl } from '../../adapters/postgres/open-pool';
import { readServeStatus, type BotStatus } from '../../adapters/postgres/serve-status';
import { EXIT, UsageError, parse, printJson } from '../usage';

const OPTIONS = { database: { type: 'string' }, json: { type: 'boolean' } } as const;

export async function serveStatusCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parse(argv, OPTIONS, false);
  const url = values.database ?? env.DATABASE_URL;
  if (!url) throw new UsageError('serve status needs --database postgres://… (or DATABASE_URL): the PostgreSQL the instances share');
  let pool;
  try {
    pool = openPool(url, { max: 1, application: 'flowbot serve status' });
  } catch (error) {
    if (error instanceof DatabaseUrlError) throw new UsageError(error.message);
    throw error;
  }
  try {
    let status;
    try {
      status = await readServeStatus(pool);
    } catch (error) {
      process.stderr.write(`flowbot: the database ${redactUrl(url)} cannot be read: ${error instanceof Error ? error.message : String(error)}\n`);
      return EXIT.failed;
    }
    const { now, bots } = status;
    if (values.json) {
      printJson({
        bots: bots.map(({ bot, lease, queue }) => ({
          bot,
          ...(lease
            ? { holder: lease.holder, token: lease.token, heldForMs: now - lease.acquiredAt, heartbeatAgoMs: now - lease.renewedAt, expiresInMs: lease.expiresAt - now, live: lease.expiresAt > now }
            : {}),
          queue,
        })),
      });
    } else {
      if (bots.length === 0) process.stdout.write('No bot is held or waiting: no instance has started on this database yet.\n');
      for (const bot of bots) process.stdout.write(`${describe(bot, now)}\n`);
    }
    return EXIT.ok;
  } finally {
    await pool.end();
  }
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function describe({ bot, lease, queue }: BotStatus, now: number): string {
  const holder = !lease
    ? 'held by no instance'
    : lease.expiresAt > now
      ? `held by ${lease.holder} for ${seconds(now - lease.acquiredAt)} (heartbeat ${seconds(now - lease.renewedAt)} ago, token ${lease.token})`
      : `free: the lease of ${lease.holder} expired ${seconds(now - lease.expiresAt)} ago (token ${lease.token}); another instance takes it over`;
  const waiting = `waiting: ${queue.httpWaiting} HTTP chat message${queue.httpWaiting === 1 ? '' : 's'}, ${queue.whatsappInWaiting} WhatsApp message${queue.whatsappInWaiting === 1 ? '' : 's'} in, ${queue.whatsappOutWaiting} repl${queue.whatsappOutWaiting === 1 ? 'y' : 'ies'} out`;
  return `${bot}: ${holder}; ${waiting}`;
}
