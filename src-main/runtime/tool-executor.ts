// Performs one tool call from a flow: bind, authorize through the gate, call, audit, report.
// Every outcome (executed, blocked, declined, error) lands in the audit log.
// Known secret values are masked ("[secret]") in everything that leaves here: the audit
// record, the emitted event, and the result or error the conversation continues with (so a
// server that echoes its own credentials can never put them in a message, a variable or SQLite).
import type { PendingCall, ToolCallStatus } from '../shared/conversation';
import type { RunEvent } from '../shared/run-event';
import type { EngineEvent } from '../core/engine';
import type { Redactor } from '../core/redact';
import type { ToolClassifier } from '../core/tool-policy';
import type { ConfirmationGate } from './confirmation-gate';
import type { Clock, McpPort, StorePort, ToolCallResult, ToolDefinition } from './ports';

export interface ToolExecutorDeps {
  mcp: McpPort;
  store: StorePort;
  clock: Clock;
  gate: ConfirmationGate;
  emit: (event: RunEvent) => void;
  timeoutMs?: (server: string) => number | undefined;
  /** Masks secret values in args, results and reasons (default: nothing is masked). */
  redact?: Pick<Redactor, 'redact' | 'redactValue'>;
  /** The bot the conversations belong to, recorded in every audit record. */
  bot?: string;
  /**
   * Dry run (the simulator): a write that passed the gate is not sent to the server; it is
   * audited and reported as `dry_run` with the exact arguments it would have been called with.
   * Which calls are writes comes from `classify`; without one, every call counts as a write.
   */
  dryRunWrites?: boolean;
  classify?: ToolClassifier;
}

/** What a flow continues with after a write the dry run left out (saved by `saveAs`). */
export const DRY_RUN_VALUE = { dryRun: true, note: 'not executed (dry run)' } as const;

export interface CallContext {
  conversationId: string;
  flowId: string;
  /** The customer's message this step answers: audited with a call they declined or confirmed. */
  customerReply?: string;
}

/** A customer's reply kept in the audit beyond this many characters is cut (marked with "…"). */
export const AUDIT_REPLY_MAX_CHARS = 1000;

export class ToolExecutor {
  constructor(private readonly deps: ToolExecutorDeps) {}

  /** `listing`: the server's tool list the caller just fetched, reused for read tools only (see ConfirmationGate.bind). */
  async execute(ctx: CallContext, call: PendingCall, listing?: readonly ToolDefinition[]): Promise<EngineEvent> {
    const started = this.deps.clock.now();
    const fail = async (status: ToolCallStatus, reason: string, args = call.args, confirmationId: string | null = null) => {
      await this.report(ctx, call, { status, args, reason, confirmationId, durationMs: this.deps.clock.now() - started });
      const error = this.deps.redact ? this.deps.redact.redact(reason) : reason;
      return { type: 'tool_result', nodeId: call.nodeId, outcome: status === 'blocked' ? 'blocked' : 'error', error } as const;
    };

    let bound;
    try {
      bound = await this.deps.gate.bind(call, listing);
    } catch (error) {
      return fail('error', messageOf(error));
    }
    const auth = await this.deps.gate.authorize(ctx.conversationId, call, bound);
    if (!auth.allowed) return fail('blocked', auth.reason, bound.args);

    // After the gate, so a dry run shows exactly what the guard would let through (and consumes the confirmation).
    if (this.deps.dryRunWrites && (this.deps.classify?.(call.server, call.tool) ?? 'write') === 'write') {
      const value = structuredClone(DRY_RUN_VALUE);
      await this.report(ctx, call, {
        status: 'dry_run',
        args: bound.args,
        result: value,
        reason: 'dry run: this write was not sent to the server',
        confirmationId: auth.confirmationId,
        durationMs: this.deps.clock.now() - started,
      });
      return { type: 'tool_result', nodeId: call.nodeId, outcome: 'ok', value };
    }

    let result: ToolCallResult;
    try {
      const timeoutMs = this.deps.timeoutMs?.(call.server);
      result = await this.deps.mcp.callTool(call.server, call.tool, bound.args, timeoutMs ? { timeoutMs } : {});
    } catch (error) {
      return fail('error', messageOf(error), bound.args, auth.confirmationId);
    }
    if (result.isError) return fail('error', result.text || 'the tool reported an error', bound.args, auth.confirmationId);

    const value = this.mask(valueOf(result));
    await this.report(ctx, call, {
      status: 'executed',
      args: bound.args,
      result: value,
      confirmationId: auth.confirmationId,
      durationMs: this.deps.clock.now() - started,
    });
    return { type: 'tool_result', nodeId: call.nodeId, outcome: 'ok', value };
  }

