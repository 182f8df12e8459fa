// The composition root: builds the runtime's ports from the real adapters. The CLI, the
// Electron main process and the web host all get their services from here.
import { randomUUID } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import type { Flow } from '../shared/flow';
import { languageOf, type LlmConfig, type WorkspaceConfig } from '../shared/workspace-config';
import type { ToolClassifier } from '../core/tool-policy';
import { ConversationRunner, type RunnerDeps } from '../runtime/conversation-runner';
import type { LanguageDetector, LlmPort, StorePort } from '../runtime/ports';
import { createOllamaLlm } from '../adapters/llm/ollama-llm';
import { createOpenAiLlm } from '../adapters/llm/openai-llm';
import { createEldDetector } from '../adapters/language/eld-detector';
import { createHttpTransport } from '../adapters/mcp/http-transport';
import { createMcpHub, sandboxSupport, type McpHub, type McpServerEvent, type SandboxSupport } from '../adapters/mcp/mcp-hub';
import { createMcpSignIn, type McpSignIn } from '../adapters/oauth/mcp-sign-in';
import type { ApprovalsStore } from '../adapters/store/approvals-store';
import { sqliteStorage, type Storage } from './storage';
import { createGovernedMcp, type ConsentMode, type GovernedMcp } from '../runtime/governed-mcp';
import { createRedactor, type Redactor } from '../core/redact';
import type { SecretsPort, ValueResolver } from '../runtime/ports';
import { createKeytarSecrets } from '../adapters/secrets/keytar-secrets';
import { AuditKeyLockedError, loadAuditKey, rememberKeyedSince } from './audit-key';
import { createTokenSources } from './mcp-token-sources';
import { createValueResolver, setSecretCommand } from './resolve-value';
import { openKnowledgeBase, type KnowledgeBase } from '../adapters/knowledge/knowledge-base';
import { createEmbedder, type Embedder } from '../adapters/knowledge/embedders';

export interface Workspace {
  bot: string;
  config: WorkspaceConfig;
  /** Knows every secret/env value resolved so far: mask text with it before showing or storing it. */
  redactor: Redactor;
  store: StorePort;
  /** MCP with the owner's decisions enforced (consent, pinning, classes): docs/mcp-approvals.md. */
  mcp: GovernedMcp;
  /** The servers' supervision underneath `mcp`: status and stderr only. Never call tools or connect through it (no consent checks). */
  hub: Pick<McpHub, 'status' | 'statuses' | 'connect'>;
  /** Server consents and tool pins, per bot, in the data dir. */
  approvals: ApprovalsStore;
  /** The browser sign-in of remote servers (tokens in the keychain); a sign-in or sign-out restarts the server's connection. */
  signIn: McpSignIn;
  llm?: LlmPort;
  /** The bot's knowledge collections (in the data dir's database). */
  knowledge: KnowledgeBase;
  classify: ToolClassifier;
  runner(
    flow: Flow,
    flowSource: string,
    hooks: Pick<RunnerDeps, 'onEvent'> & Partial<Pick<RunnerDeps, 'channel' | 'emitSteps' | 'dryRunWrites'>>,
  ): ConversationRunner;
  close(): Promise<void>;
}

/** The bot the CLI acts for when none is named: secrets and approvals are kept per bot. */
export const DEFAULT_BOT = 'default';

export interface WorkspaceOptions {
  /** Secrets, approvals and server processes are never shared between bots. */
  bot?: string;
  config: WorkspaceConfig;
  /** The config file, whose folder relative server paths are resolved against. */
  configPath?: string;
  dataDir: string;
  /** Where conversations, the audit log and approvals are kept (default: the data folder's flowbot.db). */
  storage?: Storage;
  /** 'config-approves' (default, the CLI): the config file is the owner's approval; 'ask' (the app). */
  consent?: ConsentMode;
  /** Where {"secret"} values come from (default: the OS keychain through keytar). */
  secrets?: SecretsPort;
  /** Lifecycle events of the MCP servers (starting, ready, crashed, ...). */
  onMcpEvent?: (event: McpServerEvent) => void;
  /** The stdio servers' OS sandbox (docs/mcp-sandbox.md): always on where the machine has one. */
  sandbox?: WorkspaceSandboxOptions;
}

