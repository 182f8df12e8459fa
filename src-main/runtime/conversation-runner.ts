// Runs conversations of one flow: feeds events to the pure engine, persists the state after
// every step (with the bot messages it produced, atomically), then performs the effects.
// A killed process resumes from the last committed step.
import type { OpeningHours } from '../shared/opening-hours';
import type { ConversationState } from '../shared/conversation';
import type { Flow } from '../shared/flow';
import { customerTexts, overridesFor, type CustomerTextOverrides } from '../shared/customer-texts';
import type { RunEvent } from '../shared/run-event';
import { initialState, type EngineContext, type EngineEvent, type Effect } from '../core/engine';
import type { ToolClassifier } from '../core/tool-policy';
import type { Redactor } from '../core/redact';
import { NO_MODEL_ADVICE } from '../core/validate/model';
import { ConfirmationGate } from './confirmation-gate';
import { prepareCall, stepWithPreparedCalls } from './call-preparer';
import type { ChannelPort, Clock, IdSource, KnowledgePort, LanguageDetector, LlmPort, McpPort, StorePort, ToolDefinition, TranscriptEntry } from './ports';
import { flowLanguages } from '../shared/flow-translations';
import { ToolExecutor, type CallContext } from './tool-executor';
import { LlmToolLoop } from './llm-tool-loop';

export interface RunnerDeps {
  flow: Flow;
  flowSource: string;
  store: StorePort;
  mcp: McpPort;
  /** Absent when the workspace configures no model: llm steps then fail clearly. */
  llm?: LlmPort;
  channel: ChannelPort;
  clock: Clock;
  ids: IdSource;
  classify: ToolClassifier;
  /**
   * The tools an AI step may offer its model (DESIGN §4: only approved ones, exactly as
   * pinned): GovernedMcp.approvedTools. Without owner decisions (tests, benches): the listing.
   */
  modelTools?: (server: string) => Promise<ToolDefinition[]>;
  confirmWords?: readonly string[];
  /** Tells the customer's language for a flow that speaks it (`detectLanguage`); absent: the flow's language is kept. */
  languageDetector?: LanguageDetector;
  /** The bot's language, for flows that name none (EngineContext.language). */
  language?: string;
  /** The owner's wording of the bot's texts per language (EngineContext.textOverrides). */
  textOverrides?: Readonly<Record<string, CustomerTextOverrides>>;
  /** The bot's opening hours (EngineContext.openingHours): conditions branch on `open_now`. */
  openingHours?: OpeningHours;
  toolTimeoutMs?: (server: string) => number | undefined;
  llmTimeoutMs?: number;
  /** How many transcript entries an llm step sees (default 20). */
  historyLimit?: number;
  onEvent?: (event: RunEvent) => void;
  /** Also emit a `step` event (where the conversation is, its variables) after every committed step. */
  emitSteps?: boolean;
  /**
   * The simulator's dry run: write tools are not executed (audited and reported as `dry_run`).
   * The write guard is unchanged: a write still needs the customer's confirmation of exactly that call.
   */
  dryRunWrites?: boolean;
  /** Masks known secret values in what the tool executor audits, emits and hands back. */
  redact?: Pick<Redactor, 'redact' | 'redactValue'>;
  /** The bot running this flow: every audit record names it (the tool executor gets it with the deps). */
  bot?: string;
  /** The bot's knowledge collections, for AI steps that name some. */
  knowledge?: KnowledgePort;
}

/** Where a conversation begins: a chosen step and preset variables (the simulator). */
export interface StartOptions {
  startAt?: string;
  vars?: Record<string, unknown>;
  /** The group participant whose message opened the conversation (WhatsApp groups). */
  from?: string;
  /**
   * The customer's message that opened the conversation (a channel's first message): kept in the
   * transcript before the flow's first words; not an answer, but its language counts.
   */
  opening?: { text: string; at: number };
}

/** What the channel knows about a customer message besides its text. */
export interface MessageMeta {
  /** When the customer sent it, by the channel (ms epoch); absent on channels that deliver synchronously. */
  sentAt?: number;
  /** The participant who wrote it in a group chat. */
  from?: string;
}

