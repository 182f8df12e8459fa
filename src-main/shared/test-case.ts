// Conversation test cases (schemaVersion 1): the customer's messages in order and what the bot
// must say and do in each turn and at the end. Files live next to their flow:
//   <flows dir>/<flow-id>.tests/<case-slug>.test.json
// Hand-editable JSON; "$schema" may point at flows/test-case.schema.json (generated from here).
//
// Checking rules (core/test-cases/match.ts):
// - `replies` / `toolCalls` of a turn are compared in order, one to one; a list that is left out
//   is not checked, an empty list means "none".
// - A reply expectation says how it matches by its key: "text" (the whole reply, exactly),
//   "contains" (a part of it) or "regex" (a JavaScript regular expression searched in the reply;
//   anchor it with ^…$ for the whole reply; "flags" e.g. "i").
// - A tool call expectation names server and tool; `args` (when given) must equal the call's
//   arguments ("argsMatch": "exact", the default) or be contained in them ("subset", nested
//   objects too); `status` (when given) is executed, blocked, declined, error or dry_run.
// - `end.status`: ended, handoff, failed, or waiting (the bot is waiting for the customer);
//   `end.vars`: each named variable must equal the given value.
import { z } from 'zod';
import { ConversationStatusSchema, ToolCallStatusSchema } from './conversation';
import { FlowIdSchema } from './flow';
import { RunEventSchema } from './run-event';
import { OwnerTextSchema } from './owner-text';
import { RunBlockerSchema } from './run-blocker';

export const TEST_CASE_SCHEMA_VERSION = 1;
export const TEST_CASE_FILE_SUFFIX = '.test.json';
/** The folder of a flow's cases, next to `<flow-id>.flow.json`. */
export const TEST_CASES_DIR_SUFFIX = '.tests';

/** A case's id is its file name without `.test.json`, made from its name. */
export const TestCaseIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a test case id uses lowercase letters, digits and dashes');

export const ReplyExpectationSchema = z
  .object({
    text: z.string().optional().describe('The whole reply, exactly'),
    contains: z.string().optional().describe('A part the reply must contain'),
    regex: z.string().optional().describe('A JavaScript regular expression searched in the reply (^…$ for the whole reply)'),
    flags: z
      .string()
      .regex(/^[imsu]*$/, 'regex flags are any of i, m, s, u')
      .optional()
      .describe('Flags for "regex", e.g. "i"'),
  })
  .strict()
  .superRefine((value, ctx) => {
    const kinds = (['text', 'contains', 'regex'] as const).filter((k) => value[k] !== undefined);
    if (kinds.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: kinds.length === 0 ? 'needs one of "text" (exact), "contains" or "regex"' : `has ${kinds.map((k) => `"${k}"`).join(' and ')}: give only one of them`,
      });
    }
    if (value.flags !== undefined && value.regex === undefined) ctx.addIssue({ code: 'custom', path: ['flags'], message: '"flags" only go with "regex"' });
    if (value.regex !== undefined) {
      try {
        new RegExp(value.regex, value.flags);
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: ['regex'], message: `not a valid regular expression: ${(error as Error).message}` });
      }
    }
  });
export type ReplyExpectation = z.infer<typeof ReplyExpectationSchema>;

export const ArgsMatchSchema = z.enum(['exact', 'subset']);
export type ArgsMatch = z.infer<typeof ArgsMatchSchema>;

export const ToolCallExpectationSchema = z
  .object({
    server: z.string().min(1),
    tool: z.string().min(1),
    args: z.record(z.string(), z.unknown()).optional().describe('Left out: the arguments are not checked'),
    argsMatch: ArgsMatchSchema.optional().describe('exact (default): the arguments are exactly these; subset: at least these'),
    status: ToolCallStatusSchema.optional().describe('Left out: any outcome'),
  })
  .strict();
export type ToolCallExpectation = z.infer<typeof ToolCallExpectationSchema>;

const turnChecks = {
  replies: z.array(ReplyExpectationSchema).optional().describe('The bot messages of this turn, in order (left out: not checked; []: none)'),
  toolCalls: z.array(ToolCallExpectationSchema).optional().describe('The tool calls of this turn, in order (left out: not checked; []: none)'),
};

