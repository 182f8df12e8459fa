// Workspace config (DESIGN §5): the LLM and the MCP servers a bot uses.
// Secrets are references ({secret} = OS keychain, {env} = CLI environment), never values.
import { z } from 'zod';
import { canonicalLanguage, CUSTOMER_TEXT_KEYS, type CustomerTextKey, type CustomerTextOverrides } from './customer-texts';
import { OpeningHoursSchema } from './opening-hours';

export const SecretRefSchema = z.object({ secret: z.string().min(1) }).strict();
export const EnvRefSchema = z.object({ env: z.string().min(1) }).strict();
export const ConfigValueSchema = z.union([z.string(), SecretRefSchema, EnvRefSchema]);
export type ConfigValue = z.infer<typeof ConfigValueSchema>;

export const ToolClassSchema = z.enum(['read', 'write']);
export type ToolClass = z.infer<typeof ToolClassSchema>;

const serverCommon = {
  /** The owner's classification per tool. A tool not listed here is treated as write. */
  tools: z.record(z.string(), ToolClassSchema).optional(),
  /** Per-call timeout in milliseconds (default 30 s). */
  timeoutMs: z.number().int().positive().max(600_000).optional(),
};

/** Signing algorithms for private_key_jwt (RFC 7523); without one it follows from the key's type. */
export const JwtAlgorithmSchema = z.enum(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA']);

const oauth2Fields = {
  type: z.literal('oauth2'),
  /** Without it (remote servers only), the token endpoint is found in the server's metadata (RFC 9728, RFC 8414). */
  tokenUrl: z.string().url().optional(),
  clientId: z.string().min(1),
  /** client_secret_basic. */
  clientSecret: ConfigValueSchema.optional(),
  /** private_key_jwt: the PEM (PKCS #8) private key, kept in the keychain ({"secret": NAME}). */
  privateKey: ConfigValueSchema.optional(),
  algorithm: JwtAlgorithmSchema.optional(),
  scope: z.string().optional(),
  /** RFC 8707 resource indicator sent with the token request (default: the server's metadata says). */
  resource: z.string().url().optional(),
};
type OAuth2Fields = { clientSecret?: unknown; privateKey?: unknown; algorithm?: unknown };
/** Exactly one way for the client to prove itself; `algorithm` only with a private key. */
const oneClientAuth = (auth: OAuth2Fields, ctx: z.RefinementCtx) => {
  if ((auth.clientSecret === undefined) === (auth.privateKey === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['clientSecret'], message: 'give either clientSecret (client_secret_basic) or privateKey (private_key_jwt), not both or neither' });
  }
  if (auth.algorithm !== undefined && auth.privateKey === undefined) {
    ctx.addIssue({ code: 'custom', path: ['algorithm'], message: 'algorithm is for privateKey (private_key_jwt) only' });
  }
};

/** OAuth2 client credentials (RFC 6749 §4.4) for a remote server. */
export const OAuth2Schema = z.object(oauth2Fields).strict().superRefine(oneClientAuth);
/** For stdio servers: the access token is given to the process in this env variable. A process
 *  has no URL to discover the token endpoint from: tokenUrl is required. */
export const StdioOAuth2Schema = z
  .object({ ...oauth2Fields, tokenUrl: z.string().url(), tokenEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/) })
  .strict()
  .superRefine(oneClientAuth);

/**
 * What a stdio server may reach beyond its own work folder, temp folder and install folder
 * (docs/mcp-sandbox.md). Part of what the owner consents to: a changed grant asks again.
 */
export const SandboxGrantSchema = z
  .object({
    /** Extra folders, read-only or read-write (e.g. the folder a filesystem server serves). */
    folders: z.array(z.object({ path: z.string().min(1), access: z.enum(['read', 'write']) }).strict()).optional(),
    /** 'none' (the default), 'all', or only these hosts (`api.example.com`, `*.example.com`, `127.0.0.1:8080`). */
    network: z.union([z.enum(['none', 'all']), z.object({ hosts: z.array(z.string().min(1)).min(1) }).strict()]).optional(),
    /** The Docker socket: whoever holds it controls the machine. Needed by `docker run` servers. */
    docker: z.boolean().optional(),
  })
  .strict();
export type SandboxGrant = z.infer<typeof SandboxGrantSchema>;

export const StdioServerSchema = z
  .object({
    command: z.string().min(1),
    args: z.array(z.string()).optional(),
    env: z.record(z.string(), ConfigValueSchema).optional(),
    cwd: z.string().optional(),
    auth: StdioOAuth2Schema.optional(),
    sandbox: SandboxGrantSchema.optional(),
    ...serverCommon,
  })
  .strict();

/**
 * The browser sign-in (MCP authorization flow) of a remote server, all optional: without it the
 * studio registers itself with the server's authorization server (dynamic client registration).
 * The client is identified in the spec's order: clientId (+ clientSecret) pre-registered with the
 * authorization server, else clientMetadataUrl (a client ID metadata document), else registration.
 */
