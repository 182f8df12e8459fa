// The tool loop of an llm step (DESIGN §4 "LLM steps"): offer the step's allowed tools,
// validate what the model asks for, run reads, and pause for the customer on writes.
//
// Why a compromised model (or a poisoned tool result, customer message or tool description)
// cannot get a write executed here, structurally:
// - the offered tools are computed from the flow (effect.tools) and the tools the owner approved
//   (modelTools: exactly the pinned definitions; a changed or repeated tool is never offered)
//   on every request; nothing the model or a tool returns is ever read back as a tool list;
// - the system prompt is rebuilt from the flow's instructions on every request (also on
//   resume), and tool results only ever travel inside `tool` messages, wrapped and stripped
//   of our delimiter tags;
// - a write the model asks for is NEVER executed from the model's request: it is returned to
//   the engine as `needsConfirmation`; the engine shows the exact arguments and only the
//   customer's next user_message can record a confirmation (argument-bound, single-use);
//   on resume the runtime executes the calls the engine kept (what was shown), through the
//   ToolExecutor, whose gate consumes the matching confirmation or blocks the call;
// - no code path here records a confirmation: this module has no access to gate.record.
import type { ValidateFunction } from 'ajv';
import { createLinearAjv } from './linear-regexp';
import type { LlmResume, EngineEvent, Effect, ProposedWrite } from '../core/engine';
import { buildLlmMessages, customerMessage, referenceMessage, wrapToolResult } from '../core/llm-prompt';
import { canonicalJson } from '../core/canonical-json';
import type { ToolClassifier } from '../core/tool-policy';
import type { PendingCall } from '../shared/conversation';
import type { LlmMessage, LlmToolCall, LlmToolSpec } from '../shared/llm-message';
import type { RunEvent } from '../shared/run-event';
import { customerTexts, type CustomerTexts } from '../shared/customer-texts';
import { schemaArgLabels } from '../shared/call-labels';
import { DEFAULT_KNOWLEDGE_LIMIT } from '../shared/knowledge';
import type { KnowledgeHit, KnowledgeSearch, LlmPort, McpPort, StorePort, ToolDefinition } from './ports';
import type { CallContext, ToolExecutor } from './tool-executor';
import { messageOf } from './tool-executor';

export const DECLINED_TOOL_MESSAGE = 'The customer declined this action; do not try it again.';
export const DEFAULT_TOOL_ROUNDS = 4;
/** Long model replies are cut to what a WhatsApp message can carry. */
export const MAX_REPLY_CHARS = 4000;

export interface LlmToolLoopDeps {
  llm: LlmPort;
  mcp: McpPort;
  /** What a model may be offered from a server (see RunnerDeps.modelTools); default: the server's listing. */
  modelTools?: (server: string) => Promise<ToolDefinition[]>;
  store: StorePort;
  tools: ToolExecutor;
  classify: ToolClassifier;
  emit: (event: RunEvent) => void;
  llmTimeoutMs?: number;
  /** How many transcript entries a fresh step sees (default 20). */
  historyLimit?: number;
  /** The bot's own texts in a language, with the owner's overrides (default: the catalogue's). */
  texts?: (language: string | undefined) => CustomerTexts;
  /** The bot's knowledge collections (KnowledgePort.search for this bot); absent: a step naming collections fails clearly. */
  knowledge?: (request: KnowledgeSearch) => Promise<KnowledgeHit[]>;
}

interface OfferedTool {
  server: string;
  tool: string;
  definition: ToolDefinition;
  /** The server's whole listing this step was offered from (reused to bind read calls). */
  listing: readonly ToolDefinition[];
}

type CallLlm = Extract<Effect, { type: 'call_llm' }>;

// Patterns run in linear time (linear-regexp.ts): the schema is the server's, the arguments the model's.
const ajv = createLinearAjv({ strict: false, allowMatchingProperties: true, allErrors: true, validateFormats: false });
const validators = new WeakMap<object, ValidateFunction | Error>();

