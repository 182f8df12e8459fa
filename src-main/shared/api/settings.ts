// The settings screens' part of the API (issue 6, item 3): bots, secrets in the OS keychain,
// the LLM (models, test, pull) and the MCP servers (add/edit/remove, status, classes, import).
// Secret values only ever travel towards the app (secrets.set, mcp.import): no output and no
// event carries one.
import { z } from 'zod';
import { LlmModelInfoSchema } from '../llm-message';
import { ConsentTextSchema } from '../consent-texts';
import { OwnerTextSchema } from '../owner-text';
import { EnvRefSchema, LlmConfigSchema, McpServerConfigSchema, SandboxGrantSchema, SecretRefSchema, ToolClassSchema, isReservedServerName, reservedServerNameProblem, type SandboxGrant } from '../workspace-config';
import { method } from './method';

export const BotIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a bot id uses letters, digits, _ and - (at most 64)');
export const BotSchema = z.object({ id: BotIdSchema, name: z.string() });
export type Bot = z.infer<typeof BotSchema>;
const BotNameSchema = z.string().trim().min(1).max(80);

/** An MCP server's name (the config's rule), or "llm" for the model. */
export const SecretScopeSchema = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'the scope is an MCP server name or "llm"');
/** The NAME of { "secret": NAME }. */
export const SecretNameSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'a secret name has no control characters');
export const SecretAddressSchema = z.object({ scope: SecretScopeSchema, name: SecretNameSchema }).strict();

export const KeychainStateSchema = z.object({
  available: z.boolean(),
  /** Why not, when not available. */
  problem: z.enum(['locked', 'unavailable']).optional(),
  message: z.string().optional(),
});

export const SecretStatusSchema = z.object({
  scope: z.string(),
  name: z.string(),
  /** Where the active bot's config uses it, e.g. "mcpServers.crm.env.CRM_TOKEN"; absent when not used. */
  usedBy: z.array(z.string()),
  /** Unknown (absent) when the keychain cannot be read. */
  present: z.boolean().optional(),
});

/** The LLM settings as the form holds them: the model may still be unchosen. */
export const LlmTargetSchema = LlmConfigSchema.partial({ model: true });
export type LlmTarget = z.infer<typeof LlmTargetSchema>;
const llmInput = z.object({ llm: LlmTargetSchema.optional() }).strict();

export const PullStateSchema = z.enum(['running', 'done', 'failed', 'cancelled']);
export const PullProgressSchema = z.object({
  pullId: z.string(),
  model: z.string(),
  state: PullStateSchema,
  /** Ollama's own words: "pulling manifest", "pulling 6a0746a1ec1a", "verifying sha256 digest", "success". */
  status: z.string(),
  digest: z.string().optional(),
  /** Bytes of the layer being pulled. */
  completed: z.number().optional(),
  total: z.number().optional(),
  /** Why it failed (state "failed"). */
  error: z.string().optional(),
});
export type PullProgress = z.infer<typeof PullProgressSchema>;

export const ServerStateSchema = z.enum(['idle', 'starting', 'ready', 'restarting', 'circuit_open', 'failed', 'stopped']);
export const ServerStatusSchema = z.object({
  server: z.string(),
  transport: z.enum(['stdio', 'http']),
  /** Whether the owner approved what it runs (nothing starts before). */
  consent: z.enum(['approved', 'new', 'changed']),
  /** The exact command line (or URL) the owner approves, in English (what mcp.approveServer sends back). */
  command: z.string(),
  /** The same line as catalogue keys, shown in the owner's language (absent: show `command`). */
  commandText: ConsentTextSchema.optional(),
  state: ServerStateSchema,
  pid: z.number().optional(),
  restarts: z.number(),
  recentCrashes: z.number(),
  readyAt: z.number().optional(),
  lastExit: z.object({ code: z.number().nullable(), signal: z.string().nullable() }).optional(),
  /** `summary`: what went wrong in one plain sentence (the headline; `summaryText`: the same as catalogue keys); `message`: the technical account. */
  lastError: z.object({ kind: z.string(), message: z.string(), summary: z.string(), summaryText: z.array(OwnerTextSchema).optional(), at: z.number() }).optional(),
  stdoutNoiseLines: z.number(),
  /** Recent stderr (bounded, secrets masked). */
  stderr: z.string(),
  /** What the server says about itself at `initialize` (its own words: not verified). */
  serverInfo: z.object({ name: z.string(), version: z.string(), title: z.string().optional() }).optional(),
  instructions: z.string().optional(),
  /** Stdio servers: whether it runs in the OS sandbox (on: false with the reason), and what the sandbox refused it last. */
  sandbox: z
    .object({
      on: z.boolean(),
      reason: z.string().optional(),
      /** The reason as catalogue keys (shared/consent-texts), for the owner's language. */
      reasonText: ConsentTextSchema.optional(),
      denied: z.union([z.object({ action: z.enum(['read', 'write']), path: z.string() }), z.object({ action: z.literal('reach'), host: z.string() })]).optional(),
    })
    .optional(),
});
export type ServerStatus = z.infer<typeof ServerStatusSchema>;

