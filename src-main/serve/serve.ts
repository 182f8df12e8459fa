// `flowbot serve`: runs every bot of a data folder that the owner switched on (Settings › Bots ›
// Always on), without the desktop app, and serves the studio to manage them. One more front end
// over the composition root, like cli/, web/ and electron/:
//
// - secrets: the encrypted file <data dir>/secrets.enc under the master key (systemd credential
//   or FLOWBOT_MASTER_KEY), never the desktop keychain (a server has none);
// - the bots: app/bot-runtimes.ts (a workspace per bot: its MCP servers in "ask" mode, its
//   model, the same store, write guard and audit log); each bot's chosen flows are checked at
//   start and before every message; linked WhatsApp sessions are resumed;
// - the studio (UI + API) through the web host, sharing those workspaces and WhatsApp services.
//
// Stopping (stop()): stop taking messages, let those in hand finish (their replies queued
// durably), close the servers and sockets, in that order, within a bound; what did not finish
// is named. After a crash the next start resumes from the store (the WhatsApp inbound rows and
// the conversations' pending calls): nothing lost, nothing written twice.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createFlowRepository } from '../adapters/flow-files/flow-repository';
import { createServeSettingsStore } from '../adapters/settings/serve-settings';
import { createSettingsStore } from '../adapters/settings/settings-store';
import { createWhatsAppSettingsStore } from '../adapters/settings/whatsapp-settings';
import { createHttpChatSettingsStore } from '../adapters/settings/http-chat-settings';
import type { SocketFactory } from '../adapters/whatsapp/socket';
import { InputError } from '../app/input-error';
import { CHANNEL_WORDS } from '../app/answering-flow';
import type { ChannelName } from '../app/bot-runtime-port';
import { chosenFlowFromSettings, createBotRuntimes, type ServedBots } from '../app/bot-runtimes';
import { startWebHost, type WebHost } from '../web/web-host';
import { asLogCallback, errorText, type JsonLog } from './json-log';
import type { RemoteAccessOptions } from '../web/remote/remote-options';
import { openServeSecrets } from './serve-secrets';
import { startScaleOut, type ScaleOut, type ScaleOutOptions } from './scale-out';
import { postgresStorage, sqliteStorage } from '../app/storage';
import { seedApprovals } from '../app/seed-approvals';
import { DB_FILE_NAME } from '../adapters/store/sqlite-store';

const CHANNELS: ChannelName[] = ['whatsapp', 'http'];

export interface ServeOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  /** The address to listen on (default: 127.0.0.1; with `remote` and TLS, every address). */
  host?: string;
  /** Serve the studio to other machines: TLS or a reverse proxy, and the sign-in (docs/remote-access.md). */
  remote?: RemoteAccessOptions;
  log: JsonLog;
  env?: NodeJS.ProcessEnv;
  /** The built renderer (default: the web host's). */
  rendererDir?: string;
  whatsappSocketFactory?: SocketFactory;
  /** One of several instances over one PostgreSQL (scale-out.ts): bots by lease, conversations ordered across instances. */
  scaleOut?: ScaleOutOptions;
}

export interface Serving {
  url: string;
  port: number;
  bots: string[];
  /** Served to other machines for the first time without a password: the one made for the owner (show it once). */
  generatedPassword?: string;
  served: ServedBots;
  /** With `scaleOut`: this instance's name in the lease rows. */
  instanceId?: string;
  /** Stops in order; resolves when everything closed. `step` names what is being closed (for a report of what hung). */
  stop(onStep?: (step: string) => void): Promise<void>;
}