/** What the bot says and does before the customer writes anything. */
export const OpeningSchema = z.object(turnChecks).strict();
export type Opening = z.infer<typeof OpeningSchema>;

export const TurnSchema = z.object({ customer: z.string().describe('What the customer writes'), ...turnChecks }).strict();
export type Turn = z.infer<typeof TurnSchema>;

export const EndStatusSchema = z.enum(['ended', 'handoff', 'failed', 'waiting']);
export type EndStatus = z.infer<typeof EndStatusSchema>;

export const EndExpectationSchema = z
  .object({
    status: EndStatusSchema.optional(),
    vars: z.record(z.string(), z.unknown()).optional().describe('Variables that must have exactly these values'),
  })
  .strict();
export type EndExpectation = z.infer<typeof EndExpectationSchema>;

export const TestCaseSchema = z
  .object({
    $schema: z.string().optional(),
    schemaVersion: z.literal(TEST_CASE_SCHEMA_VERSION),
    name: z.string().trim().min(1).max(120),
    flowId: FlowIdSchema,
    description: z.string().optional(),
    /** Start at this step instead of the start step. */
    startAt: z.string().min(1).optional(),
    /** Variables set before the first step. */
    vars: z.record(z.string(), z.unknown()).optional(),
    /** Write tools are not executed (the simulator's dry run). */
    dryRun: z.boolean().optional(),
    contact: z.object({ name: z.string().optional() }).strict().optional(),
    opening: OpeningSchema.optional(),
    turns: z.array(TurnSchema),
    end: EndExpectationSchema.optional(),
  })
  .strict();
export type TestCase = z.infer<typeof TestCaseSchema>;

// ---- A recorded conversation (what the simulator holds) ----------------------------

export const RecordedRunSchema = z
  .object({
    /** The customer's messages, in order. */
    messages: z.array(z.string()),
    /** The run's events as they came, with a `customer_message` event before each reply turn. */
    events: z.array(RunEventSchema),
    final: z.object({ status: z.union([ConversationStatusSchema, EndStatusSchema]), vars: z.record(z.string(), z.unknown()) }).strict(),
    /** How the simulator started it (kept in the case so a replay starts the same way). */
    startAt: z.string().min(1).optional(),
    vars: z.record(z.string(), z.unknown()).optional(),
    dryRun: z.boolean().optional(),
  })
  .strict();
export type RecordedRunInput = z.infer<typeof RecordedRunSchema>;

// ---- Results ---------------------------------------------------------------------

/** Where an expectation sits: before the customer wrote (turn 0), customer turn n (1-based), or the end. */
export const ExpectationPlaceSchema = z.enum(['opening', 'turn', 'end']);

export const ExpectationResultSchema = z.object({
  place: ExpectationPlaceSchema,
  /** 0 for the opening, 1… for the customer's turns; absent at the end. */
  turn: z.number().int().min(0).optional(),
  kind: z.enum(['reply', 'tool_call', 'status', 'var']),
  /** 1-based position of a reply or tool call in its turn; the variable name for `var`. */
  index: z.number().int().min(1).optional(),
  var: z.string().optional(),
  ok: z.boolean(),
  /** Readable, one line each. */
  expected: z.string(),
  got: z.string(),
  /** A hint for people: where two texts first differ, why a call was blocked. */
  note: z.string().optional(),
});
export type ExpectationResult = z.infer<typeof ExpectationResultSchema>;

export const TestCaseResultSchema = z.object({
  name: z.string(),
  flowId: z.string(),
  /** The case file, when it came from one. */
  file: z.string().optional(),
  passed: z.boolean(),
  /** Why the case could not be run at all (flow missing or invalid, timeout, …). */
  error: z.string().optional(),
  /** When the flow was not ready to run: the first line as a catalogue key and the reasons, for the studio's language. */
  errorText: OwnerTextSchema.optional(),
  blockers: z.array(RunBlockerSchema).optional(),
  results: z.array(ExpectationResultSchema),
  /** The failed expectations, for people ("" when it passed). */
  diff: z.string(),
  durationMs: z.number(),
});
export type TestCaseResult = z.infer<typeof TestCaseResultSchema>;
