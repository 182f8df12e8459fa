// Conversation state as persisted after every step, and the audit record shape.
import { z } from 'zod';
import { LlmMessageSchema } from './llm-message';

export const PendingCallSchema = z.object({
  nodeId: z.string(),
  server: z.string(),
  tool: z.string(),
  args: z.record(z.string(), z.unknown()),
});
/** A tool call as resolved from a tool node: the exact arguments a customer is shown. */
export type PendingCall = z.infer<typeof PendingCallSchema>;

/** A write the model asked for in an llm step, waiting for the customer's answer. */
export const LlmPendingCallSchema = PendingCallSchema.extend({ toolCallId: z.string() });
export type LlmPendingCall = z.infer<typeof LlmPendingCallSchema>;

/**
 * An llm step paused at a confirmation question: the model's transcript so far (with the
 * turn that proposed the writes), the rounds used, and the calls shown to the customer.
 * The transcript is data for the next model request only; nothing in it is ever read as a
 * confirmation or as instructions (the system prompt is rebuilt from the flow on resume).
 */
export const LlmPendingSchema = z.object({
  nodeId: z.string(),
  transcript: z.array(LlmMessageSchema),
  rounds: z.number().int().min(0),
  calls: z.array(LlmPendingCallSchema),
});
export type LlmPending = z.infer<typeof LlmPendingSchema>;

export const AwaitingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('input'), nodeId: z.string() }),
  z.object({ kind: z.literal('tool'), nodeId: z.string() }),
  z.object({ kind: z.literal('llm'), nodeId: z.string() }),
]);
export type Awaiting = z.infer<typeof AwaitingSchema>;

export const ConversationStatusSchema = z.enum(['new', 'active', 'ended', 'handoff', 'failed']);
export type ConversationStatus = z.infer<typeof ConversationStatusSchema>;

export const ConversationStateSchema = z.object({
  conversationId: z.string(),
  flowId: z.string(),
  status: ConversationStatusSchema,
  awaiting: AwaitingSchema.nullable(),
  vars: z.record(z.string(), z.unknown()),
  contact: z.object({ id: z.string(), name: z.string().optional() }),
  lastMessage: z.string(),
  /** Steps taken since the customer last wrote: bounds loops that never wait. */
  stepsSinceInput: z.number().int().min(0),
  /** Invalid answers given to the ask we are waiting at. */
  retries: z.number().int().min(0),
  /** Calls shown in the confirm question we are waiting at (bound at question time). */
  shownCalls: z.array(PendingCallSchema),
  /** An llm step waiting for the customer to confirm the writes its model asked for (optional: older states lack it). */
  llmPending: LlmPendingSchema.optional(),
  /**
   * The last confirmation question asked (its calls are `shownCalls` while it is open): its
   * number in this conversation, when the channel delivered it (`askedAt`, ms epoch; absent: not
   * yet known to be delivered) and the group participant it was asked of (absent one-to-one).
   * A dated message sent before `askedAt`, or a message from another participant, is no answer.
   * Optional: older states lack it.
   */
  confirmation: z
    .object({ question: z.number().int().min(1), askedAt: z.number().optional(), askedOf: z.string().optional() })
    .optional(),
  /** Who wrote the customer's last message in a group chat (absent one-to-one). */
  lastFrom: z.string().optional(),
  /**
   * The language this conversation speaks (BCP 47), once chosen for it (detected from the
   * customer's messages in a multilingual flow). Absent: the flow's language (engine
   * `conversationLanguage`). Optional: older states lack it.
   */
  language: z.string().optional(),
  /** Why the conversation failed, for the owner. */
  error: z.string().optional(),
  /** The step the conversation last entered (optional: older states lack it). Shown by the simulator. */
  at: z.string().optional(),
});
export type ConversationState = z.infer<typeof ConversationStateSchema>;

/**
 * `dry_run`: a write the simulator's dry run did not execute (it passed the write guard as usual:
 * confirmed and authorized; only the call to the server was left out). Never "executed".
 */
export const ToolCallStatusSchema = z.enum(['executed', 'blocked', 'declined', 'error', 'dry_run']);
export type ToolCallStatus = z.infer<typeof ToolCallStatusSchema>;

export const AuditEntrySchema = z.object({
  time: z.number(),
  /**
   * The bot whose conversation made the call. Optional only because records written before
   * the log kept the bot have none; the app and the CLI always record it.
   */
  bot: z.string().optional(),
  conversationId: z.string(),
  flowId: z.string(),
  nodeId: z.string(),
  server: z.string(),
  tool: z.string(),
  args: z.unknown(),
  status: ToolCallStatusSchema,
  /** Tool result or error text, truncated to a bounded size. */
  result: z.unknown().optional(),
  reason: z.string().optional(),
  durationMs: z.number(),
  confirmationId: z.string().nullable(),
  /**
   * What the customer wrote when they answered the confirmation of this call (a declined call,
   * or one that ran against their yes), so "the customer said no" can be checked against their
   * words. Absent for calls nobody was asked about, and in records written before it was kept.
   */
  customerReply: z.string().optional(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditRecordSchema = AuditEntrySchema.extend({
  seq: z.number().int(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditRecord = z.infer<typeof AuditRecordSchema>;
