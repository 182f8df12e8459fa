// What a running conversation reports: consumed by the CLI (--json), the simulator and the audit UI.
import { z } from 'zod';
import { ToolCallStatusSchema } from './conversation';

const base = { conversationId: z.string() };

export const RunEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('conversation_started'), ...base, flowId: z.string() }),
  z.object({ type: z.literal('bot_message'), ...base, text: z.string() }),
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
  z.object({ type: z.literal('end'), ...base, status: z.enum(['ended', 'handoff', 'failed']), reason: z.string().optional() }),
  z.object({ type: z.literal('error'), conversationId: z.string().optional(), message: z.string() }),
]);
export type RunEvent = z.infer<typeof RunEventSchema>;