export class ConversationRunner {
  private readonly engine: EngineContext;
  private readonly gate: ConfirmationGate;
  private readonly tools: ToolExecutor;
  private readonly llmLoop: LlmToolLoop | undefined;
  /** Per-conversation queue: one customer's messages are handled strictly in order. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: RunnerDeps) {
    this.engine = {
      flow: deps.flow,
      ...(deps.confirmWords ? { confirmWords: deps.confirmWords } : {}),
      ...(deps.language !== undefined ? { language: deps.language } : {}),
      ...(deps.textOverrides ? { textOverrides: deps.textOverrides } : {}),
      ...(deps.openingHours ? { openingHours: deps.openingHours } : {}),
    };
    this.gate = new ConfirmationGate(deps);
    this.tools = new ToolExecutor({ ...deps, gate: this.gate, emit: this.emit, timeoutMs: deps.toolTimeoutMs });
    this.llmLoop = deps.llm
      ? new LlmToolLoop({
          llm: deps.llm,
          mcp: deps.mcp,
          ...(deps.modelTools ? { modelTools: deps.modelTools } : {}),
          store: deps.store,
          tools: this.tools,
          classify: deps.classify,
          emit: this.emit,
          ...(deps.llmTimeoutMs ? { llmTimeoutMs: deps.llmTimeoutMs } : {}),
          ...(deps.historyLimit ? { historyLimit: deps.historyLimit } : {}),
          texts: (language) => customerTexts(language, overridesFor(deps.textOverrides, language)),
          ...(deps.knowledge ? { knowledge: (request) => deps.knowledge!.search(deps.bot ?? 'default', request) } : {}),
        })
      : undefined;
  }

  async start(contact: ConversationState['contact'], conversationId = this.deps.ids.newId(), options: StartOptions = {}): Promise<ConversationState> {
    const state = initialState(this.deps.flow, conversationId, contact, options.vars ? { vars: options.vars } : {});
    // Created inside the queue: a message for this id that arrives meanwhile waits for the conversation to exist.
    return this.serialized(conversationId, async () => {
      await this.deps.store.createConversation({
        id: conversationId,
        flowId: this.deps.flow.id,
        flowSource: this.deps.flowSource,
        state,
        createdAt: this.deps.clock.now(),
      });
      this.emit({ type: 'conversation_started', conversationId, flowId: this.deps.flow.id });
      // No customer_message event: in a run's events that marks a reply turn, and this message only opens the flow.
      if (options.opening) await this.deps.store.addCustomerMessage(conversationId, options.opening.text, options.opening.at);
      return this.begin(state, options);
    });
  }

  private async begin(state: ConversationState, options: StartOptions): Promise<ConversationState> {
    const language = await this.detectLanguage(state, options.opening?.text);
    const first: EngineEvent = {
      type: 'start',
      ...(options.startAt !== undefined ? { at: options.startAt } : {}),
      ...(options.from !== undefined ? { from: options.from } : {}),
      ...(language !== undefined ? { language } : {}),
    };
    return this.drive(state, first);
  }

  /**
   * Continues a stored conversation: delivers what was not delivered, re-issues a pending call.
   * `unanswered`: the channel's durable record of the customer message it was handling when the
   * process died. If that message reached the transcript but no step consumed it (the crash
   * came between the two: its entry is newer than the last committed step), it is handled now,
   * once, with its channel facts; otherwise it was consumed and only the resume happens.
   */
  async resume(conversationId: string, unanswered?: { text: string; meta?: MessageMeta }): Promise<ConversationState> {
    return this.serialized(conversationId, async () => {
      const state = await this.load(conversationId);
      // Created, but the process died before its first step was committed: it starts now, opened by the unanswered message.
      if (state.status === 'new') return this.beginAfterCrash(state, unanswered);
      await this.deliver(conversationId, await this.deps.store.undelivered(conversationId));
      const pending = unanswered && state.awaiting ? await this.unconsumed(conversationId, unanswered.text) : undefined;
      if (!pending) return this.drive(state, { type: 'resume' });
      this.emit({ type: 'customer_message', conversationId, text: pending.text });
      const meta = unanswered!.meta ?? {};
      return this.drive(state, {
        type: 'user_message',
        text: pending.text,
        receivedAt: pending.at,
        ...(meta.sentAt !== undefined ? { sentAt: meta.sentAt } : {}),
        ...(meta.from !== undefined ? { from: meta.from } : {}),
      });
    });
  }

