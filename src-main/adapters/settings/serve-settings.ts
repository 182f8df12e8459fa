// Which bots `flowbot serve` runs, and per-bot serve choices, in the same settings.json as the
// bots (through `conf`), under "serve": { "<bot>": { alwaysOn } }. Beside the
// WhatsApp settings (whatsapp-settings.ts) and like them parsed on every read; never cast.
//
// "Switched on" (alwaysOn) is the owner's word that the bot should keep answering without the
// studio: `flowbot serve` starts exactly these bots (their MCP servers, model, WhatsApp when
// linked, the HTTP chat); the studio itself ignores it (it runs the bot being edited).
import Conf from 'conf';
import { z } from 'zod';
import { SETTINGS_CONFIG_NAME, SettingsError, settingsFile } from './settings-store';

export const ServeSettingsSchema = z.object({
  /** `flowbot serve` runs this bot. */
  alwaysOn: z.boolean().default(false),
});
export type ServeSettings = z.infer<typeof ServeSettingsSchema>;

export interface ServeSettingsStore {
  readonly file: string;
  get(bot: string): ServeSettings;
  update(bot: string, change: Partial<ServeSettings>): ServeSettings;
  /** The bots switched on, in the order stored (may name bots that no longer exist: callers check). */
  switchedOn(): string[];
}

export function createServeSettingsStore(options: { dataDir: string }): ServeSettingsStore {
  const file = settingsFile(options.dataDir);
  const open = () => {
    try {
      return new Conf({ cwd: options.dataDir, configName: SETTINGS_CONFIG_NAME, accessPropertiesByDotNotation: false, clearInvalidConfig: false });
    } catch (error) {
      throw new SettingsError(`The settings file ${file} cannot be read: ${(error as Error).message}`);
    }
  };
  const all = (conf: Conf): Record<string, unknown> => {
    const value = conf.get('serve');
    if (value === undefined) return {};
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SettingsError(`The settings file ${file} has problems: serve: expected an object ({ ... })`);
    return value as Record<string, unknown>;
  };
  const parse = (bot: string, value: unknown): ServeSettings => {
    const parsed = ServeSettingsSchema.safeParse(value ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SettingsError(`The settings file ${file} has problems: serve.${bot}.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
    }
    return parsed.data;
  };
  return {
    file,
    get: (bot) => parse(bot, all(open())[bot]),
    update(bot, change) {
      const conf = open();
      const entries = all(conf);
      const next = parse(bot, { ...parse(bot, entries[bot]), ...change });
      conf.set('serve', { ...entries, [bot]: next });
      return next;
    },
    switchedOn() {
      return Object.entries(all(open()))
        .filter(([bot, value]) => parse(bot, value).alwaysOn)
        .map(([bot]) => bot);
    },
  };
}
