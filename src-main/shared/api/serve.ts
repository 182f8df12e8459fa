// Which bots `flowbot serve` runs ("Always on", Settings › Bots): a per-bot switch stored in the
// settings (adapters/settings/serve-settings.ts). The studio itself runs the bot being edited
// whatever the switch says; serve reads it when it starts.
import { z } from 'zod';
import { BotIdSchema } from './settings';
import { method } from './method';

const BotServeSchema = z.object({ id: BotIdSchema, alwaysOn: z.boolean() });

export const serveMethods = {
  /** The switch of every bot, in the bots' order. */
  'serve.bots': method(z.object({}).strict(), z.object({ bots: z.array(BotServeSchema) })),
  /** Switches a bot on or off for `flowbot serve` (NOT_FOUND for an unknown bot). */
  'serve.setAlwaysOn': method(BotServeSchema.strict(), BotServeSchema),
};