  private async beginAfterCrash(state: ConversationState, unanswered: { text: string; meta?: MessageMeta } | undefined): Promise<ConversationState> {
    const id = state.conversationId;
    const opening = unanswered ? { text: unanswered.text, at: this.deps.clock.now() } : undefined;
    const kept = (await this.deps.store.transcript(id, 1)).some((e) => e.role === 'customer');
    if (opening && !kept) await this.deps.store.addCustomerMessage(id, opening.text, opening.at);
    const from = unanswered?.meta?.from;
    return this.begin(state, { ...(opening ? { opening } : {}), ...(from !== undefined ? { from } : {}) });
  }

  /** The last customer entry, if it is `text` and came after the last committed step (strictly: a step committed in the same millisecond counts as having consumed it). */
  private async unconsumed(conversationId: string, text: string): Promise<TranscriptEntry | undefined> {
    const record = await this.deps.store.getConversation(conversationId);
    const last = (await this.deps.store.transcript(conversationId, 20)).findLast((e) => e.role === 'customer');
    return record && last && last.text === text && last.at > record.updatedAt ? last : undefined;
  }

  async receive(conversationId: string, text: string, meta: MessageMeta = {}): Promise<ConversationState> {
    return this.serialized(conversationId, async () => {
      const state = await this.load(conversationId);
      const now = this.deps.clock.now();
      await this.deps.store.addCustomerMessage(conversationId, text, now);
      this.emit({ type: 'customer_message', conversationId, text });
      const language = await this.detectLanguage(state, text);
      return this.drive(state, {
        type: 'user_message',
        text,
        receivedAt: now,
        ...(language !== undefined ? { language } : {}),
        ...(meta.sentAt !== undefined ? { sentAt: meta.sentAt } : {}),
        ...(meta.from !== undefined ? { from: meta.from } : {}),
      });
    });
  }

  /** A channel that sends later (ChannelPort.send said 'queued') reports here that a confirmation question reached the customer at `at`. */
  async questionDelivered(conversationId: string, question: number, at: number): Promise<ConversationState> {
    return this.serialized(conversationId, async () => this.drive(await this.load(conversationId), { type: 'question_delivered', question, at }));
  }

  /**
   * The language the customer wrote `text` in, among the flow's, while a multilingual flow's
   * conversation has none chosen yet (the engine keeps the first one found). A detector that
   * fails only leaves the flow's own language in place.
   */
  private async detectLanguage(state: ConversationState, text: string | undefined): Promise<string | undefined> {
    const detector = this.deps.languageDetector;
    const languages = flowLanguages(this.deps.flow, this.deps.language);
    if (!detector || !this.deps.flow.detectLanguage || languages.length < 2 || state.language !== undefined || !text?.trim()) return undefined;
    return detector.detect(text, languages).catch(() => undefined);
  }

  private async load(conversationId: string): Promise<ConversationState> {
    const record = await this.deps.store.getConversation(conversationId);
    if (!record) throw new Error(`There is no conversation with id "${conversationId}" in this data folder.`);
    if (record.flowId !== this.deps.flow.id) {
      throw new Error(`Conversation "${conversationId}" belongs to flow "${record.flowId}", not "${this.deps.flow.id}".`);
    }
    return record.state;
  }

