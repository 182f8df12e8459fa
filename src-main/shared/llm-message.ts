// The messages, tools and tool calls exchanged with a language model, independent of the
// provider's wire format (the adapters translate to Ollama's /api/chat and OpenAI's
// /v1/chat/completions).
import { z } from 'zod';

/**
 * A tool call as the model asked for it. `arguments` is the parsed JSON the model produced,
 * NOT validated: whoever runs the tool validates it against the tool's input schema. When the
 * model sent text that is not JSON, `arguments` is undefined and `rawArguments` holds the text,
 * so the error can go back to the model instead of failing the step.
 */
export const LlmToolCallSchema = z.object({
  /** The provider's id (OpenAI), or one the adapter derived (Ollama sends none): unique per turn, stable for the same request and reply. */
  id: z.string().min(1),
  name: z.string(),
  arguments: z.unknown(),
  rawArguments: z.string().optional(),
});
export type LlmToolCall = z.infer<typeof LlmToolCallSchema>;

/** A tool offered to the model: its name, what it does, and its arguments' JSON schema. */
export const LlmToolSpecSchema = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  parameters: z.record(z.string(), z.unknown()),
});
export type LlmToolSpec = z.infer<typeof LlmToolSpecSchema>;

export const LlmSystemMessageSchema = z.object({ role: z.literal('system'), content: z.string() });
export const LlmUserMessageSchema = z.object({ role: z.literal('user'), content: z.string() });
export const LlmAssistantMessageSchema = z.object({
  role: z.literal('assistant'),
  content: z.string(),
  /** The tool calls the model made in this turn; each is answered by a `tool` message with its id. */
  toolCalls: z.array(LlmToolCallSchema).optional(),
});
/** The result of one tool call (or why it did not run), given back to the model. */
export const LlmToolMessageSchema = z.object({
  role: z.literal('tool'),
  toolCallId: z.string().min(1),
  /** The tool's name (Ollama matches results by name). */
  name: z.string(),
  content: z.string(),
});

export const LlmMessageSchema = z.discriminatedUnion('role', [
  LlmSystemMessageSchema,
  LlmUserMessageSchema,
  LlmAssistantMessageSchema,
  LlmToolMessageSchema,
]);
export type LlmMessage = z.infer<typeof LlmMessageSchema>;
export type LlmAssistantMessage = z.infer<typeof LlmAssistantMessageSchema>;
export type LlmToolMessage = z.infer<typeof LlmToolMessageSchema>;

/** One model a provider offers (Ollama /api/tags, OpenAI /v1/models). */
export const LlmModelInfoSchema = z.object({
  name: z.string(),
  /** Bytes on disk (Ollama). */
  size: z.number().optional(),
  /** ISO 8601. */
  modifiedAt: z.string().optional(),
});
export type LlmModelInfo = z.infer<typeof LlmModelInfoSchema>;

/**
 * What went wrong with a model call, for code that branches on it (the tool loop, the UI).
 * The message is always written for the owner and never contains a secret.
 */
export const LlmErrorKindSchema = z.enum([
  'unreachable', // host down, DNS, TLS: nothing answered
  'timeout',
  'cancelled', // the caller's AbortSignal
  'model_missing',
  'no_tool_support', // the model (or server setup) cannot do tool calling
  'auth', // API key missing or refused (401/403)
  'rate_limited', // 429
  'bad_request', // other 4xx
  'server', // 5xx, or an error reported inside a stream
  'malformed', // the reply was not the provider's format
]);
export type LlmErrorKind = z.infer<typeof LlmErrorKindSchema>;

export class LlmError extends Error {
  override readonly name = 'LlmError';
  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    /** HTTP status, when the server answered. */
    readonly status?: number,
  ) {
    super(message);
  }
}
