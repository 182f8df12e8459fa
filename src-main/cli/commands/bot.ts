// flowbot bot export --bot B --out FILE [--data-dir D]
// flowbot bot import FILE [--as NEW_ID] [--replace] [--keep-pins] [--data-dir D] [--json]
// flowbot bot api-key --bot B [--rotate | --revoke]   (./bot-api-key.ts)
//
// Moves a bot between data dirs (the desktop's to a server's) as a bundle (app/bot-bundles.ts).
// The bundle carries no secret value: import lists each secret the bot needs with the command
// that stores it. The servers' consents never travel: the owner approves each command line on
// this machine. Tool pins travel only with --keep-pins.
import { existsSync, mkdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createFlowRepository } from '../../adapters/flow-files/flow-repository';
import { createSettingsStore, SettingsError } from '../../adapters/settings/settings-store';
import { createWhatsAppSettingsStore } from '../../adapters/settings/whatsapp-settings';
import { createKeytarSecrets } from '../../adapters/secrets/keytar-secrets';
import { openApprovalsStore } from '../../adapters/store/approvals-store';
import { createCaseRepository } from '../../adapters/test-case-files/test-case-files';
import { BundleError, exportBot, importBot, type BotBundleDeps, type BundleImportResult } from '../../app/bot-bundles';
import { setSecretCommand } from '../../app/resolve-value';
import { DEFAULT_BOT } from '../../app/workspace';
import type { SecretsPort } from '../../runtime/ports';
import { apiKeyCommand } from './bot-api-key';
import { EXIT, UsageError, botOf, botOption, dataDirOf, dataDirOption, parse, printJson } from '../usage';

export interface BotCommandDeps {
  /** Where secrets are looked up (default: the OS keychain). */
  secrets?: SecretsPort;
  out?: (text: string) => void;
  err?: (text: string) => void;
}

export async function botCommand(argv: string[], deps: BotCommandDeps = {}): Promise<number> {
  const [sub, ...rest] = argv;
  const out = deps.out ?? ((text: string) => process.stdout.write(text));
  const err = deps.err ?? ((text: string) => process.stderr.write(text));
  try {
    if (sub === 'export') return await exportCommand(rest, deps, out);
    if (sub === 'import') return await importCommand(rest, deps, out);
    if (sub === 'api-key') return await apiKeyCommand(rest, deps.secrets ? { secrets: deps.secrets } : {});
  } catch (error) {
    if (error instanceof BundleError || error instanceof SettingsError) {
      err(`flowbot: ${error.message}\n`);
      return error instanceof BundleError && error.reason === 'invalid' ? EXIT.badInput : EXIT.failed;
    }
    throw error;
  }
  throw new UsageError(`bot needs "export", "import" or "api-key"${sub ? `, not "${sub}"` : ''}`);
}

function bundleDeps(dataDir: string, secrets: SecretsPort | undefined): BotBundleDeps {
  const flowsDir = join(dataDir, 'flows');
  mkdirSync(flowsDir, { recursive: true });
  return {
    settings: createSettingsStore({ dataDir }),
    whatsapp: createWhatsAppSettingsStore({ dataDir }),
    flows: createFlowRepository({ dir: flowsDir, trashDir: join(dataDir, 'trash') }),
    cases: createCaseRepository({ flowsDir }),
    withApprovals: async (work) => {
      const approvals = openApprovalsStore(dataDir);
      try {
        return await work(approvals);
      } finally {
        approvals.close();
      }
    },
    secrets: secrets ?? createKeytarSecrets({ timeoutMs: 10_000 }),
  };
}

async function exportCommand(argv: string[], deps: BotCommandDeps, out: (text: string) => void): Promise<number> {
  const { values, positionals } = parse(argv, { ...botOption, ...dataDirOption, out: { type: 'string' } }, false);
  if (positionals.length) throw new UsageError('bot export takes no positional arguments');
  const file = typeof values.out === 'string' ? values.out : undefined;
  if (!file) throw new UsageError('bot export needs --out FILE (the bundle is written there, never over an existing file)');
  if (existsSync(file)) throw new UsageError(`bot export: ${file} exists already; choose another --out (a file is never overwritten)`);
  const bot = botOf(values) ?? DEFAULT_BOT;
  const dataDir = dataDirOf(values);
  const exported = await exportBot(bundleDeps(dataDir, deps.secrets), bot);
  await writeFile(file, exported.text, { flag: 'wx', mode: 0o600 });
  out(`Exported the bot "${bot}" to ${file}. It holds no secret value: import it with "flowbot bot import ${file}".\n`);
  for (const skipped of exported.skipped) out(`  not included: ${skipped}\n`);
  return EXIT.ok;
}

async function importCommand(argv: string[], deps: BotCommandDeps, out: (text: string) => void): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...dataDirOption,
    as: { type: 'string' },
    replace: { type: 'boolean' },
    'keep-pins': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError('bot import needs exactly one bundle FILE');
  const file = positionals[0]!;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`bot import cannot read ${file}: ${(error as Error).message}`);
  }
  const as = typeof values.as === 'string' ? values.as : undefined;
  const result = await importBot(bundleDeps(dataDirOf(values), deps.secrets), text, {
    ...(as !== undefined ? { as } : {}),
    replace: values.replace === true,
    keepToolPins: values['keep-pins'] === true,
  });
  if (values.json) printJson(result);
  else out(importReport(result));
  return EXIT.ok;
}

/** What was imported and what the owner must still do on this machine. */
export function importReport(result: BundleImportResult): string {
  const lines = [`Imported the bot "${result.bot.name}" as "${result.bot.id}"${result.target.exists ? ' (replacing the bot of that id)' : ''}.`];
  for (const flow of result.flows) {
    if (flow.outcome === 'same') lines.push(`  flow "${flow.id}": the same flow is here already (kept)`);
    else if (flow.outcome === 'renamed') lines.push(`  flow "${flow.id}": imported as "${flow.importAs}" (the id "${flow.id}" is taken by another flow)`);
    else lines.push(`  flow "${flow.id}": imported`);
  }
  if (result.toolPins.length) {
    lines.push(
      result.toolPinsKept
        ? `Tool approvals kept (--keep-pins): ${result.toolPins.map((p) => `${p.server}: ${p.tools.join(', ')}`).join('; ')}.`
        : 'Tool approvals were not kept: review and approve the tools again (or import with --keep-pins).',
    );
  }
  if (result.serversNeedingConsent.length) {
    lines.push('The MCP servers run on this machine now: approve each command line before it starts (Settings → MCP servers, or "flowbot mcp tools"):');
    for (const server of result.servers) lines.push(`  ${server.name}: ${server.command}`);
  }
  const missing = result.secrets.filter((s) => s.present !== true);
  if (missing.length) {
    lines.push('Secrets to set (their values never travel in a bundle):');
    for (const secret of missing) {
      lines.push(`  ${secret.name} (${secret.field}${secret.present === undefined ? '; the keychain could not be checked' : ''}): ${setSecretCommand(secret.name, secret.scope, result.bot.id, DEFAULT_BOT)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
