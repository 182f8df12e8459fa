// Moving a bot between machines (issue 16, item 4): export a bot as a bundle file, preview and
// import one (app/bot-bundles.ts). No method carries a secret value: bundles hold secret names.
import { z } from 'zod';
import { ConsentTextSchema } from '../consent-texts';
import { BotIdSchema, BotSchema } from './settings';
import { method } from './method';

/** A bundle file's text (a bot with its flows stays far below this). */
const BundleTextSchema = z.string().min(1).max(20_000_000);

export const BundlePreviewSchema = z.object({
  bot: BotSchema,
  exportedAt: z.string(),
  /** The id the bot gets here; `exists`: a bot of that id is here (only `replace` imports then). */
  target: z.object({ id: BotIdSchema, exists: z.boolean() }),
  flows: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      importAs: z.string(),
      /** new: added; same: that exact flow is here already; renamed: its id is taken by another flow. */
      outcome: z.enum(['new', 'same', 'renamed']),
      testCases: z.number().int(),
    }),
  ),
  /** What each MCP server runs: the owner approves it again on this machine before it starts (`commandText`: in the owner's language). */
  servers: z.array(z.object({ name: z.string(), transport: z.enum(['stdio', 'http']), command: z.string(), commandText: ConsentTextSchema.optional() })),
  /** The secrets the bot needs, by name; `present` absent when the keychain cannot say. */
  secrets: z.array(z.object({ scope: z.string(), name: z.string(), field: z.string(), present: z.boolean().optional() })),
  toolPins: z.array(z.object({ server: z.string(), tools: z.array(z.string()) })),
  whatsapp: z.boolean(),
});
export type BundlePreview = z.infer<typeof BundlePreviewSchema>;

export const bundlesMethods = {
  /** The bot (default: the active bot) as a bundle file: settings, flows, test cases, tool pins; secrets by name only. */
  'bots.export': method(
    z.object({ id: BotIdSchema.optional() }).strict(),
    z.object({ fileName: z.string(), text: z.string(), skipped: z.array(z.string()) }),
  ),
  /** What importing the bundle would do; INVALID_INPUT naming the field when the file is damaged, changed or of another version. */
  'bots.importPreview': method(z.object({ text: BundleTextSchema, as: BotIdSchema.optional() }).strict(), BundlePreviewSchema),
  /**
   * Imports the bundle as a bot (`as`: under another id). CONFLICT when a bot of that id exists,
   * unless `replace`. Server consents never travel; tool pins only with `keepToolPins`.
   */
  'bots.import': method(
    z.object({ text: BundleTextSchema, as: BotIdSchema.optional(), replace: z.boolean().optional(), keepToolPins: z.boolean(), select: z.boolean().optional() }).strict(),
    BundlePreviewSchema.extend({ toolPinsKept: z.boolean(), serversNeedingConsent: z.array(z.string()), activeBot: BotIdSchema }),
  ),
} as const;
