// The HTTP chat channel's settings of each bot, in the same settings.json as the bots (through
// `conf`), under "httpChat": { "<bot>": { flowId, widget } } (bot-settings-section.ts).
//
// The channel answers once the bot has an API key (app/http-chat/api-key.ts): the key is the
// switch. The flow that answers is `flowId`, else the flow chosen for WhatsApp (httpFlowId).
import { z } from 'zod';
import { botSettingsSection } from './bot-settings-section';

export const HttpChatSettingsSchema = z.object({
  /** The flow that answers on HTTP; absent: the WhatsApp flow. */
  flowId: z.string().min(1).optional(),
  /** The public web chat page (/chat/<bot>) may open visitor sessions (app/http-chat/widget-sessions.ts). */
  widget: z.boolean().default(false),
});
export type HttpChatSettings = z.infer<typeof HttpChatSettingsSchema>;

export interface HttpChatSettingsStore {
  get(bot: string): HttpChatSettings;
  update(bot: string, change: Partial<HttpChatSettings>): HttpChatSettings;
  /** Stores exactly `settings` (a field left out is cleared). */
  replace(bot: string, settings: HttpChatSettings): HttpChatSettings;
}

export function createHttpChatSettingsStore(options: { dataDir: string }): HttpChatSettingsStore {
  return botSettingsSection(options.dataDir, 'httpChat', HttpChatSettingsSchema);
}

/** The flow that answers a bot's customers on HTTP: its own choice, else WhatsApp's; undefined: none. */
export function httpFlowId(http: HttpChatSettings, whatsapp: { flowId?: string | undefined }): string | undefined {
  return http.flowId ?? whatsapp.flowId;
}