  /** A customer said no to a call they were shown: audited, never run. */
  declined(ctx: CallContext, call: PendingCall): Promise<void> {
    return this.report(ctx, call, { status: 'declined', args: call.args, reason: 'the customer said no', confirmationId: null, durationMs: 0 });
  }

  /**
   * A call that was never attempted (an llm step refused it: a tool the step does not offer,
   * invalid arguments, a duplicate, over the round limit): audited with why, never run.
   */
  refused(ctx: CallContext, call: PendingCall, status: 'blocked' | 'error', reason: string): Promise<void> {
    return this.report(ctx, call, { status, args: call.args, reason, confirmationId: null, durationMs: 0 });
  }

  private mask<T>(value: T): T {
    return this.deps.redact ? this.deps.redact.redactValue(value) : value;
  }

  private async report(
    ctx: CallContext,
    call: PendingCall,
    unmasked: { status: ToolCallStatus; args: Record<string, unknown>; result?: unknown; reason?: string; confirmationId: string | null; durationMs: number },
  ): Promise<void> {
    const outcome = {
      ...unmasked,
      args: this.mask(unmasked.args),
      ...(unmasked.result !== undefined ? { result: this.mask(unmasked.result) } : {}),
      ...(unmasked.reason !== undefined ? { reason: this.mask(unmasked.reason) } : {}),
    };
    // Only a call the customer was asked about keeps their answer: declined, or run against their yes.
    const answered = outcome.status === 'declined' || outcome.confirmationId !== null;
    const reply = answered && ctx.customerReply !== undefined ? this.mask(bounded(ctx.customerReply)) : undefined;
    const record = await this.deps.store.appendAudit({
      time: this.deps.clock.now(),
      ...(this.deps.bot !== undefined ? { bot: this.deps.bot } : {}),
      conversationId: ctx.conversationId,
      flowId: ctx.flowId,
      nodeId: call.nodeId,
      server: call.server,
      tool: call.tool,
      args: outcome.args,
      status: outcome.status,
      ...(outcome.result !== undefined ? { result: outcome.result } : {}),
      ...(outcome.reason !== undefined ? { reason: outcome.reason } : {}),
      durationMs: outcome.durationMs,
      confirmationId: outcome.confirmationId,
      ...(reply !== undefined ? { customerReply: reply } : {}),
    });
    this.deps.emit({
      type: 'tool_call',
      conversationId: ctx.conversationId,
      nodeId: call.nodeId,
      server: call.server,
      tool: call.tool,
      args: outcome.args,
      status: outcome.status,
      ...(record.result !== undefined ? { result: record.result } : {}),
      ...(outcome.reason !== undefined ? { reason: outcome.reason } : {}),
      durationMs: outcome.durationMs,
    });
  }
}

const bounded = (text: string): string => (text.length > AUDIT_REPLY_MAX_CHARS ? `${text.slice(0, AUDIT_REPLY_MAX_CHARS)}…` : text);

/** What a flow saves from a result: structured content, else JSON text parsed, else the text. */
function valueOf(result: ToolCallResult): unknown {
  if (result.structuredContent) return result.structuredContent;
  try {
    return JSON.parse(result.text);
  } catch {
    return result.text;
  }
}

export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
