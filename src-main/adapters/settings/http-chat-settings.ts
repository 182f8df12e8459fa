// The HTTP chat channel's settings of each bot, in the same settings.json as the bots (through
// `conf`), under "httpChat": { "<bot>": { flowId, widget } }. Like whatsapp-settings.ts: a file of
// its own, parsed on every read, never cast.
//
// The channel answers once the bot has an API key (app/http-chat/api-key.ts): the key is the
// switch. The flow that answers is `flowId`, else the flow chosen for WhatsApp (httpFlowId).
import Conf from 'conf';
import { z } from 'zod';
import { SETTINGS_CONFIG_NAME, SettingsError, settingsFile } from './settings-store';

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
  const file = settingsFile(options.dataDir);
  const open = () => new Conf({ cwd: options.dataDir, configName: SETTINGS_CONFIG_NAME, accessPropertiesByDotNotation: false, clearInvalidConfig: false });
  const all = (conf: Conf): Record<string, unknown> => {
    const value = conf.get('httpChat');
    if (value === undefined) return {};
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SettingsError(`The settings file ${file} has problems: httpChat: expected an object ({ ... })`);
    return value as Record<string, unknown>;
  };
  const parse = (bot: string, value: unknown): HttpChatSettings => {
    const parsed = HttpChatSettingsSchema.safeParse(value ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SettingsError(`The settings file ${file} has problems: httpChat.${bot}.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
    }
    return parsed.data;
  };
  return {
    get: (bot) => parse(bot, all(open())[bot]),
    update(bot, change) {
      const conf = open();
      const entries = all(conf);
      const next = parse(bot, { ...parse(bot, entries[bot]), ...change });
      conf.set('httpChat', { ...entries, [bot]: next });
      return next;
    },
    replace(bot, settings) {
      const conf = open();
      const next = parse(bot, settings);
      conf.set('httpChat', { ...all(conf), [bot]: next });
      return next;
    },
  };
}

/** The flow that answers a bot's customers on HTTP: its own choice, else WhatsApp's; undefined: none. */
export function httpFlowId(http: HttpChatSettings, whatsapp: { flowId?: string | undefined }): string | undefined {
  return http.flowId ?? whatsapp.flowId;
}