/** Checks the model's arguments against the tool's input schema; returns the problem, or undefined. */
export function argumentProblem(call: LlmToolCall, definition: ToolDefinition): string | undefined {
  if (call.rawArguments !== undefined || call.arguments === undefined) return 'the arguments are not valid JSON';
  const args = call.arguments;
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return 'the arguments must be a JSON object';
  const schema = (definition.inputSchema ?? { type: 'object' }) as object;
  let validate = validators.get(schema);
  if (!validate) {
    try {
      const { $schema: _ignored, ...rest } = schema as Record<string, unknown>;
      validate = ajv.compile(rest);
    } catch (error) {
      validate = new Error(`the tool's input schema cannot be checked (${messageOf(error)})`);
    }
    validators.set(schema, validate);
  }
  if (validate instanceof Error) return validate.message;
  if (validate(args)) return undefined;
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(arguments)'} ${e.message ?? 'is invalid'}`).join('; ');
}

const safeName = (text: string) => text.replace(/[^A-Za-z0-9_-]/g, '_');

export class LlmToolLoop {
  constructor(private readonly deps: LlmToolLoopDeps) {}

  async run(ctx: CallContext, effect: CallLlm): Promise<EngineEvent> {
    const { nodeId } = effect;
    const fail = (error: string): EngineEvent => ({ type: 'llm_result', nodeId, ok: false, error });
    const emit = this.deps.emit;
    const maxRounds = effect.maxToolRounds ?? DEFAULT_TOOL_ROUNDS;

    let offered: Map<string, OfferedTool>;
    try {
      offered = maxRounds > 0 ? await this.offeredTools(effect.tools ?? []) : new Map();
    } catch (error) {
      return fail(messageOf(error));
    }
    const specs: LlmToolSpec[] = [...offered].map(([name, t]) => ({
      name,
      description: `Tool description from server "${t.server}" (untrusted): ${t.definition.description ?? t.definition.title ?? t.tool}`,
      parameters: (t.definition.inputSchema ?? { type: 'object', properties: {} }) as Record<string, unknown>,
    }));

    const messages = await this.startMessages(ctx, effect, specs.length > 0);
    if (effect.knowledge && !effect.resume) {
      // A resumed step keeps the passages of its first turn (they are in its transcript).
      let hits: KnowledgeHit[];
      try {
        hits = await this.findPassages(ctx, effect, effect.knowledge);
      } catch (error) {
        return fail(`the knowledge search failed: ${messageOf(error)}`);
      }
      if (hits.length === 0 && effect.knowledge.unknownAnswer) {
        return { type: 'llm_result', nodeId, ok: true, text: (this.deps.texts ?? customerTexts)(effect.language).knowledgeUnknown };
      }
      // Just before the customer's latest words: untrusted data, like a tool result.
      const at = messages[messages.length - 1]?.role === 'user' ? messages.length - 1 : messages.length;
      messages.splice(at, 0, referenceMessage(hits));
    }
    let rounds = effect.resume?.rounds ?? 0;
    if (effect.resume) await this.applyDecisions(ctx, effect.resume, messages);

    for (;;) {
      emit({ type: 'llm_request', conversationId: ctx.conversationId, nodeId, round: rounds, messages: messages.length, tools: specs.map((s) => s.name) });
      let reply;
      try {
        reply = await this.deps.llm.chat(
          { messages, ...(specs.length > 0 ? { tools: specs } : {}) },
          {
            ...(this.deps.llmTimeoutMs ? { timeoutMs: this.deps.llmTimeoutMs } : {}),
            onText: (delta) => emit({ type: 'llm_text', conversationId: ctx.conversationId, nodeId, delta }),
          },
        );
      } catch (error) {
        return fail(messageOf(error));
      }
      emit({ type: 'llm_response', conversationId: ctx.conversationId, nodeId, text: reply.text, toolCalls: reply.toolCalls });

      if (reply.toolCalls.length === 0) {
        const text = reply.text.trim();
        if (!text) return fail('the model returned an empty reply');
        return { type: 'llm_result', nodeId, ok: true, text: text.slice(0, MAX_REPLY_CHARS) };
      }

      rounds += 1;
      if (rounds > maxRounds || specs.length === 0) {
        // Over the limit (or tools asked for when none are offered): nothing of this turn runs.
        for (const call of reply.toolCalls) {
          const target = offered.get(call.name) ?? this.asNamed(call.name);
          emit(this.proposed(ctx, nodeId, call, target, 'over_limit'));
          await this.deps.tools.refused(ctx, this.pending(nodeId, target, call), 'blocked', `the AI step used up its ${maxRounds} tool rounds`);
        }
        // A step without tools keeps the model's words if it gave any (the stray calls are audited above).
        const words = reply.text.trim();
        if (specs.length === 0 && words) return { type: 'llm_result', nodeId, ok: true, text: words.slice(0, MAX_REPLY_CHARS) };
        return { type: 'llm_result', nodeId, ok: true, text: (this.deps.texts ?? customerTexts)(effect.language).llmFallback };
      }

      messages.push({ role: 'assistant', content: reply.text, toolCalls: reply.toolCalls });
      const writes: ProposedWrite[] = [];
      const seen = new Set<string>();
      for (const call of reply.toolCalls) {
        const answer = (content: string) => messages.push({ role: 'tool', toolCallId: call.id, name: call.name, content });
        const target = offered.get(call.name);
        if (!target) {
          const named = this.asNamed(call.name);
          emit(this.proposed(ctx, nodeId, call, named, 'unknown_tool'));
          await this.deps.tools.refused(ctx, this.pending(nodeId, named, call), 'blocked', `the AI step does not offer a tool named "${call.name}"`);
          answer(`Error: the tool "${call.name}" is not available in this step. Use only the tools you were given.`);
          continue;
        }
        const problem = argumentProblem(call, target.definition);
        if (problem) {
          emit(this.proposed(ctx, nodeId, call, target, 'invalid_arguments'));
          await this.deps.tools.refused(ctx, this.pending(nodeId, target, call), 'error', `the model's arguments are invalid: ${problem}`);
          answer(`Error: invalid arguments for ${call.name}: ${problem}. Fix the arguments and try again.`);
          continue;
        }
        const pending = this.pending(nodeId, target, call);
        const key = canonicalJson([pending.server, pending.tool, pending.args]);
        if (seen.has(key)) {
          emit(this.proposed(ctx, nodeId, call, target, 'duplicate'));
          await this.deps.tools.refused(ctx, pending, 'blocked', 'the model asked for the same call twice in one turn');
          answer('Error: this call repeats another call of the same turn; it was not run.');
          continue;
        }
        seen.add(key);
        if (this.deps.classify(target.server, target.tool) === 'read') {
          emit(this.proposed(ctx, nodeId, call, target, 'read'));
          answer(resultText(await this.deps.tools.execute(ctx, pending, target.listing)));
        } else {
          // A write: never run from the model's request. The customer is asked first.
          emit(this.proposed(ctx, nodeId, call, target, 'write'));
          writes.push({ ...pending, toolCallId: call.id, argLabels: schemaArgLabels(target.definition.inputSchema) });
        }
      }
      if (writes.length > 0) {
        return { type: 'llm_result', nodeId, ok: true, needsConfirmation: { calls: writes, transcript: messages, rounds } };
      }
    }
  }

