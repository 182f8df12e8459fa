// BotRuntimes (bot-runtime-port.ts) for several bots at once: what `flowbot serve` runs. Each
// bot that runs here gets its own StudioMcp (its workspace in "ask" mode: only the servers the
// owner approved start; a settings change opens a new workspace), opened on first use and closed
// with close(). The flow per channel is the one chosen in the settings, loaded and checked
// before every use (answering-flow.ts), exactly as the studio's WhatsApp does.
import type { FlowRepository } from '../adapters/flow-files/flow-repository';
import type { McpServerEvent } from '../adapters/mcp/mcp-hub';
import type { SettingsStore } from '../adapters/settings/settings-store';
import { httpFlowId, type HttpChatSettingsStore } from '../adapters/settings/http-chat-settings';
import type { WhatsAppSettingsStore } from '../adapters/settings/whatsapp-settings';
import type { SecretsPort } from '../runtime/ports';
import { checkedAnsweringFlow } from './answering-flow';
import type { BotRuntime, BotRuntimes, ChannelName } from './bot-runtime-port';
import { createStudioMcp, type StudioMcp } from './studio-mcp';
import type { Workspace } from './workspace';
import type { Storage } from './storage';

export interface BotRuntimesOptions {
  dataDir: string;
  /** Where the bots' conversations, audit log and approvals are kept (default: the data folder's flowbot.db). */
  storage?: Storage;
  secrets: SecretsPort;
  settings: Pick<SettingsStore, 'bots' | 'workspace'>;
  flows: Pick<FlowRepository, 'read'>;
  /** Whether the bot runs here (`flowbot serve`: switched on in the settings). Asked on every get. */
  runs: (bot: string) => boolean;
  /** The flow chosen to answer on a channel; undefined: none (the channel keeps messages unanswered). */
  chosenFlow: (bot: string, channel: ChannelName) => string | undefined;
  onMcpEvent?: (bot: string, event: McpServerEvent) => void;
}

export interface ServedBots extends BotRuntimes {
  /** The bot's MCP side (servers, approvals, stderr), or undefined when it does not run here: the studio's screens share it. */
  mcp(bot: string): StudioMcp | undefined;
  /** The bot's workspace; throws saying why when the bot does not run here. */
  workspace(bot: string): Promise<Workspace>;
}

/** The bot is not one that runs here (unknown, or not switched on). */
export class BotNotRunningError extends Error {
  override readonly name = 'BotNotRunningError';
}

export function createBotRuntimes(options: BotRuntimesOptions): ServedBots {
  const opened = new Map<string, StudioMcp>();
  let closed = false;

  const runsHere = (bot: string): boolean => options.runs(bot) && options.settings.bots().some((b) => b.id === bot);

  const mcpOf = (bot: string): StudioMcp | undefined => {
    if (closed || !runsHere(bot)) return undefined;
    let mcp = opened.get(bot);
    if (!mcp) {
      mcp = createStudioMcp({
        dataDir: options.dataDir,
        ...(options.storage ? { storage: options.storage } : {}),
        bot,
        config: () => options.settings.workspace(bot),
        secrets: options.secrets,
        ...(options.onMcpEvent ? { onEvent: (event: McpServerEvent) => options.onMcpEvent!(bot, event) } : {}),
      });
      opened.set(bot, mcp);
    }
    return mcp;
  };

  const workspace = async (bot: string): Promise<Workspace> => {
    const mcp = mcpOf(bot);
    if (!mcp) throw new BotNotRunningError(`The bot "${bot}" does not run here: it does not exist, or it is not switched on (Settings › Bots › Always on).`);
    return mcp.workspace();
  };

  return {
    async get(bot): Promise<BotRuntime | undefined> {
      if (!mcpOf(bot)) return undefined;
      // The workspace of the settings as they are now (a change since opens a new one).
      const ws = await workspace(bot);
      return {
        bot,
        workspace: ws,
        async answeringFlow(channel) {
          const flowId = options.chosenFlow(bot, channel);
          if (!flowId) return undefined;
          return checkedAnsweringFlow(options.flows, flowId, channel, ws);
        },
      };
    },
    list: () => options.settings.bots().map((b) => b.id).filter((bot) => options.runs(bot)),
    mcp: mcpOf,
    workspace,
    async close() {
      closed = true;
      const all = [...opened.values()];
      opened.clear();
      await Promise.all(all.map((mcp) => mcp.close()));
    },
  };
}

/** The flows chosen in the settings: WhatsApp's flowId; the HTTP chat's own choice, else WhatsApp's. */
export function chosenFlowFromSettings(stores: { whatsapp: Pick<WhatsAppSettingsStore, 'get'>; http: Pick<HttpChatSettingsStore, 'get'> }) {
  return (bot: string, channel: ChannelName): string | undefined =>
    channel === 'http' ? httpFlowId(stores.http.get(bot), stores.whatsapp.get(bot)) : stores.whatsapp.get(bot).flowId;
}
