// The simulator's part of the API contract (spread into apiMethods / apiEvents in
// api-contract.ts): talk to a saved flow as a customer would, on the studio's own workspace
// (the same MCP servers and owner approvals), and watch every run event as it happens.
import { z } from 'zod';
import { RunEventSchema } from '../run-event';
import { FlowIdSchema } from '../flow';
import { method } from './method';

const SessionIdSchema = z.string().min(1).max(100);

/** Names the conversation sets itself: a preset variable may not take them. */
export const RESERVED_VAR_NAMES = ['contact', 'last_message', 'open_now'] as const;

/** Preset variables for "start from this step": names as in templates, any JSON values. */
export const SimVarsSchema = z
  .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a variable name uses letters, digits and _ and does not start with a digit'), z.unknown())
  .superRefine((vars, ctx) => {
    for (const name of RESERVED_VAR_NAMES) {
      if (Object.hasOwn(vars, name)) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'this name is set by the conversation itself; use another name' });
      }
    }
  });
export type SimVars = z.infer<typeof SimVarsSchema>;

export const SimStartOptionsSchema = z
  .object({
    flowId: FlowIdSchema,
    /** Begin at this step instead of the start step. */
    startAt: z.string().min(1).max(200).optional(),
    vars: SimVarsSchema.optional(),
    /** Write tools are not executed (reported as `dry_run`); off unless set. */
    dryRun: z.boolean().optional(),
  })
  .strict();
export type SimStartOptions = z.infer<typeof SimStartOptionsSchema>;

const SessionRefSchema = z.object({ sessionId: SessionIdSchema }).strict();
const StartedSchema = z.object({ sessionId: z.string(), conversationId: z.string() });

export const simulatorMethods = {
  /**
   * Starts a simulated conversation of the flow as saved. CONFLICT (listing every problem)
   * when the flow has errors against the live tool catalogue or a server it uses lacks the
   * owner's consent; NOT_FOUND for an unknown flow or `startAt` step. Returns at once: the
   * conversation's events follow as `sim.event`.
   */
  'sim.start': method(SimStartOptionsSchema, StartedSchema),
  /** A customer message. Returns once accepted; what the bot does arrives as `sim.event`. */
  'sim.send': method(
    z
      .object({
        sessionId: SessionIdSchema,
        text: z
          .string()
          .max(4096)
          .refine((t) => t.trim() !== '', 'a message needs some text'),
      })
      .strict(),
    z.object({ accepted: z.literal(true) }),
  ),
  /** A fresh conversation with the same options, on the flow as saved now (same session id). */
  'sim.restart': method(SessionRefSchema, StartedSchema),
  /** Ends the session; its later events are dropped. */
  'sim.stop': method(SessionRefSchema, z.object({ stopped: z.literal(true) })),
} as const;

export const simulatorEvents = {
  /**
   * Every run event of a simulated conversation as it happens (streamed model text included;
   * `step` after each step with the variables), secrets masked.
   */
  'sim.event': z.object({ sessionId: z.string(), event: RunEventSchema }),
} as const;