export const SignInConfigSchema = z
  .object({
    clientId: z.string().min(1).optional(),
    clientSecret: ConfigValueSchema.optional(),
    /** An https URL (with a path) serving this client's metadata document. */
    clientMetadataUrl: z
      .string()
      .url()
      .refine((u) => /^https:\/\/[^/]+\/./.test(u), 'clientMetadataUrl must be an https URL with a path')
      .optional(),
    /** Scopes to ask for when the server names none (space-separated). */
    scope: z.string().optional(),
  })
  .strict()
  .refine((c) => c.clientSecret === undefined || c.clientId !== undefined, { message: 'signIn.clientSecret needs signIn.clientId', path: ['clientSecret'] });
export type SignInConfig = z.infer<typeof SignInConfigSchema>;

export const HttpServerSchema = z
  .object({
    url: z.string().url(),
    headers: z.record(z.string(), ConfigValueSchema).optional(),
    auth: OAuth2Schema.optional(),
    signIn: SignInConfigSchema.optional(),
    ...serverCommon,
  })
  .strict();

export const McpServerConfigSchema = z.union([StdioServerSchema, HttpServerSchema]);
export type McpServerConfig = z.infer<typeof McpServerConfigSchema>;
export type StdioServerConfig = z.infer<typeof StdioServerSchema>;
export type HttpServerConfig = z.infer<typeof HttpServerSchema>;
export type OAuth2Config = z.infer<typeof OAuth2Schema>;

export const LlmConfigSchema = z
  .object({
    provider: z.enum(['ollama', 'openai']),
    /** Ollama host, or the base URL of an OpenAI-compatible endpoint. */
    host: z.string().url().optional(),
    baseUrl: z.string().url().optional(),
    model: z.string().min(1),
    apiKey: ConfigValueSchema.optional(),
    headers: z.record(z.string(), ConfigValueSchema).optional(),
    /** Per-request timeout in milliseconds (default 120 s). */
    timeoutMs: z.number().int().positive().optional(),
    /** The provider's embeddings model for knowledge collections ("nomic-embed-text"); absent: full-text search only. */
    embeddingModel: z.string().min(1).optional(),
  })
  .strict();
export type LlmConfig = z.infer<typeof LlmConfigSchema>;

/**
 * Server names that would share a keychain scope with the studio's own secrets (each server's
 * secrets are kept under its name, core/secret-account.ts): "llm" is the model's. The other
 * internal scopes start with "@", which no server name can contain. Compared without case:
 * Windows' credential store ignores it.
 */
export const RESERVED_SERVER_NAMES: readonly string[] = ['llm'];
export const isReservedServerName = (name: string): boolean => RESERVED_SERVER_NAMES.includes(name.toLowerCase());
export const reservedServerNameProblem = (name: string): string =>
  `the server name "${name}" is reserved (the model's secrets are kept under "llm")`;

/** An MCP server's name in the config: letters, digits, _ and -; never a reserved one. */
export const ServerNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]+$/, 'a server name uses letters, digits, _ and -')
  .refine((name) => !isReservedServerName(name), { error: (issue) => reservedServerNameProblem(String(issue.input)) });

/** A BCP 47 language tag ("pt-BR", "es", "de-CH"). */
export const LanguageTagSchema = z.string().refine((tag) => canonicalLanguage(tag) !== undefined, {
  error: (issue) => `"${String(issue.input)}" is not a language tag: write one like "en", "pt-BR" or "es"`,
});

export const CustomerTextOverridesSchema = z
  .object(Object.fromEntries(CUSTOMER_TEXT_KEYS.map((key) => [key, z.string().optional()])) as Record<CustomerTextKey, z.ZodOptional<z.ZodString>>)
  .strict();

export const WorkspaceConfigSchema = z
  .object({
    $schema: z.string().optional(),
    llm: LlmConfigSchema.optional(),
    mcpServers: z.record(ServerNameSchema, McpServerConfigSchema).default({}),
    /** Extra replies that count as "yes" to a confirm question (case-insensitive), in every language. */
    confirmWords: z.array(z.string().min(1)).optional(),
    /** The language of this bot's flows that name none (BCP 47, "pt-BR"); absent: English. */
    language: LanguageTagSchema.optional(),
    /** The owner's own wording of the bot's texts, per language: { "pt-BR": { "failure": "…" } }. */
    customerTexts: z.record(LanguageTagSchema, CustomerTextOverridesSchema).optional(),
    /** When the business is open (shared/opening-hours.ts): flows branch on `open_now`; WhatsApp may answer with the away text. */
    openingHours: OpeningHoursSchema.optional(),
  })
  .strict();
export type WorkspaceConfig = z.infer<typeof WorkspaceConfigSchema>;

/** The bot's language settings as the engine takes them (EngineContext `language`, `textOverrides`). */
export function languageOf(config: Pick<WorkspaceConfig, 'language' | 'customerTexts'>): { language?: string; textOverrides?: Record<string, CustomerTextOverrides> } {
  return {
    ...(config.language !== undefined ? { language: config.language } : {}),
    ...(config.customerTexts !== undefined ? { textOverrides: config.customerTexts } : {}),
  };
}