export async function startServe(options: ServeOptions): Promise<Serving> {
  const { dataDir, log } = options;
  const env = options.env ?? process.env;
  if (!existsSync(dataDir) || !statSync(dataDir).isDirectory()) {
    throw new InputError(`The data folder ${dataDir} does not exist. Copy the studio's data folder there (or import a bot into it), then start again.`);
  }
  const secrets = await openServeSecrets(dataDir, env);

  const settings = createSettingsStore({ dataDir });
  const serveSettings = createServeSettingsStore({ dataDir });
  const whatsappSettings = createWhatsAppSettingsStore({ dataDir });
  const flows = createFlowRepository({ dir: join(dataDir, 'flows'), trashDir: join(dataDir, 'trash') });
  const known = new Set(settings.bots().map((b) => b.id));
  const switchedOn = serveSettings.switchedOn();
  for (const bot of switchedOn.filter((b) => !known.has(b))) log.warn('a bot switched on in the settings does not exist; skipped', { bot });
  const bots = switchedOn.filter((b) => known.has(b));
  if (bots.length === 0) log.warn('no bot is switched on: serving the studio only (switch a bot on in Settings › Bots › Always on, then restart)');

  // One instance: the data folder's flowbot.db. Several: every table in the shared PostgreSQL,
  // which takes the owner's approvals from the data folder on first use (seed-approvals.ts).
  const storage = options.scaleOut ? await postgresStorage(options.scaleOut.databaseUrl, 'flowbot serve') : sqliteStorage(dataDir);
  if (options.scaleOut && existsSync(join(dataDir, DB_FILE_NAME))) {
    const [from, to] = [sqliteStorage(dataDir).approvals(), storage.approvals()];
    try {
      const serversOf = (bot: string) => {
        try {
          return Object.keys(settings.workspace(bot).mcpServers);
        } catch {
          return []; // a config that does not parse: the bot reports it when it starts
        }
      };
      const wanted = bots.map((bot) => ({ bot, servers: serversOf(bot) }));
      for (const server of await seedApprovals(from, to, wanted)) log.info('the owner’s approval of an MCP server was copied into the database', { server });
    } catch (error) {
      await storage.close();
      throw error;
    } finally {
      await from.close();
    }
  }
  const served = createBotRuntimes({
    dataDir,
    storage,
    secrets,
    settings,
    flows,
    runs: (bot) => serveSettings.get(bot).alwaysOn,
    chosenFlow: chosenFlowFromSettings({ whatsapp: whatsappSettings, http: createHttpChatSettingsStore({ dataDir }) }),
    onMcpEvent: (bot, event) => log.info(`MCP server ${event.type}`, { bot, server: event.server }),
  });

  let host: WebHost | undefined;
  let scaleOut: ScaleOut | undefined;
  try {
    if (options.scaleOut) scaleOut = await startScaleOut(options.scaleOut, bots, log);
    // Each bot's chosen flows, checked against its servers now (this starts them): the owner
    // reads at once why a flow would not answer; the bot still runs (the check repeats per message).
    for (const bot of bots) {
      const runtime = await served.get(bot);
      for (const channel of CHANNELS) {
        try {
          const flow = await runtime?.answeringFlow(channel);
          if (flow) log.info(`answers on ${CHANNEL_WORDS[channel]} with “${flow.flow.name}”`, { bot, channel, flow: flow.source });
          else log.warn(`no flow is chosen to answer on ${CHANNEL_WORDS[channel]}: its messages are kept, not answered`, { bot, channel });
        } catch (error) {
          log.error(`the chosen flow cannot answer on ${CHANNEL_WORDS[channel]}`, { bot, channel, error: errorText(error) });
        }
      }
    }
    host = await startWebHost({
      dataDir,
      port: options.port,
      ...(options.host !== undefined ? { host: options.host } : {}),
      ...(options.remote ? { remote: { onAccessEvent: (event) => log.info(`studio ${event.type}`, { ...event }), ...options.remote } } : {}),
      secrets,
      served,
      env,
      log: asLogCallback(log),
      ...(options.rendererDir ? { rendererDir: options.rendererDir } : {}),
      ...(options.whatsappSocketFactory ? { whatsappSocketFactory: options.whatsappSocketFactory } : {}),
      ...(scaleOut ? { coordination: scaleOut.coordination, health: scaleOut.health } : {}),
      storage,
    });
    // Several instances: a bot's WhatsApp connects on the instance that gets its lease.
    if (scaleOut) scaleOut.start(host.studio.whatsapp);
    else {
      for (const { bot, error } of await host.studio.whatsapp.resumeLinked(bots)) {
        if (error === undefined) log.info('WhatsApp session resumed', { bot, channel: 'whatsapp' });
      }
    }
  } catch (error) {
    await scaleOut?.stop();
    await host?.close();
    await served.close();
    await scaleOut?.closePools();
    await storage.close();
    throw error;
  }

  const web = host;
  return {
    url: web.url,
    port: web.port,
    bots,
    ...(web.generatedPassword !== undefined ? { generatedPassword: web.generatedPassword } : {}),
    served,
    ...(scaleOut ? { instanceId: scaleOut.instanceId } : {}),
    async stop(onStep = () => undefined) {
      if (scaleOut) {
        // The bots' connections stop here and their leases are released: another instance takes them at once.
        onStep('the bots’ WhatsApp leases (handed to the other instances)');
        await scaleOut.stop();
      }
      // The web host closes its connections, then the studio: WhatsApp stops receiving and
      // finishes the messages in hand before anything they need is closed.
      onStep('the web host and the channels (messages in hand finishing)');
      await web.close();
      onStep('the bots’ workspaces (MCP servers, model, store)');
      await served.close();
      if (scaleOut) {
        onStep('the database connections');
        await scaleOut.closePools();
        await storage.close();
      }
    },
  };
}
