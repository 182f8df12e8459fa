// The ports: every effect the runtime performs goes through one of these interfaces.
// Real implementations live in src-main/adapters; the composition root wires them.
import type { AuditEntry, AuditRecord, ConversationState } from '../shared/conversation';
import type { LlmMessage, LlmModelInfo, LlmToolCall, LlmToolSpec } from '../shared/llm-message';
import type { ToolDefinition } from '../shared/tool-definition';
import type { ConfigValue } from '../shared/workspace-config';

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

// ---- MCP -------------------------------------------------------------------------

export type { ToolDefinition } from '../shared/tool-definition';

export interface ToolCallResult {
  isError: boolean;
  content: unknown[];
  structuredContent?: Record<string, unknown>;
  /** The text parts of `content`, joined: what a flow saves and a person reads. */
  text: string;
}

export interface McpPort {
  /** Lists a server's tools, starting (connecting) the server first if needed. */
  listTools(server: string, opts?: CallOptions): Promise<ToolDefinition[]>;
  /** Rejects with an error naming the server and the cause (timeout, cancelled, server unavailable). */
  callTool(server: string, tool: string, args: Record<string, unknown>, opts?: CallOptions): Promise<ToolCallResult>;
  close(): Promise<void>;
}

/** Where a config value lives, for keychain namespacing and for error messages. */
export interface ValueRef {
  /** The server name, or "llm". Secrets are namespaced by bot and scope. */
  scope: string;
  /** The config path, e.g. "mcpServers.crm.env.CRM_TOKEN". */
  field: string;
}

/** Resolves a {secret}/{env}/plain config value. Throws a clear error naming ref.field. */
export type ValueResolver = (value: ConfigValue, ref: ValueRef) => Promise<string>;

/** An OAuth2 access token source (client credentials) that refreshes before expiry. */
export interface TokenSource {
  /** A valid token; fetches or refreshes when missing or close to expiry. */
  getToken(opts?: CallOptions): Promise<{ accessToken: string; expiresAt: number | null }>;
  /** The server rejected the token (revoked): the next getToken fetches a new one. */
  invalidate(): void;
}

/** Owner decisions about MCP servers, persisted in the data dir (per bot). */
export interface ApprovalsPort {
  /** The fingerprint of the server config (command, args, env names, url) the owner approved. */
  serverApproval(bot: string, server: string): Stored<{ fingerprint: string; approvedAt: number } | undefined>;
  approveServer(bot: string, server: string, fingerprint: string, at: number): Stored<void>;
  /** Approved tool definitions (hash of name, title, description, schemas, annotations). */
  toolPins(bot: string, server: string): Stored<{ tool: string; definitionHash: string; approvedAt: number }[]>;
  pinTools(bot: string, server: string, pins: { tool: string; definitionHash: string }[], at: number): Stored<void>;
}

// ---- Secrets (OS keychain, service "flowbot-studio") --------------------------------

