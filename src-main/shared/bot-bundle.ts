// A bot bundle (issue 16, item 4): one bot moved between data dirs (the desktop to a server) as
// one JSON file. It carries the bot's settings (model, MCP servers with their tool classes,
// customer texts), its WhatsApp settings, the flows with their test cases and the tool pins;
// never a secret value: secrets travel as the names the config references ({"secret": NAME}),
// and the importer asks for them. Server consents never travel: the command lines run on
// another machine, whose owner consents again. Reading one: core/bot-bundle.ts.
import { z } from 'zod';
import { BotIdSchema } from './api/settings';
import { ServerNameSchema, WorkspaceConfigSchema } from './workspace-config';

export const BUNDLE_FORMAT = 'flowbot-bot-bundle';
/** The version this Flowbot writes and reads; any other is refused, naming it. */
export const BUNDLE_VERSION = 1;
export const BUNDLE_FILE_SUFFIX = '.flowbot-bot.json';

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 hash (64 hex digits)');

/** A tool definition the owner approved, as the approvals store keeps it. */
export const BundlePinSchema = z
  .object({
    tool: z.string().min(1),
    definitionHash: Sha256Hex,
    /** Hashes of the definition's parts (title, description, schemas…): says what changed later. */
    parts: z.record(z.string(), Sha256Hex).optional(),
  })
  .strict();
export type BundlePin = z.infer<typeof BundlePinSchema>;

/** A secret the bot's config uses: its name and where, never its value. */
export const BundleSecretSchema = z.object({ scope: z.string().min(1), name: z.string().min(1), field: z.string() }).strict();
export type BundleSecret = z.infer<typeof BundleSecretSchema>;

export const BotBundleSchema = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    version: z.literal(BUNDLE_VERSION),
    /** sha256 of the canonical JSON of everything else: a changed or damaged file is refused. */
    checksum: Sha256Hex,
    exportedAt: z.string().min(1),
    bot: z.object({ id: BotIdSchema, name: z.string().trim().min(1).max(80) }).strict(),
    workspace: WorkspaceConfigSchema,
    /** Channel settings by channel; each is checked by its own store's schema on import. */
    channels: z.object({ whatsapp: z.record(z.string(), z.unknown()).optional() }).strict(),
    /** Whole flows (checked as flow files are); the data dir's flows are shared by its bots. */
    flows: z.array(z.unknown()),
    /** Test cases, each naming its flow by `flowId`. */
    testCases: z.array(z.unknown()),
    /** Approved tool definitions per server (kept on import only if the owner says so). */
    toolPins: z.record(ServerNameSchema, z.array(BundlePinSchema)),
    /** The secrets the config references (names only): the importer's list of what to set. */
    secrets: z.array(BundleSecretSchema),
  })
  .strict();
export type BotBundle = z.infer<typeof BotBundleSchema>;
