// What a running conversation reports: consumed by the CLI (--json), the simulator and the audit UI.
import { z } from 'zod';
import { ConversationStatusSchema, ToolCallStatusSchema } from './conversation';

const base = { conversationId: z.string() };

export const RunEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('conversation_started'), ...base, flowId: z.string() }),
  z.object({ type: z.literal('bot_message'), ...base, text: z.string() }),
  /** The customer wrote: what follows, until the next one, is the bot's turn (test cases group by it). */
  z.object({ type: z.literal('customer_message'), ...base, text: z.string() }),
  z.object({
    type: z.literal('confirmation_requested'),
    ...base,
    nodeId: z.string(),
    server: z.string(),
    tool: z.string(),
    args: z.record(z.string(), z.unknown()),
  }),
  z.object({
    type: z.literal('tool_call'),
    ...base,
    nodeId: z.string(),
    server: z.string(),
    tool: z.string(),
    args: z.record(z.string(), z.unknown()),
    status: ToolCallStatusSchema,
    result: z.unknown().optional(),
    reason: z.string().optional(),
    durationMs: z.number(),
  }),
  /** An llm step sends a request to the model (round 0 is the first request of the step). */
  z.object({ type: z.literal('llm_request'), ...base, nodeId: z.string(), round: z.number(), messages: z.number(), tools: z.array(z.string()) }),
  /** A piece of the model's reply as it streams. */
  z.object({ type: z.literal('llm_text'), ...base, nodeId: z.string(), delta: z.string() }),
  z.object({
    type: z.literal('llm_response'),
    ...base,
    nodeId: z.string(),
    text: z.string(),
    toolCalls: z.array(z.object({ id: z.string(), name: z.string(), arguments: z.unknown(), rawArguments: z.string().optional() })),
  }),
  /**
   * The model asked for a tool. `disposition`: what the runtime does with it: run it (read),
   * ask the customer (write), or refuse it (unknown tool, invalid arguments, duplicate, over the round limit).
   */
  z.object({
    type: z.literal('tool_call_proposed'),
    ...base,
    nodeId: z.string(),
    name: z.string(),
    server: z.string().optional(),
    tool: z.string().optional(),
    arguments: z.unknown(),
    disposition: z.enum(['read', 'write', 'unknown_tool', 'invalid_arguments', 'duplicate', 'over_limit']),
  }),
  /** An llm step searched its knowledge collections: the passages the model was given (none: nothing relevant was found). */
  z.object({
    type: z.literal('knowledge_used'),
    ...base,
    nodeId: z.string(),
    query: z.string(),
    passages: z.array(
      z.object({ id: z.number(), collection: z.string(), source: z.string(), heading: z.string(), page: z.number().optional(), score: z.number(), text: z.string() }),
    ),
  }),
  /**
   * After each step the runner committed (only when asked for: the simulator): where the
   * conversation is and its variables (secrets masked). `nodeId`: the step it waits at or last
   * entered (null before the first); `awaiting`: what it waits for (null when finished).
   */
  z.object({
    type: z.literal('step'),
    ...base,
    nodeId: z.string().nullable(),
    status: ConversationStatusSchema,
    awaiting: z.enum(['input', 'tool', 'llm']).nullable(),
    vars: z.record(z.string(), z.unknown()),
  }),
  z.object({ type: z.literal('end'), ...base, status: z.enum(['ended', 'handoff', 'failed']), reason: z.string().optional() }),
  z.object({ type: z.literal('error'), conversationId: z.string().optional(), message: z.string() }),
]);
export type RunEvent = z.infer<typeof RunEventSchema>;