export interface SecretsPort {
  /** undefined when absent. Throws a clear error when the keychain is unavailable or locked. */
  get(account: string): Promise<string | undefined>;
  set(account: string, value: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

// ---- LLM -------------------------------------------------------------------------

export interface LlmChatRequest {
  messages: LlmMessage[];
  /** The tools the model may call in this turn (only these). Absent or empty: none are sent. */
  tools?: LlmToolSpec[];
}

export interface LlmChatOptions extends CallOptions {
  /** Streams the reply: called with each new piece of text, in order; the pieces join to `text`. */
  onText?: (delta: string) => void;
}

export interface LlmChatResult {
  /** The model's words (a leading <think>…</think> block removed). May be empty when it only called tools. */
  text: string;
  /** The tool calls of this turn, in order; never throws for malformed arguments (see LlmToolCall.rawArguments). */
  toolCalls: LlmToolCall[];
}

/**
 * One provider (Ollama, OpenAI-compatible). Calls reject with an LlmError (shared/llm-message):
 * a message an owner can act on, and a `kind` the tool loop can branch on.
 */
export interface LlmPort {
  chat(request: LlmChatRequest, opts?: LlmChatOptions): Promise<LlmChatResult>;
  listModels(opts?: CallOptions): Promise<LlmModelInfo[]>;
  /** Downloads a model onto the server (Ollama only); resolves once it is installed. */
  pull?(model: string, opts: LlmPullOptions): Promise<void>;
}

/** One progress line of a model download, in the server's words. */
export interface LlmPullProgress {
  status: string;
  digest?: string;
  completed?: number;
  total?: number;
}

export interface LlmPullOptions {
  /** Cancels the download. */
  signal?: AbortSignal;
  /** A download may take hours: it fails only when nothing arrives for this long (default 120 s). */
  idleTimeoutMs?: number;
  onProgress(progress: LlmPullProgress): void;
}

// ---- Language identification (multilingual flows) --------------------------------------

export interface LanguageDetector {
  /** The language `text` is written in, as one of `languages` (BCP 47 tags); undefined when it cannot tell. */
  detect(text: string, languages: readonly string[]): Promise<string | undefined>;
}

// ---- Knowledge (README "Answers from your documents") ----------------------------------

export type { KnowledgeHit, KnowledgeSearch } from '../shared/knowledge';
import type { KnowledgeHit, KnowledgeSearch } from '../shared/knowledge';

/** Searches a bot's knowledge collections. What it returns is untrusted text from documents. */
export interface KnowledgePort {
  search(bot: string, request: KnowledgeSearch, opts?: CallOptions): Promise<KnowledgeHit[]>;
}

// ---- Channel (where bot messages go: the CLI, the simulator, WhatsApp) ---------------

export interface ChannelPort {
  /**
   * Delivers a bot message; `question`: it is confirmation question number n. Resolves once the
   * customer has it (the CLI, the simulator), or with 'queued' when the channel sends it later
   * (WhatsApp): such a channel reports a question's delivery through
   * ConversationRunner.questionDelivered, and until then no dated answer counts.
   */
  send(conversationId: string, text: string, question?: number): Promise<void | 'queued'>;
}

// ---- Clock and ids ---------------------------------------------------------------

export interface Clock {
  now(): number;
}

export interface IdSource {
  newId(): string;
}

// ---- Store -----------------------------------------------------------------------

export interface ConversationRecord {
  id: string;
  flowId: string;
  /** Where the flow came from (a file path), for humans. */
  flowSource: string;
  state: ConversationState;
  createdAt: number;
  updatedAt: number;
}

export interface TranscriptEntry {
  id: number;
  role: 'customer' | 'bot';
  text: string;
  at: number;
  delivered: boolean;
}

export interface ConfirmationInput {
  conversationId: string;
  /** The tool node the confirmation is for. */
  nodeId: string;
  server: string;
  tool: string;
  args: Record<string, unknown>;
  /** hash(server, tool, args, tool definition): see core/call-hash. */
  callHash: string;
  at: number;
}

import type { AuditVerification } from '../shared/api/audit';
/** `keyedFrom`: the first record chained with the keychain's key (core/audit-chain.ts). */
export type { AuditVerification };

/**
 * What a store method answers: the embedded SQLite adapter answers at once (better-sqlite3 and
 * node:sqlite are synchronous, and the per-step commit stays as cheap as it was), PostgreSQL
 * with a promise. Callers always `await` it, so the runtime is written for the asynchronous case.
 */
export type Stored<T> = T | Promise<T>;

/** The port form of a store interface written synchronously (as SQLite implements it): every method may answer with a promise. */
export type StoredAll<S> = { [K in keyof S]: S[K] extends (...args: infer A) => infer R ? (...args: A) => Stored<R> : S[K] };

export interface StorePort {
  createConversation(record: Omit<ConversationRecord, 'updatedAt'>): Stored<void>;
  /** Throws a clear error if the stored state no longer parses. */
  getConversation(id: string): Stored<ConversationRecord | undefined>;
  /** Atomically saves the state after a step together with the bot messages it produced. */
  commitStep(conversationId: string, state: ConversationState, outgoing: string[], at: number): Stored<TranscriptEntry[]>;
  addCustomerMessage(conversationId: string, text: string, at: number): Stored<TranscriptEntry>;
  markDelivered(messageIds: number[]): Stored<void>;
  undelivered(conversationId: string): Stored<TranscriptEntry[]>;
  /** The most recent `limit` entries, oldest first. */
  transcript(conversationId: string, limit: number): Stored<TranscriptEntry[]>;

  recordConfirmation(input: ConfirmationInput): Stored<string>;
  /** Marks the matching unused confirmation used and returns its id, or undefined. Atomic across processes. */
  consumeConfirmation(match: { conversationId: string; nodeId: string; callHash: string; at: number }): Stored<string | undefined>;
  /** Voids every unused confirmation of a conversation (a new customer message arrived). */
  expireConfirmations(conversationId: string, at: number): Stored<void>;

  /** Appends to the hash chain; concurrent appenders (other processes) are serialized, the chain stays linear. */
  appendAudit(entry: AuditEntry): Stored<AuditRecord>;
  listAudit(filter?: { conversationId?: string; limit?: number }): Stored<AuditRecord[]>;
  verifyAudit(): Stored<AuditVerification>;
  close(): Stored<void>;
}
