// Workspace config (DESIGN §5): the LLM and the MCP servers a bot uses.
// Secrets are references ({secret} = OS keychain, {env} = CLI environment), never values.
import { z } from 'zod';

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

export const OAuth2Schema = z
  .object({
    type: z.literal('oauth2'),
    tokenUrl: z.string().url(),
    clientId: z.string().min(1),
    clientSecret: ConfigValueSchema,
    scope: z.string().optional(),
    /** RFC 8707 resource indicator sent with the token request. */
    resource: z.string().url().optional(),
  })
  .strict();
/** For stdio servers: the access token is given to the process in this env variable. */
export const StdioOAuth2Schema = OAuth2Schema.extend({ tokenEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/) }).strict();

export const StdioServerSchema = z
  .object({
    command: z.string().min(1),
    args: z.array(z.string()).optional(),
    env: z.record(z.string(), ConfigValueSchema).optional(),
    cwd: z.string().optional(),
    auth: StdioOAuth2Schema.optional(),
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

export const WorkspaceConfigSchema = z
  .object({
    $schema: z.string().optional(),
    llm: LlmConfigSchema.optional(),
    mcpServers: z.record(ServerNameSchema, McpServerConfigSchema).default({}),
    /** Extra replies that count as "yes" to a confirm question (case-insensitive). */
    confirmWords: z.array(z.string().min(1)).optional(),
  })
  .strict();
export type WorkspaceConfig = z.infer<typeof WorkspaceConfigSchema>;
