// A validation finding, shaped for people: a stable code, where it is, and what to do.
import { z } from 'zod';
import { CatalogueTextSchema, type CatalogueParam, type CatalogueText } from './catalogue-text';

/** A value inside a problem's message: plain text, a number, a nested phrase, or a list ("A, B and C"). */
export type ProblemParam = CatalogueParam;
/** A message as a catalogue key and its parameters (shared/problem-texts), to be put in any language. */
export type ProblemText = CatalogueText;
export const ProblemTextSchema = CatalogueTextSchema;

export const ProblemSchema = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  nodeId: z.string().optional(),
  edgeId: z.string().optional(),
  /** The field inside the node, e.g. "data.question". */
  field: z.string().optional(),
  /** In English (what the CLI prints). */
  message: z.string(),
  /** The same message as key + parameters, for other languages; absent for file-format problems. */
  text: ProblemTextSchema.optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;