export interface WorkspaceSandboxOptions {
  /**
   * Where no sandbox can be made, run stdio servers anyway (the CLI's --allow-unsandboxed). In
   * 'ask' mode the owner's consent covers it: the consent line says the server runs unsandboxed.
   */
  allowUnsandboxed?: boolean;
  /** More folders to hide from every server (the studio's data folder when it is not dataDir). */
  extraDataDirs?: string[];
  /** For tests: what the machine offers, and the owner's home. */
  support?: SandboxSupport;
  home?: string;
}

const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';

/** One detector for the process: its database (about 140 MB) is loaded at the first detection, only for a flow that detects. */
let sharedDetector: LanguageDetector | undefined;
const languageDetector = (): LanguageDetector => (sharedDetector ??= createEldDetector());

export async function openWorkspace(options: WorkspaceOptions): Promise<Workspace> {
  const { config } = options;
  const bot = options.bot ?? DEFAULT_BOT;
  const redactor = createRedactor();
  const storage = options.storage ?? sqliteStorage(options.dataDir);
  const secrets = options.secrets ?? createKeytarSecrets();
  // Bot secrets are read when a server starts or the model client is made, never before. The
  // audit chain's key is read now: no conversation starts that could not append (app/audit-key.ts).
  const resolveValue = createValueResolver({ bot, secrets, env: process.env, redactor, defaultBot: DEFAULT_BOT });
  const llm = config.llm ? createLlm(config.llm, resolveValue, bot) : undefined;
  const { key: auditKey, problem } = await loadAuditKey(secrets, { create: true });
  // The keychain remembers from which record the log is keyed (a downgrade then fails verify);
  // written once, awaited by close().
  const remembering = new Set<Promise<void>>();
  const remember = (seq: number) => {
    const done: Promise<void> = rememberKeyedSince(secrets, storage.logId, seq)
      .catch(() => undefined) // the keychain just gave the key: a failure here only loses the marker
      .finally(() => remembering.delete(done));
    remembering.add(done);
  };
  const store = storage.conversations(auditKey ? { auditKey, onKeyedFrom: remember } : {});
  if (!auditKey && (await store.auditIsKeyed())) {
    // Refuse before any conversation: a tool called now could not be recorded afterwards.
    await store.close();
    throw new AuditKeyLockedError(problem);
  }
  const keyedFrom = auditKey ? await store.auditKeyedFrom() : undefined;
  if (keyedFrom !== undefined) remember(keyedFrom); // logs keyed before the keychain remembered it
  const tokenSourceFor = createTokenSources(config, resolveValue, redactor);
  const signIn = createMcpSignIn({
    bot,
    servers: () => config.mcpServers,
    secrets,
    resolveValue,
    onSecret: (value) => redactor.add(value),
    onChange: (server) => inner.disconnect(server),
  });
  const mode = options.consent ?? 'config-approves';
  const support = options.sandbox?.support ?? sandboxSupport();
  const unsandboxed = support.available ? undefined : support.reason;
  const inner: McpHub = createMcpHub({
    servers: config.mcpServers,
    sandbox: {
      settings: {
        dataDirs: [options.dataDir, ...(options.sandbox?.extraDataDirs ?? [])],
        workRoot: join(options.dataDir, 'mcp-servers', encodeURIComponent(bot)),
        ...(options.sandbox?.home ? { home: options.sandbox.home } : {}),
      },
      support,
      // 'ask': nothing starts before the owner approved the line that says "runs WITHOUT a sandbox".
      allowUnsandboxed: mode === 'ask' || options.sandbox?.allowUnsandboxed === true,
    },
    resolveValue,
    tokenSourceFor,
    httpTransport: (name, server) => {
      const auth = server.auth ? undefined : signIn.connection(name);
      return createHttpTransport(name, server, { resolveValue, tokenSource: tokenSourceFor(name), ...(auth ? { signIn: auth } : {}) });
    },
    redact: (text) => redactor.redact(text),
    cwd: options.configPath ? dirname(resolve(options.configPath)) : process.cwd(),
    ...(options.onMcpEvent ? { onEvent: options.onMcpEvent } : {}),
  });
  const clock = { now: () => Date.now() };
  const approvals = storage.approvals();
  const mcp = createGovernedMcp({ inner, bot, config, approvals, mode, clock, ...(unsandboxed !== undefined ? { unsandboxed } : {}) });
  const classify = mcp.classify;
  const ids = { newId: () => randomUUID() };
  const embedder = config.llm ? createLlmEmbedder(config.llm, resolveValue) : undefined;
  const knowledge = openKnowledgeBase({ dataDir: options.dataDir, ...(embedder ? { embedder } : {}), clock });
  return {
    bot,
    config,
    redactor,
    store,
    mcp,
    hub: inner,
    approvals,
    signIn,
    ...(llm ? { llm } : {}),
    knowledge,
    classify,
    runner: (flow, flowSource, hooks) =>
      new ConversationRunner({
        bot,
        flow,
        flowSource,
        store,
        mcp,
        modelTools: (server) => mcp.approvedTools(server),
        ...(llm ? { llm } : {}),
        knowledge,
        channel: hooks.channel ?? { send: async () => undefined },
        clock,
        ids,
        classify,
        redact: redactor,
        ...(config.confirmWords ? { confirmWords: config.confirmWords } : {}),
        ...languageOf(config),
        ...(config.openingHours ? { openingHours: config.openingHours } : {}),
        ...(flow.detectLanguage ? { languageDetector: languageDetector() } : {}),
        toolTimeoutMs: (server) => (Object.hasOwn(config.mcpServers, server) ? config.mcpServers[server]!.timeoutMs : undefined),
        ...(hooks.onEvent ? { onEvent: hooks.onEvent } : {}),
        ...(hooks.emitSteps ? { emitSteps: true } : {}),
        ...(hooks.dryRunWrites ? { dryRunWrites: true } : {}),
      }),
    async close() {
      await mcp.close();
      await approvals.close();
      knowledge.close();
      await store.close();
      await Promise.all(remembering);
    },
  };
}

