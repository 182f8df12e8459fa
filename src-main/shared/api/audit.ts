// The audit log screen's API: list and filter tool calls, one call's details, verify the hash
// chain, export. Everything here is read from the log as the runtime wrote it, where secret
// values were already masked ("[secret]"): these methods never add or reveal anything.
import { z } from 'zod';
import { AuditRecordSchema, ToolCallStatusSchema } from '../conversation';
import { NODE_TYPES, type NodeType } from '../flow';
import { method } from './method';

const name = z.string().min(1).max(500);

/** The filters shared by list and export; every one is optional and they combine with AND. */
export const auditFilterShape = {
  bot: name.optional(),
  conversationId: name.optional(),
  flowId: name.optional(),
  server: name.optional(),
  tool: name.optional(),
  status: ToolCallStatusSchema.optional(),
  /** Literal text anywhere in the record (arguments, result, reason, ids, names); ASCII letters ignore case. */
  text: z.string().min(1).max(500).optional(),
  /** Calls at or after this time (ms since 1970). */
  from: z.number().int().min(0).optional(),
  /** Calls before this time (ms since 1970). */
  to: z.number().int().min(0).optional(),
};

const fromBeforeTo = (f: { from?: number | undefined; to?: number | undefined }) => f.from === undefined || f.to === undefined || f.from <= f.to;
const fromBeforeToIssue = { message: 'must not be before "from"', path: ['to'] };

export const AuditFilterSchema = z.object(auditFilterShape).strict().refine(fromBeforeTo, fromBeforeToIssue);
export type AuditFilter = z.infer<typeof AuditFilterSchema>;

export const AUDIT_PAGE_MAX = 500;

export const AuditListInputSchema = z
  .object({
    ...auditFilterShape,
    /** How many records per page, newest first. */
    limit: z.number().int().min(1).max(AUDIT_PAGE_MAX).default(50),
    /** The next page: records with a sequence number below this (the previous page's `nextBefore`). */
    before: z.number().int().min(1).optional(),
  })
  .strict()
  .refine(fromBeforeTo, fromBeforeToIssue);
export type AuditListInput = z.infer<typeof AuditListInputSchema>;

/**
 * What people call a record's ids, as far as the studio knows them now: the bot's name, the
 * flow's name, the step's label and kind. Each is absent when unknown (a deleted bot or flow, a
 * flow run from a file outside the studio, a step without a label): the ids always remain.
 */
export const AuditNamesSchema = z.object({
  bot: z.string().optional(),
  flow: z.string().optional(),
  step: z.string().optional(),
  stepType: z.enum(NODE_TYPES as [NodeType, ...NodeType[]]).optional(),
});
export type AuditNames = z.infer<typeof AuditNamesSchema>;

/** One row of the table: what a call was, without its (possibly large) arguments and result. */
export const AuditSummarySchema = z.object({
  seq: z.number().int(),
  time: z.number(),
  /** Absent in records written before the log kept the bot. */
  bot: z.string().optional(),
  conversationId: z.string(),
  flowId: z.string(),
  nodeId: z.string(),
  server: z.string(),
  tool: z.string(),
  status: ToolCallStatusSchema,
  durationMs: z.number(),
  reason: z.string().optional(),
  /** The call ran against a confirmation the customer gave. */
  confirmed: z.boolean(),
  names: AuditNamesSchema.optional(),
});
export type AuditSummary = z.infer<typeof AuditSummarySchema>;

export const AuditPageSchema = z.object({
  records: z.array(AuditSummarySchema),
  /** How many records match the filters (all pages). */
  total: z.number().int(),
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: z.number().int().nullable(),
});
export type AuditPage = z.infer<typeof AuditPageSchema>;

export const AuditDetailsSchema = z.object({
  record: AuditRecordSchema,
  /**
   * The arguments, result and the customer's answer as JSON with quotes, control, invisible and bidi
   * characters escaped (core/show-args), so nothing in them can hide or reorder text.
   */
  shown: z.object({ args: z.string(), result: z.string().optional(), customerReply: z.string().optional() }),
  names: AuditNamesSchema.optional(),
});
export type AuditDetails = z.infer<typeof AuditDetailsSchema>;

export const AuditVerificationSchema = z.discriminatedUnion('ok', [
  /** `keyedFrom`: the first record chained with the keychain's key (absent: none is; the records before it are chained, not keyed). */
  z.object({ ok: z.literal(true), count: z.number().int(), keyedFrom: z.number().int().optional() }),
  /** `seq`: the first record that was changed, removed or inserted; `reason` says which and how. */
  z.object({ ok: z.literal(false), count: z.number().int(), seq: z.number().int(), reason: z.string() }),
]);

export type AuditVerification = z.infer<typeof AuditVerificationSchema>;

export const AuditExportFormatSchema = z.enum(['jsonl', 'csv']);
export type AuditExportFormat = z.infer<typeof AuditExportFormatSchema>;

export const AuditFacetsSchema = z.object({
  bots: z.array(z.string()),
  flows: z.array(z.string()),
  servers: z.array(z.string()),
  tools: z.array(z.string()),
  /** The names of the bots and flows above that the studio knows (id -> name), for the filters' labels. */
  names: z.object({ bots: z.record(z.string(), z.string()), flows: z.record(z.string(), z.string()) }).optional(),
});
export type AuditFacets = z.infer<typeof AuditFacetsSchema>;

export const auditMethods = {
  /** Tool calls matching the filters, newest first, one page at a time. */
  'audit.list': method(AuditListInputSchema, AuditPageSchema),
  /** One record in full: arguments, result, reason, confirmation id, hashes. NOT_FOUND for an unknown seq. */
  'audit.get': method(z.object({ seq: z.number().int().min(1) }).strict(), AuditDetailsSchema),
  /** Recomputes the hash chain: intact with the count, or the first bad record and why. */
  'audit.verify': method(z.object({}).strict(), AuditVerificationSchema),
  /** The values the filters can take (bots, flows, servers, tools that occur in the log). */
  'audit.facets': method(z.object({}).strict(), AuditFacetsSchema),
  /**
   * Every record matching the filters, oldest first, as a file: JSONL (one full record per
   * line, hashes included, so the chain can be checked elsewhere) or CSV (RFC 4180 quoting).
   */
  'audit.export': method(
    z
      .object({ format: AuditExportFormatSchema, ...auditFilterShape })
      .strict()
      .refine(fromBeforeTo, fromBeforeToIssue),
    z.object({ fileName: z.string(), text: z.string(), count: z.number().int() }),
  ),
} as const;
