// The HTTP chat channel of a data folder, ready for the web routes (web/chat-routes.ts): the
// chat service over the bots a front end runs (BotRuntimes), the bots' API keys in the secrets
// store, and the web chat's visitor sessions. The studio builds one over its active bot
// (studio-bot-runtimes.ts), `flowbot serve` over every bot it runs.
import type { HttpChatStore } from '../../adapters/store/http-chat-store';
import { sqliteStorage, type Storage } from '../storage';
import { createHttpChatSettingsStore } from '../../adapters/settings/http-chat-settings';
import type { SecretsPort } from '../../runtime/ports';
import type { BotRuntimes } from '../bot-runtime-port';
import type { ConversationOrder } from '../scale-out/coordination';
import { createApiKeys, type ApiKeys } from './api-key';
import { createHttpChat, type HttpChat } from './http-chat';
import { createWidgetSessions, type WidgetSessions } from './widget-sessions';

export interface ChatChannel {
  runtimes: BotRuntimes;
  chat: HttpChat;
  keys: ApiKeys;
  widget: { enabled(bot: string): boolean; sessions: WidgetSessions };
  /** Lets the messages in hand finish, then closes the store (before the bots' workspaces close). */
  close(): Promise<void>;
}

export interface ChatChannelOptions {
  dataDir: string;
  /** Where the chat's messages are kept (default: the data folder's flowbot.db). */
  storage?: Storage;
  runtimes: BotRuntimes;
  secrets: SecretsPort;
  order?: ConversationOrder;
  log?: (message: string) => void;
}

export function createChatChannel(options: ChatChannelOptions): ChatChannel {
  let store: HttpChatStore | undefined;
  const storage = options.storage ?? sqliteStorage(options.dataDir);
  const settings = createHttpChatSettingsStore({ dataDir: options.dataDir });
  const chat = createHttpChat({
    store: () => (store ??= storage.httpChat()),
    ...(options.order ? { order: options.order } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  return {
    runtimes: options.runtimes,
    chat,
    keys: createApiKeys(options.secrets),
    widget: { enabled: (bot) => settings.get(bot).widget, sessions: createWidgetSessions() },
    async close() {
      await chat.idle();
      await store?.close();
    },
  };
}
