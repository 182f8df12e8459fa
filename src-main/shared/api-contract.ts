// The API between the UI and the core, declared once. Electron IPC, the web host's WebSocket
// and the renderer's client are all generic over this contract: a method's input and output
// are parsed with these schemas on every call, and the preload exposes exactly these keys.
import { z } from 'zod';
import { FlowIdSchema, FlowSchema } from './flow';
import { ProblemSchema } from './problem';
import { WorkspaceConfigSchema } from './workspace-config';
import { OwnerTextSchema, type OwnerText } from './owner-text';
import { ConsentTextSchema } from './consent-texts';
import { RunBlockerSchema, type RunBlocker } from './run-blocker';
import { testsEvents, testsMethods } from './api/tests';
import { auditMethods } from './api/audit';
import { simulatorEvents, simulatorMethods } from './api/simulator';
import { method } from './api/method';
import { settingsEvents, settingsMethods } from './api/settings';
import { whatsappEvents, whatsappMethods } from './api/whatsapp';
import { httpChatMethods } from './api/http-chat';
import { translationsMethods } from './api/translations';
import { signInEvents, signInMethods } from './api/mcp-sign-in';
import { bundlesMethods } from './api/bundles';
import { desktopEvents, desktopMethods } from './api/desktop';
import { serveMethods } from './api/serve';
import { knowledgeEvents, knowledgeMethods } from './api/knowledge';

export { FlowIdSchema } from './flow';

export const FlowSummarySchema = z.object({
  id: FlowIdSchema,
  name: z.string(),
  description: z.string().optional(),
  /** The file on disk, for people who keep flows in git. */
  file: z.string(),
  updatedAt: z.number(),
  errorCount: z.number().int(),
  warningCount: z.number().int(),
});
export type FlowSummary = z.infer<typeof FlowSummarySchema>;

/**
 * A flow file that could not be loaded: shown with its problems, never overwritten. `id` is
 * taken from the file name (`<id>.flow.json`) when that is a valid id: use it for flows.get
 * (which returns the text), flows.export and flows.delete.
 */
export const BrokenFlowSchema = z.object({ id: FlowIdSchema.optional(), file: z.string(), problems: z.array(ProblemSchema) });
export type BrokenFlow = z.infer<typeof BrokenFlowSchema>;

export const FlowDocumentSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), flow: FlowSchema, problems: z.array(ProblemSchema), updatedAt: z.number() }),
  z.object({ ok: z.literal(false), file: z.string(), problems: z.array(ProblemSchema), text: z.string() }),
]);
export type FlowDocument = z.infer<typeof FlowDocumentSchema>;

export const TemplateSchema = z.object({ id: z.string(), name: z.string(), description: z.string().optional() });

export const CatalogToolSchema = z.object({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  inputSchema: z.record(z.string(), z.unknown()),
  suggestedClass: z.enum(['read', 'write']),
  effectiveClass: z.enum(['read', 'write']),
  status: z.enum(['approved', 'unapproved', 'changed']),
  /** Things the owner should look at (e.g. claims read-only but is named like a mutation). */
  flags: z.array(z.object({ code: z.string(), message: z.string(), text: OwnerTextSchema.optional() })).optional(),
  /** sha256 of the definition shown here: approving sends it back, so only what was reviewed is pinned. */
  definitionHash: z.string(),
});
export const CatalogServerSchema = z.object({
  name: z.string(),
  /** consent_required: the owner must approve `command` before the server is started. */
  status: z.enum(['ok', 'error', 'consent_required']),
  error: z.string().optional(),
  /** The exact command line (or URL) the server runs: what the owner approves (English: mcp.approveServer sends it back). */
  command: z.string().optional(),
  /** The same line as catalogue keys, shown in the owner's language (absent: show `command`). */
  commandText: ConsentTextSchema.optional(),
  consent: z.enum(['approved', 'new', 'changed']).optional(),
  tools: z.array(CatalogToolSchema),
});

const empty = z.object({}).strict();
const byId = z.object({ id: FlowIdSchema }).strict();

