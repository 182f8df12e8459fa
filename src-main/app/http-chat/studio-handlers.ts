// The studio's API handlers for the HTTP chat channel (shared/api/http-chat.ts), on the active
// bot: its API key (shown once, in rotateKey's answer only; never logged), the flow that answers
// over HTTP and the web chat switch (adapters/settings/http-chat-settings.ts).
import type { ApiHandlers } from '../../api/dispatcher';
import { ApiCallError } from '../../shared/api-contract';
import type { HttpChatStatus, httpChatMethods } from '../../shared/api/http-chat';
import type { FlowRepository } from '../../adapters/flow-files/flow-repository';
import { httpFlowId, type HttpChatSettingsStore } from '../../adapters/settings/http-chat-settings';
import type { WhatsAppSettingsStore } from '../../adapters/settings/whatsapp-settings';
import type { ApiKeys } from './api-key';

export type HttpChatHandlers = Pick<ApiHandlers, keyof typeof httpChatMethods>;

export interface HttpChatHandlersDeps {
  activeBot: () => string;
  keys: ApiKeys;
  settings: HttpChatSettingsStore;
  whatsapp: Pick<WhatsAppSettingsStore, 'get'>;
  flows: Pick<FlowRepository, 'read'>;
}

export function createHttpChatHandlers(deps: HttpChatHandlersDeps): HttpChatHandlers {
  const status = async (bot: string): Promise<HttpChatStatus> => {
    const settings = deps.settings.get(bot);
    const answering = httpFlowId(settings, deps.whatsapp.get(bot));
    return {
      bot,
      hasKey: await deps.keys.has(bot),
      ...(settings.flowId ? { flowId: settings.flowId } : {}),
      ...(answering ? { answeringFlowId: answering } : {}),
      widget: settings.widget,
    };
  };
  return {
    'httpChat.status': () => status(deps.activeBot()),
    async 'httpChat.rotateKey'() {
      const bot = deps.activeBot();
      const apiKey = await deps.keys.rotate(bot);
      return { status: await status(bot), apiKey };
    },
    async 'httpChat.revokeKey'() {
      const bot = deps.activeBot();
      await deps.keys.revoke(bot);
      return status(bot);
    },
    async 'httpChat.update'({ flowId, widget }) {
      const bot = deps.activeBot();
      if (typeof flowId === 'string') {
        const entry = await deps.flows.read(flowId);
        if (!entry) throw new ApiCallError('NOT_FOUND', `There is no flow "${flowId}".`);
        if (entry.kind === 'broken') throw new ApiCallError('CONFLICT', `The flow "${flowId}" is not a valid flow file: fix it before it answers over HTTP.`);
      }
      const current = deps.settings.get(bot);
      const next = { ...current, ...(widget !== undefined ? { widget } : {}) };
      if (flowId === null) delete next.flowId;
      else if (flowId !== undefined) next.flowId = flowId;
      deps.settings.replace(bot, next);
      return status(bot);
    },
  };
}

export function httpChatUnavailable(): HttpChatHandlers {
  const refuse = () => {
    throw new ApiCallError('CONFLICT', 'The HTTP chat is not available in this studio.');
  };
  return { 'httpChat.status': refuse, 'httpChat.rotateKey': refuse, 'httpChat.revokeKey': refuse, 'httpChat.update': refuse };
}
