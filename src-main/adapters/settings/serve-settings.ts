// Which bots `flowbot serve` runs, and per-bot serve choices, in the same settings.json as the
// bots (through `conf`), under "serve": { "<bot>": { alwaysOn } } (bot-settings-section.ts).
//
// "Switched on" (alwaysOn) is the owner's word that the bot should keep answering without the
// studio: `flowbot serve` starts exactly these bots (their MCP servers, model, WhatsApp when
// linked, the HTTP chat); the studio itself ignores it (it runs the bot being edited).
import { z } from 'zod';
import { botSettingsSection } from './bot-settings-section';

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
  const section = botSettingsSection(options.dataDir, 'serve', ServeSettingsSchema);
  return {
    file: section.file,
    get: section.get,
    update: section.update,
    switchedOn: () => section.entries().filter(([, settings]) => settings.alwaysOn).map(([bot]) => bot),
  };
}
