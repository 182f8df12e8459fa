// `flowbot serve --check`: everything that would keep the served bots from answering, found
// without starting anything (no server, no model, no WhatsApp): the data folder, the settings,
// each switched-on bot's workspace config and chosen flows (the validator against the config),
// the master key and the secrets the configs refer to, the MCP servers' approvals. Every
// problem is listed (where: file, bot, field), not only the first.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { validateFlow } from '../core/validate';
import { secretRefsOf } from '../core/secret-refs';
import { secretAccount } from '../core/secret-account';
import type { WorkspaceConfig } from '../shared/workspace-config';
import { createFlowRepository } from '../adapters/flow-files/flow-repository';
import { createServeSettingsStore } from '../adapters/settings/serve-settings';
import { createSettingsStore, settingsFile } from '../adapters/settings/settings-store';
import { createWhatsAppSettingsStore } from '../adapters/settings/whatsapp-settings';
import { createHttpChatSettingsStore } from '../adapters/settings/http-chat-settings';
import { openApprovalsStore } from '../adapters/store/approvals-store';
import { postgresStorage, type Storage } from '../app/storage';
import type { KeytarSecrets } from '../adapters/secrets/keytar-secrets';
import { chosenFlowFromSettings } from '../app/bot-runtimes';
import { CHANNEL_WORDS } from '../app/answering-flow';
import type { ChannelName } from '../app/bot-runtime-port';
import { errorText } from './json-log';
import { openServeSecrets, serveSecretsFile } from './serve-secrets';
import { probeDatabase } from './scale-out';

export interface ServeProblem {
  /** The file the problem is in (settings.json, a flow file, secrets.enc), when there is one. */
  file?: string;
  bot?: string;
  /** Where in the file: a settings path, a flow step id, a config field. */
  field?: string;
  message: string;
}

export interface CheckOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /** The built editor the studio serves (index.html in it). */
  rendererDir: string;
  /** `--database`: the PostgreSQL the instances share (checked to answer). */
  databaseUrl?: string;
}

const DB_FILE = 'flowbot.db';

