// The active bot's WhatsApp send pace in the API (spread into whatsappMethods): read it, change
// it. Saved in the bot's WhatsApp settings; a running connection picks it up before its next send.
import { z } from 'zod';
import { PacingSettingsSchema } from '../whatsapp-pacing';
import { method } from './method';

export const WaPacingSchema = PacingSettingsSchema.strict();

export const whatsappPacingMethods = {
  /** How fast the active bot's replies go out (the defaults when never changed). */
  'whatsapp.pacing': method(z.object({}).strict(), WaPacingSchema),
  /** New limits, whole (INVALID_INPUT naming the field that is no pace). */
  'whatsapp.setPacing': method(WaPacingSchema.required(), WaPacingSchema),
} as const;
