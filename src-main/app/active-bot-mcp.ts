// The studio's MCP side follows the active bot: one StudioMcp (servers, approvals, stderr)
// for the bot being edited, re-created when the owner switches bots. The previous bot's
// servers are stopped then: nothing of a bot runs while another one is being set up.
import type { SettingsStore } from '../adapters/settings/settings-store';
import type { McpServerEvent } from '../adapters/mcp/mcp-hub';
import type { SecretsPort } from '../runtime/ports';
import { createStudioMcp, type StudioMcp } from './studio-mcp';
import type { Storage } from './storage';

export interface ActiveBotMcp extends StudioMcp {
  /** Switches to the bot now active in the settings (stopping the previous bot's servers). */
  sync(): Promise<void>;
}

export interface ActiveBotMcpOptions {
  dataDir: string;
  /** Where the workspaces keep their tables (default: the data folder's flowbot.db). */
  storage?: Storage;
  settings: SettingsStore;
  secrets?: SecretsPort;
  onEvent?: (bot: string, event: McpServerEvent) => void;
  /** A bot's MCP side that someone else runs and closes (`flowbot serve`'s bots); undefined: this one makes its own. */
  shared?: (bot: string) => StudioMcp | undefined;
}

export function createActiveBotMcp(options: ActiveBotMcpOptions): ActiveBotMcp {
  let current: { bot: string; mcp: StudioMcp; owned: boolean } | undefined;
  let closing: Promise<void> = Promise.resolve();

  const mcp = (): StudioMcp => {
    const bot = options.settings.activeBot();
    if (current?.bot !== bot) {
      const previous = current;
      const shared = options.shared?.(bot);
      current = {
        bot,
        owned: !shared,
        mcp: shared ?? createStudioMcp({
          dataDir: options.dataDir,
          ...(options.storage ? { storage: options.storage } : {}),
          bot,
          config: () => options.settings.workspace(bot),
          ...(options.secrets ? { secrets: options.secrets } : {}),
          onEvent: (event) => options.onEvent?.(bot, event),
        }),
      };
      if (previous?.owned) closing = Promise.all([closing, previous.mcp.close().catch(() => undefined)]).then(() => undefined);
    }
    return current.mcp;
  };

  return {
    catalog: () => mcp().catalog(),
    approveServer: (server, command) => mcp().approveServer(server, command),
    approveTools: (server, tools) => mcp().approveTools(server, tools),
    status: (server) => mcp().status(server),
    connect: (server) => mcp().connect(server),
    signInStatus: (server) => mcp().signInStatus(server),
    startSignIn: (server) => mcp().startSignIn(server),
    signOut: (server) => mcp().signOut(server),
    workspace: () => mcp().workspace(),
    async sync() {
      mcp();
      await closing;
    },
    async close() {
      const last = current;
      current = undefined;
      await Promise.all([closing, last?.owned ? last.mcp.close() : undefined]);
    },
  };
}