export const apiMethods = {
  'flows.list': method(empty, z.object({ flows: z.array(FlowSummarySchema), broken: z.array(BrokenFlowSchema) })),
  /** NOT_FOUND for an unknown id; a broken file comes back as `ok: false` with its text. */
  'flows.get': method(byId, FlowDocumentSchema),
  /**
   * Saves a whole flow (autosave) to `<id>.flow.json` of an existing flow (NOT_FOUND when there
   * is none: new flows come from create/import/duplicate). Refuses (CONFLICT) to overwrite a
   * file that is not a valid flow, and, when `expectedUpdatedAt` is given, a file changed on
   * disk since that time (pass the `updatedAt` of the last get/save).
   */
  'flows.save': method(
    z.object({ flow: FlowSchema, expectedUpdatedAt: z.number().optional() }).strict(),
    z.object({ updatedAt: z.number(), problems: z.array(ProblemSchema) }),
  ),
  /** A blank flow (one start step) or a copy of a template; the id is derived from the name, made unique. */
  'flows.create': method(z.object({ name: z.string().trim().min(1).max(120), templateId: z.string().optional() }).strict(), FlowSummarySchema),
  /** Changes the name people see; the id and the file stay (conversations refer to them). */
  'flows.rename': method(z.object({ id: FlowIdSchema, name: z.string().trim().min(1).max(120) }).strict(), FlowSummarySchema),
  /** A copy named "<name> (copy)" with a new id. */
  'flows.duplicate': method(byId, FlowSummarySchema),
  /** Moves the file (valid or broken) to the trash; `restoreToken` undoes it. */
  'flows.delete': method(byId, z.object({ restoreToken: z.string() })),
  /** Puts a deleted file back under its id (a new id when that is taken meanwhile). */
  'flows.restore': method(z.object({ restoreToken: z.string().min(1) }).strict(), FlowSummarySchema),
  /** A flow file's text; INVALID_INPUT naming the problems when it is not a flow. The id is kept when free. */
  'flows.import': method(z.object({ fileName: z.string().max(255), text: z.string().max(5_000_000) }).strict(), FlowSummarySchema),
  /** The file's exact text, valid or broken, as `<id>.flow.json`. */
  'flows.export': method(byId, z.object({ fileName: z.string(), text: z.string() })),
  /** Validates an unsaved flow (as the editor holds it) against the workspace config and catalog. */
  'flows.validate': method(z.object({ flow: z.unknown() }).strict(), z.object({ problems: z.array(ProblemSchema) })),
  'templates.list': method(empty, z.object({ templates: z.array(TemplateSchema) })),
  'settings.get': method(empty, z.object({ config: WorkspaceConfigSchema })),
  'settings.save': method(z.object({ config: WorkspaceConfigSchema }).strict(), z.object({ savedAt: z.number() })),
  /**
   * The MCP tool catalogue with read/write classes, as far as servers are configured. A server
   * that could not be reached has status "error" and `error` says why.
   */
  'mcp.catalog': method(empty, z.object({ servers: z.array(CatalogServerSchema) })),
  /** Approves exactly the command line the owner was shown (CONFLICT if it changed since). */
  'mcp.approveServer': method(z.object({ server: z.string().min(1), command: z.string() }).strict(), z.object({ approved: z.literal(true) })),
  /**
   * Pins the definitions the owner reviewed (approve new tools, re-approve changed ones): each
   * tool with the `definitionHash` the catalogue showed. CONFLICT, pinning nothing, when the
   * server now lists another definition; the message shows the new one.
   */
  'mcp.approveTools': method(
    z.object({
      server: z.string().min(1),
      tools: z.array(z.object({ name: z.string().min(1), definitionHash: z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 definition hash from mcp.catalog') }).strict()).min(1),
    }).strict(),
    z.object({ approved: z.array(z.string()) }),
  ),
  ...testsMethods,
  ...auditMethods,
  ...simulatorMethods,
  ...settingsMethods,
  ...whatsappMethods,
  ...httpChatMethods,
  ...translationsMethods,
  ...signInMethods,
  ...bundlesMethods,
  ...desktopMethods,
  ...serveMethods,
  ...knowledgeMethods,
} as const;

export const apiEvents = {
  /** A flow file was saved, created, renamed, deleted or restored (here, in another window or on disk). */
  'flows.changed': z.object({ id: z.string() }),
  ...testsEvents,
  ...simulatorEvents,
  ...settingsEvents,
  ...whatsappEvents,
  ...signInEvents,
  ...desktopEvents,
  ...knowledgeEvents,
} as const;

export type ApiMethods = typeof apiMethods;
export type ApiMethod = keyof ApiMethods;
export type ApiInput<M extends ApiMethod> = z.input<ApiMethods[M]['input']>;
export type ApiOutput<M extends ApiMethod> = z.output<ApiMethods[M]['output']>;
export type ApiEvent = keyof typeof apiEvents;
export type ApiEventPayload<E extends ApiEvent> = z.output<(typeof apiEvents)[E]>;

export const API_METHOD_NAMES = Object.keys(apiMethods) as ApiMethod[];
export const isApiMethod = (name: unknown): name is ApiMethod => typeof name === 'string' && Object.hasOwn(apiMethods, name);
export const API_EVENT_NAMES = Object.keys(apiEvents) as ApiEvent[];
export const isApiEvent = (name: unknown): name is ApiEvent => typeof name === 'string' && Object.hasOwn(apiEvents, name);

/**
 * What a failed call returns over any transport: a stable code and a message for people (`text`:
 * the same as a catalogue key, for the studio's language; `blockers`: the reasons a flow may not
 * run, listed after the message's first line).
 */
export const ApiErrorSchema = z.object({
  code: z.enum(['INVALID_INPUT', 'UNKNOWN_METHOD', 'NOT_FOUND', 'CONFLICT', 'FORBIDDEN', 'INTERNAL']),
  message: z.string(),
  text: OwnerTextSchema.optional(),
  blockers: z.array(RunBlockerSchema).optional(),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;
export type ApiErrorCode = ApiError['code'];

/** A failed call as an exception: what handlers throw and what a client may throw to its caller. */
export class ApiCallError extends Error {
  override readonly name = 'ApiCallError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly text?: OwnerText,
    readonly blockers?: RunBlocker[],
  ) {
    super(message);
  }
  toJSON(): ApiError {
    return { code: this.code, message: this.message, ...(this.text ? { text: this.text } : {}), ...(this.blockers ? { blockers: this.blockers } : {}) };
  }
}

/** The outcome of one call, the same over every transport (IPC returns it, the WebSocket adds the `id`). */
export type ApiResult<M extends ApiMethod = ApiMethod> = { ok: true; output: ApiOutput<M> } | { ok: false; error: ApiError };

// --- Transports ---------------------------------------------------------------------------
//
// Electron: the preload exposes `window.flowbot` (FlowbotBridge). `call` accepts only the
// contract's method names and resolves to an ApiResult (it never rejects for an API error);
// `on` subscribes to one contract event and returns the unsubscribe function.
//
// Web host: a WebSocket at API_WS_PATH on the page's own origin, opened with two subprotocols:
// API_WS_PROTOCOL and API_WS_TOKEN_PROTOCOL_PREFIX + the access token (from the printed
// address's #token=...; never a cookie). The host answers with API_WS_PROTOCOL. Frames are JSON text:
//   client -> server  {"id": 1, "method": "flows.get", "input": {"id": "faq"}}
//   server -> client  {"id": 1, "ok": true, "output": {...}}
//                     {"id": 1, "ok": false, "error": {"code": "INVALID_INPUT", "message": "..."}}
//                     {"event": "flows.changed", "payload": {"id": "faq"}}
// A frame that is not a request gets {"id": <its id or null>, "ok": false, "error": ...}; the
// connection stays open. Replies may come out of order: match them by id.

export const API_WS_PATH = '/api';
/** The subprotocol the web host's API speaks (and answers with). */
export const API_WS_PROTOCOL = 'flowbot-api';
/** The access token travels as a second subprotocol: this prefix + the token (base64url). */
export const API_WS_TOKEN_PROTOCOL_PREFIX = 'flowbot-token.';
/**
 * Off loopback (a signed-in session instead of the token): the close code of an API socket whose
 * session ended (sign-out, expiry, a new password). The page then goes to the sign-in page.
 */
export const API_WS_SIGNED_OUT_CLOSE_CODE = 4401;
/** Largest WebSocket frame the web host accepts (bytes); a bigger one closes the connection (1009). */
export const API_WS_MAX_FRAME_BYTES = 16 * 1024 * 1024;

export const WireRequestSchema = z.object({ id: z.number(), method: z.string(), input: z.unknown() });
export type WireRequest = z.infer<typeof WireRequestSchema>;
export const WireReplySchema = z.union([
  z.object({ id: z.number().nullable(), ok: z.literal(true), output: z.unknown() }),
  z.object({ id: z.number().nullable(), ok: z.literal(false), error: ApiErrorSchema }),
]);
export type WireReply = z.infer<typeof WireReplySchema>;
export const WireEventSchema = z.object({ event: z.string(), payload: z.unknown() });
export type WireEvent = z.infer<typeof WireEventSchema>;

/** `window.flowbot` in the desktop app (see the preload). */
export interface FlowbotBridge {
  /** The app's version (package.json). */
  readonly version: string;
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiResult<M>>;
  on<E extends ApiEvent>(event: E, listener: (payload: ApiEventPayload<E>) => void): () => void;
}

/** The one client type the renderer uses, whatever carries the calls (IPC or WebSocket). */
export interface ApiClient {
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>>;
  on<E extends ApiEvent>(event: E, listener: (payload: ApiEventPayload<E>) => void): () => void;
}
