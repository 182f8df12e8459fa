// The studio's side of BotRuntimes (app/bot-runtime-port.ts): the bot being edited (the active
// bot), from the studio's own pieces: its workspace (the MCP side's), its flows as saved now,
// the flow the owner chose per channel. Other bots do not run in the studio (`flowbot serve`
// runs them all). A flow is read and checked against the live tools for every message, like the
// WhatsApp service does: an edit or a tool change takes effect at once.
import type { FlowRepository } from '../adapters/flow-files/flow-repository';
import type { WhatsAppSettingsStore } from '../adapters/settings/whatsapp-settings';
import type { HttpChatSettingsStore } from '../adapters/settings/http-chat-settings';
import { checkedAnsweringFlow } from './answering-flow';
import type { BotRuntime, BotRuntimes } from './bot-runtime-port';
import { chosenFlowFromSettings } from './bot-runtimes';
import type { Workspace } from './workspace';

export interface StudioBotRuntimesDeps {
  activeBot: () => string;
  /** The active bot's workspace (StudioMcpPort.workspace); without it no bot runs here. */
  workspace?: () => Promise<Workspace>;
  flows: Pick<FlowRepository, 'read'>;
  whatsapp: Pick<WhatsAppSettingsStore, 'get'>;
  http: Pick<HttpChatSettingsStore, 'get'>;
}

export function createStudioBotRuntimes(deps: StudioBotRuntimesDeps): BotRuntimes {
  const flowIdFor = chosenFlowFromSettings({ whatsapp: deps.whatsapp, http: deps.http });

  return {
    async get(bot) {
      if (!deps.workspace || bot !== deps.activeBot()) return undefined;
      const workspace = await deps.workspace();
      const runtime: BotRuntime = {
        bot,
        workspace,
        async answeringFlow(channel) {
          const flowId = flowIdFor(bot, channel);
          if (!flowId) return undefined;
          return checkedAnsweringFlow(deps.flows, flowId, channel, workspace);
        },
      };
      return runtime;
    },
    list: () => (deps.workspace ? [deps.activeBot()] : []),
    close: async () => undefined,
  };
}