/**
 * The model client for llm.provider. The API key and headers ({secret}/{env}) are resolved at
 * the first model call, not here: opening a workspace never touches the keychain for the LLM.
 */
export function createLlm(llm: LlmConfig, resolveValue: ValueResolver, bot: string): LlmPort {
  const headers = async () => {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(llm.headers ?? {})) out[name] = await resolveValue(value, { scope: 'llm', field: `llm.headers.${name}` });
    return out;
  };
  const key = llm.apiKey;
  const auth = {
    headers,
    ...(key !== undefined ? { apiKey: () => resolveValue(key, { scope: 'llm', field: 'llm.apiKey' }) } : {}),
    ...(key !== undefined ? { apiKeyHint: describeApiKey(key, bot) } : {}),
    ...(llm.timeoutMs ? { timeoutMs: llm.timeoutMs } : {}),
  };
  if (llm.provider === 'openai') return createOpenAiLlm({ baseUrl: llm.baseUrl ?? llm.host, model: llm.model, ...auth });
  return createOllamaLlm({ host: llm.host ?? DEFAULT_OLLAMA_HOST, model: llm.model, ...auth });
}

/** The embeddings of the bot's provider, when the config names an embeddings model (llm.embeddingModel). */
export function createLlmEmbedder(llm: LlmConfig, resolveValue: ValueResolver): Embedder | undefined {
  if (!llm.embeddingModel) return undefined;
  const key = llm.apiKey;
  return createEmbedder({
    provider: llm.provider,
    url: llm.provider === 'openai' ? (llm.baseUrl ?? llm.host ?? 'https://api.openai.com/v1') : (llm.host ?? DEFAULT_OLLAMA_HOST),
    model: llm.embeddingModel,
    ...(key !== undefined ? { apiKey: () => resolveValue(key, { scope: 'llm', field: 'llm.apiKey' }) } : {}),
    headers: async () => {
      const out: Record<string, string> = {};
      for (const [name, value] of Object.entries(llm.headers ?? {})) out[name] = await resolveValue(value, { scope: 'llm', field: `llm.headers.${name}` });
      return out;
    },
  });
}

/** Where llm.apiKey comes from, for the message when a server refuses it (never the value). */
function describeApiKey(value: NonNullable<LlmConfig['apiKey']>, bot: string): string {
  if (typeof value === 'string') return 'llm.apiKey in the workspace config';
  if ('env' in value) return `the environment variable ${value.env} (llm.apiKey)`;
  return `the keychain secret "${value.secret}" (llm.apiKey); replace it with: ${setSecretCommand(value.secret, 'llm', bot, DEFAULT_BOT)}`;
}
