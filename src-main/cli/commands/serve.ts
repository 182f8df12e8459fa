// flowbot serve --data-dir DIR [--host H] [--port P] [--public-host NAME... (--tls-cert F --tls-key F | --behind-proxy [--trusted-proxy IP...])] [--database URL] [--check [--json]]
// flowbot serve status --database URL [--json] (serve-status.ts)
// Runs the switched-on bots of DIR and serves the studio (src-main/serve/), logging JSON lines
// to stdout, until SIGTERM/SIGINT: then it stops within STOP_BOUND_MS (exit 0), or exits 1
// naming what hung. --check lists every problem of DIR and exits 0/1 without starting anything.
import { resolve } from 'node:path';
import { SecretsFileError } from '../../adapters/secrets/encrypted-file-secrets';
import { SettingsError } from '../../adapters/settings/settings-store';
import { DatabaseUrlError } from '../../adapters/postgres/open-pool';
import { InputError } from '../../app/input-error';
import { installShutdownHooks } from '../../app/shutdown';
import { DEFAULT_RENDERER_DIR } from '../../web/web-host';
import { checkServe, formatProblem } from '../../serve/check';
import { createJsonLog, errorText } from '../../serve/json-log';
import { startServe } from '../../serve/serve';
import { leaseTtlFromEnv } from '../../serve/scale-out';
import { remoteAccessFromFlags, remoteFlags } from '../remote-flags';
import { serveStatusCommand } from './serve-status';
import { EXIT, UsageError, parse, printJson } from '../usage';

/** How long a stop may take (messages in hand finishing, servers closing) before the process exits anyway. */
export const STOP_BOUND_MS = 10_000;

const OPTIONS = {
  'data-dir': { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  ...remoteFlags,
  database: { type: 'string' },
  check: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

export async function serveCommand(argv: string[]): Promise<number> {
  if (argv[0] === 'status') return serveStatusCommand(argv.slice(1));
  const { values } = parse(argv, OPTIONS, false);
  // A server must say which folder it serves: the desktop app's own folder is never served by accident.
  if (!values['data-dir']) throw new UsageError('serve needs --data-dir DIR (the folder with the bots’ settings, flows and conversations)');
  const dataDir = resolve(values['data-dir']);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!/^\d+$/.test(values.port ?? '0') || port > 65535) throw new UsageError(`--port needs a whole number from 0 to 65535 (0 picks a free one), not "${values.port}"`);
  // Checked before --check too: a unit file with wrong flags fails its ExecStartPre.
  const remote = remoteAccessFromFlags(values);

  const databaseUrl = values.database ?? process.env.DATABASE_URL;
  if (values.check) {
    const { problems, bots } = await checkServe({ dataDir, rendererDir: DEFAULT_RENDERER_DIR, ...(databaseUrl ? { databaseUrl } : {}) });
    if (values.json) printJson({ ok: problems.length === 0, bots, problems });
    else {
      for (const problem of problems) process.stdout.write(`${formatProblem(problem)}\n`);
      process.stdout.write(
        problems.length === 0
          ? `OK: ${bots.length} bot${bots.length === 1 ? '' : 's'} ready to serve (${bots.join(', ')}).\n`
          : `${problems.length} problem${problems.length === 1 ? '' : 's'} found.\n`,
      );
    }
    return problems.length === 0 ? EXIT.ok : EXIT.failed;
  }

  const log = createJsonLog();
  let serving;
  try {
    serving = await startServe({
      ...(databaseUrl ? { scaleOut: { databaseUrl, leaseTtlMs: leaseTtlFromEnv(process.env) } } : {}),
      dataDir,
      port,
      ...(values.host !== undefined ? { host: values.host } : {}),
      ...(remote ? { remote } : {}),
      log,
    });
  } catch (error) {
    if (error instanceof SecretsFileError || error instanceof InputError || error instanceof SettingsError || error instanceof DatabaseUrlError) {
      log.error('flowbot serve did not start', { error: errorText(error) });
      process.stderr.write(`flowbot: ${errorText(error)}\n`);
      return error instanceof InputError || error instanceof DatabaseUrlError ? EXIT.badInput : EXIT.failed;
    }
    throw error;
  }
  log.info('serving', { url: serving.url, port: serving.port, bots: serving.bots, dataDir, ...(serving.instanceId ? { instance: serving.instanceId } : {}) });
  // Once, on the terminal (or the journal), never in the JSON log: "flowbot web-password" sets your own.
  if (serving.generatedPassword !== undefined) {
    process.stderr.write(`The studio's sign-in password (shown only now; set your own with: flowbot web-password --data-dir ${dataDir}):\n${serving.generatedPassword}\n`);
  }

  let step = 'nothing yet';
  await new Promise<void>(() => {
    installShutdownHooks(
      [
        {
          close: () =>
            serving.stop((now) => {
              step = now;
              log.info(`closing ${now}`);
            }).then(
              () => log.info('stopped'),
              (error: unknown) => log.error('stopping failed', { during: step, error: errorText(error) }),
            ),
        },
      ],
      {
        signals: ['SIGINT', 'SIGTERM'],
        timeoutMs: STOP_BOUND_MS,
        onSignal: (signal) => log.info('stopping: no new messages are taken, those in hand finish', { signal }),
        onTimeout: () => log.error(`stopping did not finish within ${STOP_BOUND_MS / 1000} s: exiting anyway`, { hung: step }),
        exitCodes: { closed: EXIT.ok, timedOut: EXIT.failed },
      },
    );
  });
  return EXIT.ok; // never reached: the shutdown hook exits the process
}