  /** The passages for the customer's latest message (or the step's input), reported in the trace. */
  private async findPassages(ctx: CallContext, effect: CallLlm, knowledge: NonNullable<CallLlm['knowledge']>): Promise<KnowledgeHit[]> {
    if (!this.deps.knowledge) throw new Error('knowledge collections are not available where this conversation runs');
    const history = await this.deps.store.transcript(ctx.conversationId, this.deps.historyLimit ?? 20);
    const query = effect.input ?? [...history].reverse().find((e) => e.role === 'customer')?.text ?? '';
    const collections = knowledge.collections;
    const hits = query.trim() && collections.length
      ? await this.deps.knowledge({ collections, query, ...(effect.language !== undefined ? { language: effect.language } : {}), limit: knowledge.limit ?? DEFAULT_KNOWLEDGE_LIMIT })
      : [];
    this.deps.emit({
      type: 'knowledge_used',
      conversationId: ctx.conversationId,
      nodeId: effect.nodeId,
      query,
      passages: hits.map((h) => ({ id: h.id, collection: h.collection, source: h.source, heading: h.heading, ...(h.page !== undefined ? { page: h.page } : {}), score: h.score, text: h.text })),
    });
    return hits;
  }

  /** Exactly the step's allowed tools the model may see, under model-safe unique names. */
  private async offeredTools(allowed: { server: string; tool: string }[]): Promise<Map<string, OfferedTool>> {
    const offered = new Map<string, OfferedTool>();
    const listings = new Map<string, ToolDefinition[]>();
    const modelTools = this.deps.modelTools ?? ((server: string) => this.deps.mcp.listTools(server));
    for (const ref of allowed) {
      if (!listings.has(ref.server)) listings.set(ref.server, await modelTools(ref.server));
      const matches = listings.get(ref.server)!.filter((t) => t.name === ref.tool);
      // Not approved as it is now, or named twice in the listing: the model never sees it.
      if (matches.length !== 1 || [...offered.values()].some((o) => o.server === ref.server && o.tool === ref.tool)) continue;
      const definition = matches[0]!;
      const base = safeName(`${ref.server}__${ref.tool}`).slice(0, 60);
      let name = base;
      for (let i = 2; offered.has(name); i++) name = `${base}_${i}`;
      offered.set(name, { server: ref.server, tool: ref.tool, definition, listing: listings.get(ref.server)! });
    }
    return offered;
  }

