// The composition root of the studio (the editor's API): builds the service from the real
// adapters. The Electron main process and the web host both get theirs from here, so what CI
// drives through the web host is exactly what the desktop app runs.
import { mkdirSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { createApiDispatcher, type ApiDispatcher } from '../api/dispatcher';
import { createFlowRepository, FLOW_FILE_SUFFIX } from '../adapters/flow-files/flow-repository';
import { isFlowId } from '../adapters/flow-files/flow-ids';
import { createSettingsStore } from '../adapters/settings/settings-store';
import { createKeytarSecrets, type KeytarSecrets } from '../adapters/secrets/keytar-secrets';
import { sqliteStorage, type Storage } from './storage';
import { createEventHub } from './event-hub';
import { createActiveBotMcp } from './active-bot-mcp';
import { createStudioAudit } from './studio-audit';
import { createStudioWhatsApp, type StudioWhatsApp } from './studio-whatsapp';
import type { ServedBots } from './bot-runtimes';
import { createWhatsAppSettingsStore } from '../adapters/settings/whatsapp-settings';
import { createServeSettingsStore } from '../adapters/settings/serve-settings';
import { createHttpChatSettingsStore } from '../adapters/settings/http-chat-settings';
import { createStudioBotRuntimes } from './studio-bot-runtimes';
import { createChatChannel, type ChatChannel } from './http-chat/chat-channel';
import type { Coordination } from './scale-out/coordination';
import { createHttpChatHandlers } from './http-chat/studio-handlers';
import { baileysSocketFactory, type SocketFactory } from '../adapters/whatsapp/socket';
import type { BackoffOptions } from '../adapters/whatsapp/reconnect-policy';
import { createStudioService, type StudioService } from './studio-service';
import type { StudioMcpPort } from './studio-mcp-port';
import { openAuthorizationUrl } from '../adapters/oauth/open-authorization-url';
import { createCaseRepository } from '../adapters/test-case-files/test-case-files';
import { createBundleHandlers } from './bundle-handlers';
import { createDesktopHandlers } from './desktop-handlers';
import { createDesktopSettingsStore } from '../adapters/settings/desktop-settings';

export interface StudioOptions {
  /** The app's data folder: flows/, trash/, settings.json and flowbot.db (conversations, audit log) live here. */
  dataDir: string;
  /** Template flows (`*.flow.json`), read-only: the repo's flows/ folder. */
  templatesDir: string;
  /** Default `<dataDir>/flows`. */
  flowsDir?: string;
  /**
   * The app's examples/ folder (the bundled example shop's server and its tool classes): the
   * repo's in development and the web host, inside the installed app when packaged. Without it
   * "Add the example shop" says it is not shipped.
   */
  examplesDir?: string;
  /** The MCP side (default: the active bot's servers from the settings, approvals in "ask" mode). */
  mcp?: StudioMcpPort;
  /** The OS keychain (default: keytar). */
  secrets?: KeytarSecrets;
  /** Report flow files changed on disk by other programs as `flows.changed` (default true). */
  watchFiles?: boolean;
  /** Makes the WhatsApp sockets (default: Baileys' real one); tests pass the scripted socket. */
  whatsappSocketFactory?: SocketFactory;
  /** The WhatsApp reconnect backoff (default 1 s to 60 s with full jitter). */
  whatsappBackoff?: BackoffOptions;
  /**
   * Where a remote MCP server's sign-in page opens: 'system' (the desktop app) opens it in the
   * system browser; 'page' (default, the web host) leaves it to the editor's tab, which opens a
   * new one. Either way a BROWSER command in `env` opens it (as xdg-open does): tests and
   * machines without a desktop follow the sign-in that way.
   */
  signInPages?: 'system' | 'page';
  /** The environment BROWSER is read from (default process.env). */
  env?: NodeJS.ProcessEnv;
  log?: (message: string, error?: unknown) => void;
  /**
   * The bots `flowbot serve` runs: for these the studio uses their workspaces and MCP servers
   * (no second set of processes), and their WhatsApp keeps running when the owner switches bots.
   */
  served?: ServedBots;
  /** Several `flowbot serve` instances on one database: the cross-instance order and the WhatsApp fence. */
  coordination?: Coordination;
  /** Where conversations, the audit log, approvals and the channels' state are kept (default: the data folder's flowbot.db). */
  storage?: Storage;
}

export interface Studio {
  service: StudioService;
  /** The WhatsApp services (serve resumes the linked bots' sessions through it). */
  whatsapp: Pick<StudioWhatsApp, 'resumeLinked' | 'stopBot'>;
  dispatcher: ApiDispatcher;
  /** The HTTP chat channel over the active bot (web/chat-routes.ts serves it). */
  chat: ChatChannel;
  flowsDir: string;
  close(): Promise<void>;
}

export function createStudio(options: StudioOptions): Studio {
  const log = options.log ?? ((message: string, error?: unknown) => console.error(message, error ?? ''));
  const flowsDir = options.flowsDir ?? join(options.dataDir, 'flows');
  mkdirSync(flowsDir, { recursive: true });
  const events = createEventHub(log);
  const storage = options.storage ?? sqliteStorage(options.dataDir);
  const settings = createSettingsStore({ dataDir: options.dataDir });
  const secrets = options.secrets ?? createKeytarSecrets();
  // The studio acts on the active bot (DEFAULT_STUDIO_BOT until the owner makes another one).
  const ownMcp = options.mcp
    ? undefined
    : createActiveBotMcp({
        dataDir: options.dataDir,
        storage,
        settings,
        secrets,
        ...(options.served ? { shared: options.served.mcp } : {}),
        onEvent: (bot, event) => events.emit({ event: 'mcp.serverChanged', payload: { bot, server: event.server, type: event.type } }),
      });
  const mcp = options.mcp ?? ownMcp!;
  const flows = createFlowRepository({ dir: flowsDir, trashDir: join(options.dataDir, 'trash') });
  const audit = createStudioAudit({
    dataDir: options.dataDir,
    storage,
    secrets,
    names: {
      botName: (bot) => settings.bots().find((b) => b.id === bot)?.name,
      flow: async (flowId) => {
        const entry = await flows.read(flowId);
        return entry?.kind === 'flow' ? entry.flow : undefined;
      },
    },
  });
  const whatsappSettings = createWhatsAppSettingsStore({ dataDir: options.dataDir });
  // Nothing connects to WhatsApp here: only the owner's Connect does (app/studio-whatsapp.ts).
  const whatsapp = createStudioWhatsApp({
    dataDir: options.dataDir,
    storage,
    activeBot: () => settings.activeBot(),
    ...(options.served
      ? { workspace: options.served.workspace, followActiveBot: false }
      : mcp.workspace
        ? { workspace: () => mcp.workspace!() }
        : {}),
    secrets,
    settings: whatsappSettings,
    flows,
    socketFactory: options.whatsappSocketFactory ?? baileysSocketFactory,
    events,
    ...(options.whatsappBackoff ? { backoff: options.whatsappBackoff } : {}),
    ...(options.coordination ? { fence: options.coordination.fence } : {}),
    log,
  });
  const bundles = createBundleHandlers({
    settings,
    whatsapp: whatsappSettings,
    flows,
    cases: createCaseRepository({ flowsDir }),
    withApprovals: async (work) => {
      const approvals = storage.approvals();
      try {
        return await work(approvals);
      } finally {
        await approvals.close();
      }
    },
    secrets,
    activeBot: () => settings.activeBot(),
    imported: async (_bot, flowIds) => {
      await mcp.sync?.();
      for (const id of flowIds) events.emit({ event: 'flows.changed', payload: { id } });
      events.emit({ event: 'bots.changed', payload: { activeBot: settings.activeBot() } });
    },
  });
  const httpSettings = createHttpChatSettingsStore({ dataDir: options.dataDir });
  const chat = createChatChannel({
    dataDir: options.dataDir,
    storage,
    secrets,
    // `flowbot serve`: every bot it runs answers; the studio alone: the bot being edited.
    runtimes:
      options.served ??
      createStudioBotRuntimes({
        activeBot: () => settings.activeBot(),
        ...(mcp.workspace ? { workspace: mcp.workspace.bind(mcp) } : {}),
        flows,
        whatsapp: whatsappSettings,
        http: httpSettings,
      }),
    ...(options.coordination ? { order: options.coordination.order } : {}),
    log: (message) => log(`[http-chat] ${message}`),
  });
  const service = createStudioService({
    flows,
    templatesDir: options.templatesDir,
    settings,
    bot: () => settings.activeBot(),
    mcp,
    audit: audit.handlers,
    whatsapp: whatsapp.handlers,
    bundles,
    desktop: createDesktopHandlers({ store: createDesktopSettingsStore({ dataDir: options.dataDir }), events }),
    serveSettings: createServeSettingsStore({ dataDir: options.dataDir }),
    httpChat: createHttpChatHandlers({ activeBot: () => settings.activeBot(), keys: chat.keys, settings: httpSettings, whatsapp: whatsappSettings, flows }),
    secrets,
    forgetApprovals: async (bot) => {
      const approvals = storage.approvals();
      try {
        await approvals.forgetBot(bot);
      } finally {
        await approvals.close();
      }
    },
    events,
    log,
    ...(options.examplesDir ? { exampleShop: { examplesDir: options.examplesDir, dataDir: options.dataDir } } : {}),
    openAuthorizationUrl: signInPageOpener(options.signInPages ?? 'page', options.env ?? process.env),
  });
  const dispatcher = createApiDispatcher(service.handlers, { log });
  const stopWatching = options.watchFiles === false ? () => undefined : watchFlowFiles(flowsDir, (id) => events.emit({ event: 'flows.changed', payload: { id } }), log);
  return {
    service,
    whatsapp,
    dispatcher,
    chat,
    flowsDir,
    async close() {
      stopWatching();
      // Before the workspaces: a message being handled finishes with its MCP servers still there.
      await whatsapp.close();
      await chat.close();
      await ownMcp?.close();
      audit.close();
    },
  };
}

/** Opens a sign-in page here (true) or leaves it to the editor's tab (false). Only https (or loopback http) pages open. */
function signInPageOpener(where: 'system' | 'page', env: NodeJS.ProcessEnv): (url: string) => Promise<boolean> {
  return async (url) => {
    if (where === 'page' && !env.BROWSER) return false;
    await openAuthorizationUrl(url, env);
    return true;
  };
}

/** fs.watch on the flows folder, debounced per file; a platform without it just has no live updates. */
function watchFlowFiles(dir: string, onChange: (id: string) => void, log: (message: string, error?: unknown) => void): () => void {
  const pending = new Map<string, NodeJS.Timeout>();
  let watcher: FSWatcher;
  try {
    watcher = watch(dir, { persistent: false }, (_type, name) => {
      if (typeof name !== 'string' || name.startsWith('.') || !name.endsWith(FLOW_FILE_SUFFIX)) return;
      const id = name.slice(0, -FLOW_FILE_SUFFIX.length);
      if (!isFlowId(id)) return;
      clearTimeout(pending.get(id));
      pending.set(
        id,
        setTimeout(() => {
          pending.delete(id);
          onChange(id);
        }, 150).unref(),
      );
    });
    watcher.on('error', (error) => log(`Watching ${dir} stopped:`, error));
  } catch (error) {
    log(`Cannot watch ${dir} for changes; the flow list updates on reload only.`, error);
    return () => undefined;
  }
  return () => {
    watcher.close();
    for (const timer of pending.values()) clearTimeout(timer);
    pending.clear();
  };
}
