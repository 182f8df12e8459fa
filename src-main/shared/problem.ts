// A validation finding, shaped for people: a stable code, where it is, and what to do.
import { z } from 'zod';

export const ProblemSchema = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  nodeId: z.string().optional(),
  edgeId: z.string().optional(),
  /** The field inside the node, e.g. "data.question". */
  field: z.string().optional(),
  message: z.string(),
});
export type Problem = z.infer<typeof ProblemSchema>;