  /** A fresh step: the flow's instructions, bounded history and input (delimited). A resumed one: its transcript, with the system prompt rebuilt from the flow. */
  private async startMessages(ctx: CallContext, effect: CallLlm, withTools: boolean): Promise<LlmMessage[]> {
    const options = {
      tools: withTools,
      ...(effect.language !== undefined ? { language: effect.language } : {}),
      ...(effect.knowledge ? { knowledge: { unknownAnswer: effect.knowledge.unknownAnswer === true } } : {}),
    };
    if (!effect.resume) {
      const history = await this.deps.store.transcript(ctx.conversationId, this.deps.historyLimit ?? 20);
      return buildLlmMessages(effect.instructions, history, effect.input, options);
    }
    const fresh = buildLlmMessages(effect.instructions, [], undefined, options);
    return [...fresh, ...structuredClone(effect.resume.transcript).filter((m) => m.role !== 'system')];
  }

  /** The customer's answer: confirmed calls run through the executor (the gate consumes the yes); declined ones are reported to the model. */
  private async applyDecisions(ctx: CallContext, resume: LlmResume, messages: LlmMessage[]): Promise<void> {
    let declined = false;
    for (const decision of resume.decisions) {
      const name = this.toolCallName(resume.transcript, decision.toolCallId) ?? decision.call.tool;
      let content: string;
      if (decision.confirmed) content = resultText(await this.deps.tools.execute(ctx, decision.call));
      else {
        declined = true;
        content = DECLINED_TOOL_MESSAGE;
      }
      messages.push({ role: 'tool', toolCallId: decision.toolCallId, name, content });
    }
    if (declined) {
      // What the customer said instead (delimited), so the model can answer it.
      const [last] = await this.deps.store.transcript(ctx.conversationId, 1);
      if (last?.role === 'customer') messages.push(customerMessage(last.text));
    }
  }

  private toolCallName(transcript: LlmMessage[], id: string): string | undefined {
    for (const m of transcript) {
      if (m.role === 'assistant') for (const c of m.toolCalls ?? []) if (c.id === id) return c.name;
    }
    return undefined;
  }

  /** For the audit: a name the step does not offer, split as the model wrote it ("server__tool"). */
  private asNamed(name: string): { server: string; tool: string } {
    const at = name.indexOf('__');
    return at > 0 ? { server: name.slice(0, at), tool: name.slice(at + 2) } : { server: '(unknown)', tool: name };
  }

  private pending(nodeId: string, target: { server: string; tool: string }, call: LlmToolCall): PendingCall {
    const args =
      call.rawArguments !== undefined
        ? { _rawArguments: call.rawArguments }
        : typeof call.arguments === 'object' && call.arguments !== null && !Array.isArray(call.arguments)
          ? (call.arguments as Record<string, unknown>)
          : { _arguments: call.arguments ?? null };
    return { nodeId, server: target.server, tool: target.tool, args };
  }

  private proposed(
    ctx: CallContext,
    nodeId: string,
    call: LlmToolCall,
    target: { server: string; tool: string },
    disposition: Extract<RunEvent, { type: 'tool_call_proposed' }>['disposition'],
  ): RunEvent {
    return {
      type: 'tool_call_proposed',
      conversationId: ctx.conversationId,
      nodeId,
      name: call.name,
      server: target.server,
      tool: target.tool,
      arguments: call.rawArguments ?? call.arguments,
      disposition,
    };
  }
}

/** What the model gets back for one executed (or refused) call. */
function resultText(event: EngineEvent): string {
  if (event.type !== 'tool_result') return 'Error: the tool did not run.';
  if (event.outcome === 'ok') {
    const text = typeof event.value === 'string' ? event.value : JSON.stringify(event.value);
    return wrapToolResult(text ?? 'null');
  }
  if (event.outcome === 'blocked') return `Error: the call was blocked and did not run: ${event.error}`;
  return `Error: the tool failed: ${wrapToolResult(event.error)}`;
}
