// The HTTP chat channel's part of the API contract (spread into apiMethods in api-contract.ts):
// the ACTIVE bot's API key (made, rotated, revoked; the value is in the answer of rotateKey only,
// the one time it is shown), the flow that answers over HTTP and the public web chat switch.
import { z } from 'zod';
import { FlowIdSchema } from '../flow';
import { method } from './method';

export const HttpChatStatusSchema = z.object({
  bot: z.string(),
  /** The bot has an API key: it answers over HTTP (POST /api/v1/bots/{bot}/conversations/{customer}/messages). */
  hasKey: z.boolean(),
  /** The flow chosen for HTTP; absent: the WhatsApp flow answers (answeringFlowId). */
  flowId: z.string().optional(),
  /** The flow that answers over HTTP now; absent: none is chosen for HTTP or WhatsApp. */
  answeringFlowId: z.string().optional(),
  /** The public web chat page (/chat/{bot}) is on. */
  widget: z.boolean(),
});
export type HttpChatStatus = z.infer<typeof HttpChatStatusSchema>;

const empty = z.object({}).strict();

export const httpChatMethods = {
  'httpChat.status': method(empty, HttpChatStatusSchema),
  /** A new API key (any previous one stops working at once). The key is in this answer only: show it once. */
  'httpChat.rotateKey': method(empty, z.object({ status: HttpChatStatusSchema, apiKey: z.string() })),
  /** Deletes the API key: HTTP clients with a key are refused from now on. */
  'httpChat.revokeKey': method(empty, HttpChatStatusSchema),
  /** The flow for HTTP (null: the WhatsApp flow; NOT_FOUND: no such flow) and the web chat switch. */
  'httpChat.update': method(z.object({ flowId: FlowIdSchema.nullable().optional(), widget: z.boolean().optional() }).strict(), HttpChatStatusSchema),
} as const;
