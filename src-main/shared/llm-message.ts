import { z } from 'zod';

export const LlmMessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
});
export type LlmMessage = z.infer<typeof LlmMessageSchema>;