const ServerNameSchema = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'a server name uses letters, digits, _ and -');
/** The name a server is saved under: never a reserved one (it would share the model's keychain secrets). */
const NewServerNameSchema = ServerNameSchema.refine((name) => !isReservedServerName(name), { error: (issue) => reservedServerNameProblem(String(issue.input)) });
/** One env variable (stdio) or header (url) of one server in a pasted config. */
const ImportFieldSchema = z.object({ server: z.string(), name: z.string() }).strict();

export const ImportPreviewServerSchema = z.object({
  name: z.string(),
  /** What the owner will be asked to approve before it starts (English; `commandText`: in the owner's language). */
  command: z.string(),
  commandText: ConsentTextSchema.optional(),
  transport: z.enum(['stdio', 'http']),
  /** A server of this name exists already: the import is refused until it is renamed. */
  clash: z.boolean(),
  /** Env variables (stdio) or headers (url). A value that looks like a secret is not sent back. */
  fields: z.array(
    z.object({
      name: z.string(),
      kind: z.enum(['env', 'header']),
      looksSecret: z.boolean(),
      /** Already a reference: a keychain secret of the server, or a variable of the studio's own environment. */
      reference: z.union([SecretRefSchema, EnvRefSchema]).optional(),
      /** The plain value, unless it looks like a secret. */
      value: z.string().optional(),
      /** The variable can change which code the server runs (NODE_OPTIONS, LD_PRELOAD, PATH…). */
      changesCode: z.literal(true).optional(),
    }),
  ),
  /** Things of the other client's format that are not taken over (e.g. autoApprove). */
  notes: z.array(z.string()),
  /**
   * Values that are paths relative to a folder the pasted text does not name ("crm-server/index.js"):
   * the import needs `folder` for them. Empty once a folder is given (the command shows them resolved).
   */
  relativePaths: z.array(z.object({ where: z.string(), value: z.string() })),
  /**
   * stdio only: the sandbox grant proposed from the config (its absolute folders, the hosts of its
   * URL values, Docker for `docker`, a pasted `sandbox`); stored only as sent back with mcp.import.
   */
  proposedGrant: SandboxGrantSchema.optional(),
  /** npx/uvx: the hosts its first download needs. A note, never in proposedGrant: later starts run from the cache. */
  packageRegistry: z.array(z.string()).optional(),
  /** Folders of proposedGrant that hold a home folder or more (`/`, `/home/ana`): offered unticked, flagged. */
  wideFolders: z.array(z.string()).optional(),
});
/**
 * The grant the owner chose for one pasted stdio server (stored as its `sandbox`). Typed here,
 * checked against SandboxGrantSchema by mcp.import itself so that a refusal names the server.
 */
const ImportGrantSchema = z.object({ server: z.string(), grant: z.custom<SandboxGrant>() }).strict();
/** The folder the pasted config's relative paths are relative to (a full path). */
const ImportFolderSchema = z.string().min(1).max(4096);

const empty = z.object({}).strict();

