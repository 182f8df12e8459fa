// The studio's side of BotRuntimes (app/bot-runtime-port.ts): the bot being edited (the active
// bot), from the studio's own pieces: its workspace (the MCP side's), its flows as saved now,
// the flow the owner chose per channel. Other bots do not run in the studio (`flowbot serve`
// runs them all). A flow is read and checked against the live tools for every message, like the
// WhatsApp service does: an edit or a tool change takes effect at once.
import type { FlowRepository } from '../adapters/flow-files/flow-repository';
import type { WhatsAppSettingsStore } from '../adapters/settings/whatsapp-settings';
import { httpFlowId, type HttpChatSettingsStore } from '../adapters/settings/http-chat-settings';
import type { BotRuntime, BotRuntimes, ChannelName } from './bot-runtime-port';
import { runBlockers } from './live-catalog';
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
  const flowIdFor = (bot: string, channel: ChannelName): string | undefined =>
    channel === 'http' ? httpFlowId(deps.http.get(bot), deps.whatsapp.get(bot)) : deps.whatsapp.get(bot).flowId;

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
          const entry = await deps.flows.read(flowId);
          if (!entry) throw new Error(`the flow "${flowId}" chosen for ${channel} does not exist (any more)`);
          if (entry.kind === 'broken') throw new Error(`the flow "${flowId}" chosen for ${channel} is not a valid flow file: ${entry.problems[0]?.message ?? 'it does not parse'}`);
          const problems = await runBlockers(entry.flow, workspace);
          if (problems.length > 0) throw new Error(`the flow "${flowId}" cannot answer now: ${problems[0]}`);
          return { flow: entry.flow, source: entry.file };
        },
      };
      return runtime;
    },
    list: () => (deps.workspace ? [deps.activeBot()] : []),
    close: async () => undefined,
  };
}
