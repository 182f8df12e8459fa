// How fast a bot sends on WhatsApp: the limits the owner sets (Settings) and their defaults,
// shared by the settings file (adapters/settings/whatsapp-settings.ts), the API and the studio.
// The pace itself: adapters/whatsapp/send-pacer.ts.
import { z } from 'zod';

/**
 * How fast the bot sends (adapters/whatsapp/send-pacer.ts). WhatsApp publishes no limits for a
 * linked device; the defaults follow what it does publish for the Business Cloud API, scaled
 * down for a number that is judged like a person's phone: about one message a second over all
 * customers with a short burst (the Cloud API allows 80/s), and to one customer a reply of a few
 * messages at once, then one every 6 seconds (the Cloud API's "pair rate", error 131056).
 */
export const DEFAULT_PACING = { enabled: true, perMinute: 60, burst: 5, customerPerMinute: 10, customerBurst: 4 } as const;

const rate = (max: number) => z.number().int('a whole number').min(1, 'at least 1').max(max, `at most ${max}`);
export const PacingSettingsSchema = z.object({
  /** Off: replies go out as fast as WhatsApp takes them (not advised on a real number). */
  enabled: z.boolean().default(DEFAULT_PACING.enabled),
  perMinute: rate(6_000).default(DEFAULT_PACING.perMinute),
  burst: rate(1_000).default(DEFAULT_PACING.burst),
  customerPerMinute: rate(6_000).default(DEFAULT_PACING.customerPerMinute),
  customerBurst: rate(1_000).default(DEFAULT_PACING.customerBurst),
});
export type PacingSettings = z.infer<typeof PacingSettingsSchema>;