  private async drive(state: ConversationState, first: EngineEvent): Promise<ConversationState> {
    let current = state;
    let event: EngineEvent | undefined = first;
    // A customer's message may answer a confirmation: the calls it declines or confirms are audited with it.
    const ctx: CallContext = { conversationId: state.conversationId, flowId: state.flowId, ...(first.type === 'user_message' ? { customerReply: first.text } : {}) };
    while (event) {
      const { state: next, effects } = await stepWithPreparedCalls({ ...this.engine, now: this.deps.clock.now() }, current, event, async (call) => {
        const prepared = await prepareCall(this.gate, call);
        if ('error' in prepared) await this.tools.refused(ctx, call, 'error', prepared.error);
        return prepared;
      });
      await this.bookkeep(ctx, effects);
      const sends = effects.flatMap((e) => (e.type === 'send' ? [e.text] : []));
      const entries = await this.deps.store.commitStep(next.conversationId, next, sends, this.deps.clock.now());
      // A step that asks for a confirmation ends with the question (engine: openConfirmation).
      const question = effects.some((e) => e.type === 'confirmation_requested') ? next.confirmation?.question : undefined;
      const deliveredNow = await this.deliver(next.conversationId, entries, question);
      current = next;
      // Delivered synchronously: the question is out now (a queued one is reported by its channel).
      event = question !== undefined && deliveredNow ? { type: 'question_delivered', question, at: this.deps.clock.now() } : undefined;
      for (const effect of effects) {
        if (effect.type === 'confirmation_requested') {
          for (const call of effect.calls) this.emit({ type: 'confirmation_requested', conversationId: ctx.conversationId, ...call });
        } else if (effect.type === 'finished') {
          if (effect.status === 'failed') this.emit({ type: 'error', conversationId: ctx.conversationId, message: effect.reason ?? 'failed' });
          this.emit({ type: 'end', conversationId: ctx.conversationId, status: effect.status, ...(effect.reason ? { reason: effect.reason } : {}) });
        }
      }
      // The step is done (its messages and questions out); then the call it waits for, if any.
      if (this.deps.emitSteps) this.emitStep(next);
      for (const effect of effects) {
        if (effect.type === 'call_tool') {
          event = await this.tools.execute(ctx, effect.call);
        } else if (effect.type === 'call_llm') {
          event = await this.callLlm(ctx, effect);
        }
      }
    }
    return current;
  }

  /** Confirmation bookkeeping happens before the step is committed. */
  private async bookkeep(ctx: CallContext, effects: Effect[]): Promise<void> {
    for (const effect of effects) {
      if (effect.type === 'expire_confirmations') await this.deps.store.expireConfirmations(ctx.conversationId, this.deps.clock.now());
      if (effect.type === 'declined') await this.tools.declined(ctx, effect.call);
      if (effect.type === 'record_confirmation') {
        // If the tool cannot be looked up now, no confirmation is recorded and the call is blocked later.
        await this.gate.record(ctx.conversationId, effect.call).catch(() => undefined);
      }
    }
  }

  /** An llm step: the tool loop (llm-tool-loop.ts) talks to the model and runs the allowed read tools. */
  private async callLlm(ctx: CallContext, effect: Extract<Effect, { type: 'call_llm' }>): Promise<EngineEvent> {
    if (!this.llmLoop) {
      return { type: 'llm_result', nodeId: effect.nodeId, ok: false, error: `this bot has no language model yet: ${NO_MODEL_ADVICE}` };
    }
    return this.llmLoop.run(ctx, effect);
  }

  /** Hands the messages to the channel; `question`: the last one is that confirmation question. False when the channel queued the question. */
  private async deliver(conversationId: string, entries: { id: number; text: string }[], question?: number): Promise<boolean> {
    let deliveredNow = true;
    for (const [i, entry] of entries.entries()) {
      const asks = question !== undefined && i === entries.length - 1 ? question : undefined;
      const outcome = await this.deps.channel.send(conversationId, entry.text, asks);
      if (asks !== undefined) deliveredNow = outcome !== 'queued';
      await this.deps.store.markDelivered([entry.id]);
      this.emit({ type: 'bot_message', conversationId, text: entry.text });
    }
    return deliveredNow;
  }

  private emitStep(state: ConversationState): void {
    const vars = this.deps.redact ? this.deps.redact.redactValue(state.vars) : state.vars;
    this.emit({
      type: 'step',
      conversationId: state.conversationId,
      nodeId: state.awaiting?.nodeId ?? state.at ?? null,
      status: state.status,
      awaiting: state.awaiting?.kind ?? null,
      vars: structuredClone(vars),
    });
  }

  private readonly emit = (event: RunEvent): void => {
    this.deps.onEvent?.(event);
  };

  private serialized<T>(conversationId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(conversationId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.queues.set(conversationId, settled);
    void settled.then(() => {
      if (this.queues.get(conversationId) === settled) this.queues.delete(conversationId);
    });
    return next;
  }
}