export const settingsMethods = {
  'bots.list': method(empty, z.object({ bots: z.array(BotSchema), activeBot: BotIdSchema })),
  /** A new bot (empty settings, no secrets); its id comes from the name. `select` makes it the active bot. */
  'bots.create': method(z.object({ name: BotNameSchema, select: z.boolean().optional() }).strict(), z.object({ bot: BotSchema, activeBot: BotIdSchema })),
  /** Changes the name people see; the id (which secrets and approvals use) stays. */
  'bots.rename': method(z.object({ id: BotIdSchema, name: BotNameSchema }).strict(), z.object({ bot: BotSchema })),
  /**
   * Deletes a bot with its settings, its MCP approvals and every keychain secret of it. Refused
   * (CONFLICT) for the last bot, and when the keychain cannot be used (nothing is deleted then).
   */
  'bots.delete': method(z.object({ id: BotIdSchema }).strict(), z.object({ deleted: BotIdSchema, activeBot: BotIdSchema, secretsDeleted: z.number().int() })),
  /** The bot the studio acts on (settings, MCP servers, approvals, secrets); remembered. */
  'bots.select': method(z.object({ id: BotIdSchema }).strict(), z.object({ activeBot: BotIdSchema })),

  /** Stores a secret of the active bot in the OS keychain. Use it in the config as { "secret": name }. */
  'secrets.set': method(SecretAddressSchema.extend({ value: z.string().min(1).max(65_536) }).strict(), z.object({ stored: z.literal(true) })),
  'secrets.delete': method(SecretAddressSchema, z.object({ deleted: z.boolean() })),
  /**
   * Whether the keychain works, and which secrets exist: those the active bot's config uses plus
   * any asked for. Never a value.
   */
  'secrets.status': method(
    z.object({ secrets: z.array(SecretAddressSchema).max(200).optional() }).strict(),
    z.object({ keychain: KeychainStateSchema, secrets: z.array(SecretStatusSchema) }),
  ),

  /** The models the provider offers (default: the saved LLM settings). CONFLICT with the reason when it cannot be reached. */
  'llm.models': method(llmInput, z.object({ models: z.array(LlmModelInfoSchema) })),
  /** Connects with these settings; never throws for a connection problem: `ok: false` says what went wrong. */
  'llm.test': method(llmInput, z.object({ ok: z.boolean(), message: z.string(), models: z.array(LlmModelInfoSchema).optional() })),
  /**
   * Saves the active bot's model settings, reachable or not (an owner may prepare before installing
   * Ollama); `warning` says when the server cannot be reached or does not have the model yet.
   */
  'llm.save': method(z.object({ llm: LlmConfigSchema }).strict(), z.object({ savedAt: z.number(), warning: z.string().optional() })),
  /** Starts pulling a model into Ollama; progress comes as `llm.pullProgress` events with this pullId. */
  'llm.pull': method(z.object({ model: z.string().trim().min(1).max(200), llm: LlmTargetSchema.optional() }).strict(), z.object({ pullId: z.string() })),
  'llm.pullCancel': method(z.object({ pullId: z.string().min(1) }).strict(), z.object({ cancelled: z.boolean() })),

  /** Adds (`previousName` absent) or replaces a server of the active bot; `previousName` renames. */
  'mcp.saveServer': method(
    z.object({ name: NewServerNameSchema, server: McpServerConfigSchema, previousName: ServerNameSchema.optional() }).strict(),
    z.object({ saved: z.string() }),
  ),
  /** Removes the server from the active bot's settings; `deleteSecrets` also removes its keychain secrets. */
  'mcp.removeServer': method(
    z.object({ name: ServerNameSchema, deleteSecrets: z.boolean().optional() }).strict(),
    z.object({ removed: z.string(), secretsDeleted: z.number().int() }),
  ),
  /** The owner's read/write class of one tool (the config's `tools` map). Read counts only once the tool is approved. */
  'mcp.setToolClass': method(
    z.object({ server: ServerNameSchema, tool: z.string().min(1).max(200), class: ToolClassSchema }).strict(),
    z.object({ tools: z.record(z.string(), ToolClassSchema) }),
  ),
  /**
   * Adds the example shop (the CRM server bundled with the app, its tools classified) to the
   * active bot as "crm" and approves what it runs: one click to try tools. CONFLICT when the bot
   * has a server of that name, or the app does not ship the example.
   */
  'mcp.addExampleShop': method(empty, z.object({ added: z.string(), command: z.string(), commandText: ConsentTextSchema.optional() })),
  /** State, pid, restarts, last error and recent stderr of a server; never starts it. */
  'mcp.serverStatus': method(z.object({ server: ServerNameSchema }).strict(), ServerStatusSchema),
  /** Starts an approved server now (also after its circuit opened) and returns its status. */
  'mcp.connect': method(z.object({ server: ServerNameSchema }).strict(), ServerStatusSchema),
  /**
   * Reads a pasted `mcpServers` config of another MCP client (Claude Desktop, Cursor: `{ "mcpServers": {…} }`
   * or the bare map). INVALID_INPUT with line and column for bad JSON, the field for a bad entry.
   */
  'mcp.importPreview': method(
    z.object({ text: z.string().max(1_000_000), folder: ImportFolderSchema.optional() }).strict(),
    z.object({ servers: z.array(ImportPreviewServerSchema) }),
  ),
  /**
   * Adds the pasted servers. Every value that looks like a secret must be listed in
   * `moveToKeychain` (stored as a secret of that server, the config gets { "secret": NAME }) or
   * in `keepPlain`; refused (CONFLICT) on a name clash, and (INVALID_INPUT) when a relative path
   * has no `folder` to be resolved against. `grants`: each stdio server's sandbox as the owner
   * ticked it (a server not listed gets the default sandbox, whatever the pasted text granted);
   * INVALID_INPUT for an unknown or remote server, a server listed twice, a grant that is not
   * valid. Nothing is stored when it is refused.
   */
  'mcp.import': method(
    z
      .object({
        text: z.string().max(1_000_000),
        folder: ImportFolderSchema.optional(),
        moveToKeychain: z.array(ImportFieldSchema).default([]),
        keepPlain: z.array(ImportFieldSchema).default([]),
        grants: z.array(ImportGrantSchema).default([]),
      })
      .strict(),
    z.object({ added: z.array(z.string()), secretsStored: z.number().int() }),
  ),
} as const;

export const settingsEvents = {
  /** The bots or the active bot changed: reload settings, catalogue and status. */
  'bots.changed': z.object({ activeBot: z.string() }),
  /** A bot's settings were saved. */
  'settings.changed': z.object({ bot: z.string() }),
  /** An MCP server of the active bot started, became ready, crashed, restarted or stopped. */
  'mcp.serverChanged': z.object({ bot: z.string(), server: z.string(), type: z.string() }),
  'llm.pullProgress': PullProgressSchema,
} as const;
