// The API of conversation test cases: list, save, run and delete the cases of one flow (files
// `<flows dir>/<flow-id>.tests/<id>.test.json`, see shared/test-case.ts).
import { z } from 'zod';
import { RecordedRunSchema, TestCaseIdSchema, TestCaseResultSchema, TestCaseSchema } from '../test-case';
import { FlowIdSchema } from '../flow';
import { method } from './method';


export const TestCaseEntrySchema = z.object({
  id: TestCaseIdSchema,
  name: z.string(),
  /** The file, relative to the flows folder. */
  file: z.string(),
  testCase: TestCaseSchema,
});
export type TestCaseEntry = z.infer<typeof TestCaseEntrySchema>;

/** A case file that does not parse: listed with its problems (file + field), never rewritten. */
export const BrokenTestCaseSchema = z.object({
  id: z.string(),
  file: z.string(),
  problems: z.array(z.object({ field: z.string().optional(), message: z.string() })),
});
export type BrokenTestCase = z.infer<typeof BrokenTestCaseSchema>;

export const TestsRunOutputSchema = z.object({
  results: z.array(TestCaseResultSchema),
  passed: z.number().int(),
  failed: z.number().int(),
});
export type TestsRunOutput = z.infer<typeof TestsRunOutputSchema>;

export const testsMethods = {
  /** The flow's cases, sorted by id, and the files that do not parse. */
  'tests.list': method(
    z.object({ flowId: FlowIdSchema }).strict(),
    z.object({ cases: z.array(TestCaseEntrySchema), broken: z.array(BrokenTestCaseSchema) }),
  ),
  /**
   * Saves a case as `<id>.test.json`, the id made from `name`. Give either `case` (a whole case,
   * e.g. edited) or `run` (a recorded simulator conversation, turned into a case with exact
   * expectations; `looseToolValues`: replies that show a tool's result become patterns).
   * `name` and `flowId` of the saved case are the ones given here. CONFLICT when a case with
   * that id exists, unless `overwrite: true`.
   */
  'tests.save': method(
    z
      .object({
        flowId: FlowIdSchema,
        name: z.string().trim().min(1).max(120),
        case: TestCaseSchema.optional(),
        run: RecordedRunSchema.optional(),
        looseToolValues: z.boolean().optional(),
        overwrite: z.boolean().optional(),
      })
      .strict()
      .refine((input) => (input.case === undefined) !== (input.run === undefined), { message: 'give either "case" or "run"', path: ['case'] }),
    z.object({ id: TestCaseIdSchema, file: z.string(), testCase: TestCaseSchema }),
  ),
  /**
   * Replays the flow's cases (all, or those whose id or name is in `names`) against the saved
   * flow, with the studio's MCP servers and model. A case that cannot run fails with `error`.
   * Write tools are dry runs (confirmed, guarded, recorded and compared, never sent) unless
   * `live: true`: a case file scripts its own "yes", so it writes only when the owner asks.
   */
  'tests.run': method(
    z.object({ flowId: FlowIdSchema, names: z.array(z.string().min(1)).min(1).optional(), live: z.boolean().optional() }).strict(),
    TestsRunOutputSchema,
  ),
  /** Removes one case file (by id or name); NOT_FOUND when there is none. */
  'tests.delete': method(z.object({ flowId: FlowIdSchema, name: z.string().min(1) }).strict(), z.object({ deleted: z.literal(true) })),
} as const;

export const testsEvents = {
  /** A case of this flow was saved or deleted (the Tests panel refreshes its list). */
  'tests.changed': z.object({ flowId: z.string() }),
} as const;