export async function checkServe(options: CheckOptions): Promise<{ problems: ServeProblem[]; bots: string[] }> {
  const { dataDir } = options;
  const problems: ServeProblem[] = [];
  const add = (problem: ServeProblem) => problems.push(problem);
  if (!existsSync(join(options.rendererDir, 'index.html'))) add({ file: join(options.rendererDir, 'index.html'), message: 'the editor is not built (run "npm run build"): serve cannot offer the studio' });
  if (!existsSync(dataDir) || !statSync(dataDir).isDirectory()) {
    add({ file: dataDir, message: 'the data folder does not exist' });
    return { problems, bots: [] };
  }
  const file = settingsFile(dataDir);
  if (!existsSync(file)) {
    add({ file, message: 'there are no settings: this folder has no bots (copy the studio’s data folder, or import a bot)' });
    return { problems, bots: [] };
  }
  const settings = createSettingsStore({ dataDir });
  let known: string[];
  try {
    known = settings.bots().map((b) => b.id);
  } catch (error) {
    add({ file, message: errorText(error) });
    return { problems, bots: [] };
  }
  const serve = createServeSettingsStore({ dataDir });
  const whatsapp = createWhatsAppSettingsStore({ dataDir });
  const http = createHttpChatSettingsStore({ dataDir });
  const chosen = chosenFlowFromSettings({ whatsapp, http });

  /** The flows chosen for the bot's channels: each checked once, against the bot's config. */
  const checkFlows = async (bot: string, config: WorkspaceConfig) => {
    const picks: { flowId: string; field: string; channel: ChannelName }[] = [];
    try {
      const whatsappFlow = whatsapp.get(bot).flowId;
      if (whatsappFlow) picks.push({ flowId: whatsappFlow, field: `whatsapp.${bot}.flowId`, channel: 'whatsapp' });
    } catch (error) {
      add({ file, bot, field: `whatsapp.${bot}`, message: errorText(error) });
      return; // which flow answers is unknown until the entry is fixed
    }
    let httpFlow: string | undefined;
    try {
      httpFlow = chosen(bot, 'http');
    } catch (error) {
      add({ file, bot, field: `httpChat.${bot}`, message: errorText(error) });
    }
    if (httpFlow && !picks.some((p) => p.flowId === httpFlow)) picks.push({ flowId: httpFlow, field: `httpChat.${bot}.flowId`, channel: 'http' });
    if (picks.length === 0) add({ file, bot, field: `whatsapp.${bot}.flowId`, message: 'no flow is chosen to answer customers (the WhatsApp screen › Flow that answers)' });
    for (const { flowId, field, channel } of picks) {
      const entry = await flows.read(flowId);
      if (!entry) add({ file, bot, field, message: `the flow "${flowId}" that answers on ${CHANNEL_WORDS[channel]} does not exist` });
      else if (entry.kind === 'broken') for (const p of entry.problems) add({ file: entry.file, bot, ...(p.nodeId ? { field: p.nodeId } : {}), message: p.message });
      else {
        for (const p of validateFlow(entry.flow, { config }).filter((x) => x.severity === 'error')) {
          add({ file: entry.file, bot, ...(p.nodeId ? { field: p.nodeId } : {}), message: p.message });
        }
      }
    }
  };

  const bots: string[] = [];
  for (const bot of known) {
    try {
      if (serve.get(bot).alwaysOn) bots.push(bot);
    } catch (error) {
      add({ file, bot, field: `serve.${bot}`, message: errorText(error) });
    }
  }
  try {
    for (const bot of serve.switchedOn().filter((b) => !known.includes(b))) add({ file, bot, field: `serve.${bot}.alwaysOn`, message: `the bot "${bot}" is switched on, but there is no such bot` });
  } catch {
    // an entry that does not parse was reported above for its bot, or names no bot: nothing more to say
  }
  if (bots.length === 0 && problems.length === 0) add({ file, field: 'serve', message: 'no bot is switched on (Settings › Bots › Always on): serve would answer no one' });

  let database: Storage | undefined;
  if (options.databaseUrl !== undefined) {
    const problem = await probeDatabase(options.databaseUrl, options.env ?? process.env);
    if (problem) add({ field: '--database', message: problem });
    else database = await postgresStorage(options.databaseUrl, 'flowbot serve --check').catch((error: unknown) => void add({ field: '--database', message: errorText(error) }));
  }
  const secrets = await openSecrets(dataDir, options.env ?? process.env, add);
  const flows = createFlowRepository({ dir: join(dataDir, 'flows'), trashDir: join(dataDir, 'trash') });
  // With a database, serve copies the folder's approvals it lacks (app/seed-approvals.ts): either place counts.
  const approvals = existsSync(join(dataDir, DB_FILE)) ? openApprovalsStore(dataDir) : undefined;
  const shared = database?.approvals();
  const approved = async (bot: string, server: string) => (await shared?.serverApproval(bot, server)) ?? approvals?.serverApproval(bot, server);
  try {
    for (const bot of bots) {
      let config: WorkspaceConfig;
      try {
        config = settings.workspace(bot);
      } catch (error) {
        add({ file, bot, field: `bots.${bot}.workspace`, message: errorText(error) });
        continue;
      }
      await checkFlows(bot, config);
      for (const server of Object.keys(config.mcpServers)) {
        if (!(await approved(bot, server))) {
          add({ file, bot, field: `bots.${bot}.workspace.mcpServers.${server}`, message: `the MCP server "${server}" is not approved for this bot: it will not start (approve it in the studio, Settings › MCP servers)` });
        }
      }
      if (secrets) {
        for (const ref of secretRefsOf(config)) {
          if ((await secrets.get(secretAccount({ bot, scope: ref.scope, name: ref.name }))) === undefined) {
            add({ file: serveSecretsFile(dataDir), bot, field: ref.field, message: `the secret "${ref.name}" (scope "${ref.scope}") is not set` });
          }
        }
      }
    }
  } finally {
    approvals?.close();
    await database?.close();
  }
  return { problems, bots };
}

async function openSecrets(dataDir: string, env: NodeJS.ProcessEnv, add: (p: ServeProblem) => void): Promise<KeytarSecrets | undefined> {
  try {
    return await openServeSecrets(dataDir, env);
  } catch (error) {
    add({ file: serveSecretsFile(dataDir), message: errorText(error) });
    return undefined;
  }
}

/** One line per problem: `file: bot "b": field: message`. */
export function formatProblem(problem: ServeProblem): string {
  return [problem.file, problem.bot !== undefined ? `bot "${problem.bot}"` : undefined, problem.field, problem.message].filter(Boolean).join(': ');
}
