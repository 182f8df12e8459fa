// The API between the UI and the core, declared once. Electron IPC, the web host's WebSocket
// and the renderer's client are all generic over this contract: a method's input and output
// are parsed with these schemas on every call, and the preload exposes exactly these keys.
import { z } from 'zod';
import { FlowSchema } from './flow';
import { ProblemSchema } from './problem';
import { WorkspaceConfigSchema } from './workspace-config';

const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

export const FlowIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a flow id uses lowercase letters, digits and dashes');

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

/** A flow file that could not be loaded: shown with its problems, never overwritten. */
export const BrokenFlowSchema = z.object({ file: z.string(), problems: z.array(ProblemSchema) });

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
});
export const CatalogServerSchema = z.object({
  name: z.string(),
  status: z.enum(['ok', 'error']),
  error: z.string().optional(),
  tools: z.array(CatalogToolSchema),
});

const empty = z.object({}).strict();
const byId = z.object({ id: FlowIdSchema }).strict();

export const apiMethods = {
  'flows.list': method(empty, z.object({ flows: z.array(FlowSummarySchema), broken: z.array(BrokenFlowSchema) })),
  'flows.get': method(byId, FlowDocumentSchema),
  /** Saves a whole flow (autosave). Refuses to overwrite a file that is not a valid flow. */
  'flows.save': method(z.object({ flow: FlowSchema }).strict(), z.object({ updatedAt: z.number(), problems: z.array(ProblemSchema) })),
  'flows.create': method(z.object({ name: z.string().trim().min(1).max(120), templateId: z.string().optional() }).strict(), FlowSummarySchema),
  'flows.rename': method(z.object({ id: FlowIdSchema, name: z.string().trim().min(1).max(120) }).strict(), FlowSummarySchema),
  'flows.duplicate': method(byId, FlowSummarySchema),
  /** Moves the file to the trash; `restoreToken` undoes it. */
  'flows.delete': method(byId, z.object({ restoreToken: z.string() })),
  'flows.restore': method(z.object({ restoreToken: z.string().min(1) }).strict(), FlowSummarySchema),
  'flows.import': method(z.object({ fileName: z.string().max(255), text: z.string().max(5_000_000) }).strict(), FlowSummarySchema),
  'flows.export': method(byId, z.object({ fileName: z.string(), text: z.string() })),
  /** Validates an unsaved flow (as the editor holds it) against the workspace config and catalog. */
  'flows.validate': method(z.object({ flow: z.unknown() }).strict(), z.object({ problems: z.array(ProblemSchema) })),
  'templates.list': method(empty, z.object({ templates: z.array(TemplateSchema) })),
  'settings.get': method(empty, z.object({ config: WorkspaceConfigSchema })),
  'settings.save': method(z.object({ config: WorkspaceConfigSchema }).strict(), z.object({ savedAt: z.number() })),
  /** The MCP tool catalogue with read/write classes, as far as servers are configured. */
  'mcp.catalog': method(empty, z.object({ servers: z.array(CatalogServerSchema) })),
} as const;

export const apiEvents = {
  /** A flow file changed on disk or through another window. */
  'flows.changed': z.object({ id: z.string() }),
} as const;

export type ApiMethods = typeof apiMethods;
export type ApiMethod = keyof ApiMethods;
export type ApiInput<M extends ApiMethod> = z.input<ApiMethods[M]['input']>;
export type ApiOutput<M extends ApiMethod> = z.output<ApiMethods[M]['output']>;
export type ApiEvent = keyof typeof apiEvents;
export type ApiEventPayload<E extends ApiEvent> = z.output<(typeof apiEvents)[E]>;

export const API_METHOD_NAMES = Object.keys(apiMethods) as ApiMethod[];
export const isApiMethod = (name: unknown): name is ApiMethod => typeof name === 'string' && Object.hasOwn(apiMethods, name);

/** What a failed call returns over any transport: a stable code and a message for people. */
export const ApiErrorSchema = z.object({
  code: z.enum(['INVALID_INPUT', 'UNKNOWN_METHOD', 'NOT_FOUND', 'CONFLICT', 'FORBIDDEN', 'INTERNAL']),
  message: z.string(),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

/** The one client type the renderer uses, whatever carries the calls (IPC or WebSocket). */
export interface ApiClient {
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>>;
  on<E extends ApiEvent>(event: E, listener: (payload: ApiEventPayload<E>) => void): () => void;
}
