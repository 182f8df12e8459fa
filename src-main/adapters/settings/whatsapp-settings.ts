// The WhatsApp settings of each bot, in the same settings.json as the bots (through `conf`),
// under "whatsapp": { "<bot>": { flowId, paused, groupsEnabled, pacing } }. A file of its own so that
// it stays apart from the bots' workspace configs (bot-settings-section.ts).
import { z } from 'zod';
import { DEFAULT_PACING, PacingSettingsSchema } from '../../shared/whatsapp-pacing';
import { botSettingsSection } from './bot-settings-section';

export { DEFAULT_PACING, PacingSettingsSchema, type PacingSettings } from '../../shared/whatsapp-pacing';

export const WhatsAppSettingsSchema = z.object({
  /** The flow that answers customers; none: messages are logged but not answered. */
  flowId: z.string().min(1).optional(),
  /** Paused: the bot reads but does not answer (messages are marked handled as "paused"). */
  paused: z.boolean().default(false),
  /** Group chats are ignored unless this is on. */
  groupsEnabled: z.boolean().default(false),
  /** The owner answered a customer from their own phone: the bot steps back in that chat for this long (minutes). */
  ownerTakeoverMinutes: z.number().int().min(1, 'the bot steps back for at least 1 minute').max(10_080, 'the bot steps back for at most 10080 minutes (a week)').default(30),
  /** A hand-off is also sent as a WhatsApp message to this number (country code and digits; your own number: your own chat). */
  notifyOwnerNumber: z
    .string()
    .regex(/^\+?[0-9 ()-]+$/, 'a phone number is digits with the country code, e.g. +31 6 12345678')
    .refine((p) => p.replace(/[^0-9]/g, '').length >= 7, 'a phone number has at least 7 digits with the country code')
    .optional(),
  /** How fast replies go out (per customer and overall). */
  pacing: PacingSettingsSchema.default({ ...DEFAULT_PACING }),
});
export type WhatsAppSettings = z.infer<typeof WhatsAppSettingsSchema>;

export interface WhatsAppSettingsStore {
  get(bot: string): WhatsAppSettings;
  update(bot: string, change: Partial<WhatsAppSettings>): WhatsAppSettings;
}

export function createWhatsAppSettingsStore(options: { dataDir: string }): WhatsAppSettingsStore {
  return botSettingsSection(options.dataDir, 'whatsapp', WhatsAppSettingsSchema);
}
