// The conversation engine: a pure step(context, state, event) -> { state, effects }.
// It walks the flow until it must wait (for the customer, a tool or the model) and
// describes what should happen as effects; the runner performs them and feeds the
// results back as events. No I/O here, so every rule is testable without mocks.
import type { OpeningHours } from '../shared/opening-hours';
import { isOpen } from './opening-hours';
import type { ConversationState, LlmPendingCall, PendingCall } from '../shared/conversation';
import type { Flow, FlowNode, LlmKnowledge, NodeOf, ToolRef } from '../shared/flow';
import type { LlmMessage } from '../shared/llm-message';
import { hasLabels, mergeLabels, type CallLabels } from '../shared/call-labels';
import { customerTexts, DEFAULT_LANGUAGE, fillText, overridesFor, type CustomerTextOverrides, type CustomerTexts } from '../shared/customer-texts';
import { isAffirmative, matchOption, parseAnswer, type AnswerReading, type ParsedAnswer } from './answers';
import { closestLanguage, flowLanguages, localTexts, translationsFor, type LocalTexts } from '../shared/flow-translations';
import { chooseHandle } from './conditions';
import { edgeFrom, nodeById } from './handles';
import { showCall } from './show-args';
import { renderArgument, renderTemplate, setVar } from './template';

export interface EngineContext {
  flow: Flow;
  /** Extra words that count as "yes" to a confirm question (beside the language's own). */
  confirmWords?: readonly string[];
  /** The language of a flow that names none: the bot's setting (absent: English). BCP 47. */
  language?: string;
  /** The owner's replacements for the bot's own texts, per language ("pt-BR": {...}). */
  textOverrides?: Readonly<Record<string, CustomerTextOverrides>>;
  /** Steps the engine may take without waiting before it declares a loop (default 200). */
  maxStepsWithoutWaiting?: number;
  /**
   * A call a confirm question is about to show, as it will be sent (arguments coerced to the
   * tool's schema) or why it cannot be sent; undefined: not known (shown as resolved). The
   * runner prepares these (runtime/call-preparer.ts), so the customer sees exactly what is sent.
   */
  preparedCall?: (call: PendingCall) => PreparedCall | undefined;
  /** The bot's opening hours: conditions read `open_now` from them at `now` (absent: always open). */
  openingHours?: OpeningHours;
  /** When this step is taken (ms epoch): the runner's clock, given with every step (the engine has none). */
  now?: number;
}

/** `argLabels`: the names the tool's schema gives its arguments (the step's own labels win). */
export type PreparedCall = { args: Record<string, unknown>; argLabels?: Record<string, string> } | { error: string };

/** A write an AI step's model asked for, with the names its tool's schema gives the arguments. */
export type ProposedWrite = LlmPendingCall & { argLabels?: Record<string, string> };

export type EngineEvent =
  /**
   * `at`: begin at this step instead of the start step (the simulator's "start from this step").
   * `from`: the group participant whose message opened the conversation.
   * `language` (here and on user_message): the language the runner detected the customer's
   * words to be in, for a flow that speaks the customer's language (`detectLanguage`).
   */
  | { type: 'start'; at?: string; from?: string; language?: string }
  /** After a restart: re-issue the call the conversation was waiting for. */
  | { type: 'resume' }
  /**
   * `sentAt`: when the customer sent it, by the channel (ms epoch). Absent: the channel delivers
   * synchronously (simulator, CLI), so every question was out before the customer wrote.
   * `receivedAt`: when the runner took it (its clock): the "today" of answers like "tomorrow"
   * when the channel gives no time. `from`: the participant who wrote it in a group chat.
   */
  | { type: 'user_message'; text: string; sentAt?: number; receivedAt?: number; from?: string; language?: string }
  /** The channel delivered confirmation question number `question` (state.confirmation) at `at` (ms epoch). */
  | { type: 'question_delivered'; question: number; at: number }
  | { type: 'tool_result'; nodeId: string; outcome: 'ok'; value: unknown }
  | { type: 'tool_result'; nodeId: string; outcome: 'error' | 'blocked'; error: string }
  | { type: 'llm_result'; nodeId: string; ok: true; text: string }
  /** The model asked for write tools: the step pauses and the customer is asked about exactly these calls. */
  | {
      type: 'llm_result';
      nodeId: string;
      ok: true;
      needsConfirmation: { calls: ProposedWrite[]; transcript: LlmMessage[]; rounds: number };
    }
  | { type: 'llm_result'; nodeId: string; ok: false; error: string };

export type Effect =
  | { type: 'send'; text: string }
  | { type: 'confirmation_requested'; askNodeId: string; calls: PendingCall[] }
  | { type: 'expire_confirmations' }
  | { type: 'record_confirmation'; askNodeId: string; call: PendingCall }
  | { type: 'declined'; askNodeId: string; call: PendingCall }
  | { type: 'call_tool'; call: PendingCall }
  | {
      type: 'call_llm';
      nodeId: string;
      instructions: string;
      input?: string;
      /** The step's allowed tools (only these are ever offered); absent: none. */
      tools?: ToolRef[];
      /** Model turns with tool calls allowed before the polite fallback (default 4). */
      maxToolRounds?: number;
      /** Continue a paused step with the customer's decisions about the calls they were shown. */
      resume?: LlmResume;
      /** The conversation's language (BCP 47): the loop has no flow, its fallback reply is said in this. Absent: English. */
      language?: string;
      /** The step's knowledge collections: passages go to the model as untrusted reference data. */
      knowledge?: LlmKnowledge;
    }
  | { type: 'finished'; status: 'ended' | 'handoff' | 'failed'; reason?: string };

/**
 * The customer's answer to the calls an llm step paused for. Built only in `answer()` from a
 * customer's user_message: nothing a model or a tool produced can create a decision.
 */
export interface LlmResume {
  transcript: LlmMessage[];
  rounds: number;
  decisions: { call: PendingCall; toolCallId: string; confirmed: boolean }[];
}

export const DEFAULT_MAX_TOOL_ROUNDS = 4;

export interface StepResult {
  state: ConversationState;
  effects: Effect[];
}

const DEFAULT_MAX_RETRIES = 2;

export interface InitialOptions {
  /** Variables the conversation begins with (the simulator's preset variables). */
  vars?: Record<string, unknown>;
}

export function initialState(
  flow: Flow,
  conversationId: string,
  contact: ConversationState['contact'],
  options: InitialOptions = {},
): ConversationState {
  return {
    conversationId,
    flowId: flow.id,
    status: 'new',
    awaiting: null,
    vars: structuredClone(options.vars ?? {}),
    contact,
    lastMessage: '',
    stepsSinceInput: 0,
    retries: 0,
    shownCalls: [],
  };
}

export function step(ctx: EngineContext, state: ConversationState, event: EngineEvent): StepResult {
  const walk = new Walk(ctx, structuredClone(state));
  walk.handle(event);
  return { state: walk.state, effects: walk.effects };
}

/**
 * Why a conversation cannot begin at step `at` (undefined: it can). Starting anywhere is safe
 * for the write guard: a write tool entered without a confirmation is blocked at run time.
 */
export function startAtProblem(flow: Flow, at: string): string | undefined {
  if (nodeById(flow, at)) return undefined;
  return `there is no step "${at}" in the flow "${flow.id}" to start from`;
}

/** The language a conversation speaks: its own (once chosen), else the flow's, else the bot's, else English. */
export function conversationLanguage(ctx: Pick<EngineContext, 'flow' | 'language'>, state: Pick<ConversationState, 'language'>): string {
  return state.language ?? ctx.flow.language ?? ctx.language ?? DEFAULT_LANGUAGE;
}

/** What the bot itself says in this conversation: its language's catalogue with the owner's overrides. */
export function textsFor(ctx: EngineContext, state: Pick<ConversationState, 'language'>): CustomerTexts {
  const language = conversationLanguage(ctx, state);
  return customerTexts(language, overridesFor(ctx.textOverrides, language));
}

/** The scope templates see: the flow's variables plus the built-ins. */
export function templateScope(state: ConversationState): Record<string, unknown> {
  return { ...state.vars, contact: state.contact, last_message: state.lastMessage };
}

export function resolveToolCall(node: NodeOf<'tool'>, state: ConversationState): PendingCall {
  const scope = templateScope(state);
  const args: Record<string, unknown> = {};
  for (const [name, template] of Object.entries(node.data.args)) args[name] = renderArgument(template, scope);
  return { nodeId: node.id, server: node.data.server, tool: node.data.tool, args };
}

class Walk {
  readonly effects: Effect[] = [];

  constructor(
    private readonly ctx: EngineContext,
    readonly state: ConversationState,
  ) {}

  /** Read each time: a conversation's language may be chosen while it runs. */
  private get texts(): CustomerTexts {
    return textsFor(this.ctx, this.state);
  }

  /** Open now by the bot's hours; a bot without hours (or a step given no time) is open. */
  private openNow(): boolean {
    const { openingHours, now } = this.ctx;
    return openingHours === undefined || now === undefined || isOpen(openingHours, now);
  }

  private get language(): string {
    return conversationLanguage(this.ctx, this.state);
  }

  handle(event: EngineEvent): void {
    const finished = ['ended', 'handoff', 'failed'].includes(this.state.status);
    switch (event.type) {
      case 'start':
        if (this.state.status !== 'new') return;
        this.state.status = 'active';
        if (event.from !== undefined) this.state.lastFrom = event.from;
        this.chooseLanguage(event.language);
        return event.at === undefined ? this.enterStart() : this.enterAt(event.at);
      case 'resume':
        return this.resume();
      case 'user_message':
        if (finished) return;
        // In a group, while a confirmation waits for the person asked, others' messages are left
        // alone: no answer, no new question (a chatty group would otherwise reset it endlessly).
        if (this.fromBystander(event)) return;
        this.state.lastMessage = event.text;
        this.state.stepsSinceInput = 0;
        if (event.from !== undefined) this.state.lastFrom = event.from;
        else delete this.state.lastFrom;
        this.chooseLanguage(event.language);
        // A confirmation is only good for the message that gave it.
        this.effects.push({ type: 'expire_confirmations' });
        if (this.cannotAnswerConfirmation(event)) return this.askAgain();
        // A WhatsApp message without a timestamp carries sentAt 0: no "today" to read dates by.
        return this.answer(event.text, event.sentAt || event.receivedAt);
      case 'question_delivered':
        return this.questionDelivered(event);
      case 'tool_result':
        if (finished || this.state.awaiting?.kind !== 'tool' || this.state.awaiting.nodeId !== event.nodeId) return;
        return this.toolDone(event);
      case 'llm_result':
        if (finished || this.state.awaiting?.kind !== 'llm' || this.state.awaiting.nodeId !== event.nodeId) return;
        return this.llmDone(event);
    }
  }

  private enterStart(): void {
    const starts = this.ctx.flow.nodes.filter((n) => n.type === 'start');
    if (starts.length !== 1) return this.fail(`the flow needs exactly one start step (it has ${starts.length})`);
    this.follow(starts[0]!, 'next');
  }

  private enterAt(at: string): void {
    const problem = startAtProblem(this.ctx.flow, at);
    if (problem) return this.fail(problem);
    this.visit(nodeById(this.ctx.flow, at)!);
  }

  private resume(): void {
    const waiting = this.state.awaiting;
    if (!waiting || waiting.kind === 'input') return;
    const node = this.node(waiting.nodeId);
    if (node) this.visit(node);
  }

  private node(id: string): FlowNode | undefined {
    const node = nodeById(this.ctx.flow, id);
    if (!node) this.fail(`step "${id}" is not in the flow any more`);
    return node;
  }

  /** Leaves `from` through `handle`; an unconnected handle ends the conversation quietly. */
  private follow(from: FlowNode, handle: string): void {
    this.state.awaiting = null;
    const edge = edgeFrom(this.ctx.flow, from.id, handle);
    if (!edge) return this.finish('ended', `step "${from.id}" has nothing connected to "${handle}"`);
    const next = this.node(edge.target);
    if (next) this.visit(next);
  }

  private visit(node: FlowNode): void {
    // Counted across tool and model results too: an error path looping back to a tool never waits.
    if (++this.state.stepsSinceInput > (this.ctx.maxStepsWithoutWaiting ?? 100)) {
      return this.fail(`the flow went round in a loop at step "${node.id}" without waiting for the customer`);
    }
    this.state.at = node.id;
    const scope = templateScope(this.state);
    switch (node.type) {
      case 'start':
        return this.follow(node, 'next');
      case 'message':
        this.send(renderTemplate(this.local(node).text ?? node.data.text, scope));
        return this.follow(node, 'next');
      case 'ask':
        this.state.retries = 0;
        return this.ask(node, this.questionOf(node));
      case 'llm':
        this.state.awaiting = { kind: 'llm', nodeId: node.id };
        delete this.state.llmPending;
        this.effects.push({
          type: 'call_llm',
          nodeId: node.id,
          instructions: node.data.instructions,
          ...(node.data.input !== undefined ? { input: renderTemplate(node.data.input, scope) } : {}),
          ...(node.data.tools.length > 0
            ? { tools: node.data.tools.map((t) => ({ server: t.server, tool: t.tool })), maxToolRounds: node.data.maxToolRounds ?? DEFAULT_MAX_TOOL_ROUNDS }
            : {}),
          language: this.language,
          ...(node.data.knowledge ? { knowledge: node.data.knowledge } : {}),
        });
        return;
      case 'tool':
        this.state.awaiting = { kind: 'tool', nodeId: node.id };
        this.effects.push({ type: 'call_tool', call: resolveToolCall(node, this.state) });
        return;
      case 'condition':
        return this.follow(node, chooseHandle(node.data.rules, { ...scope, open_now: this.openNow() }));
      case 'set':
        for (const [name, template] of Object.entries(node.data.assign)) {
          setVar(this.state.vars, name, renderArgument(template, templateScope(this.state)));
        }
        return this.follow(node, 'next');
      case 'handoff':
        if (node.data.text) this.send(renderTemplate(this.local(node).text ?? node.data.text, scope));
        return this.finish('handoff');
      case 'end':
        if (node.data.text) this.send(renderTemplate(this.local(node).text ?? node.data.text, scope));
        return this.finish('ended');
    }
  }

  private questionOf(node: NodeOf<'ask'>): string {
    const local = this.local(node);
    const question = renderTemplate(local.question ?? node.data.question, templateScope(this.state));
    if (node.data.answer.kind !== 'choice') return question;
    const { choiceOption } = this.texts;
    const options = local.options ?? node.data.answer.options;
    return [question, ...options.map((option, i) => fillText(choiceOption, { number: i + 1, option }))].join('\n');
  }

  /** A step's texts in the conversation's language (shared/flow-translations.ts: the original where none). */
  private local(node: FlowNode): LocalTexts {
    return localTexts(node, translationsFor(this.ctx.flow, this.language, this.ctx.language)?.[node.id]);
  }

  /**
   * A multilingual flow speaks the language its customer writes in: the runner detects it from
   * the first messages (`language` on the event) until one is chosen, and it stays chosen.
   */
  private chooseLanguage(detected: string | undefined): void {
    if (!this.ctx.flow.detectLanguage || detected === undefined || this.state.language !== undefined) return;
    const match = closestLanguage(flowLanguages(this.ctx.flow, this.ctx.language), detected);
    if (match !== undefined) this.state.language = match;
  }

  /** A choice is read in the options the customer was shown, then in the originals; the value saved is always the original. */
  private parse(node: NodeOf<'ask'>, text: string, reading: AnswerReading): ParsedAnswer | undefined {
    const { answer } = node.data;
    const shown = answer.kind === 'choice' ? this.local(node).options : undefined;
    if (answer.kind === 'choice' && shown && shown !== answer.options) {
      const picked = matchOption(shown, text);
      if (picked !== undefined) return { kind: 'choice', value: answer.options[shown.indexOf(picked)]! };
    }
    return parseAnswer(answer, text, reading);
  }

  /** Sends the question and waits. A confirm question shows the exact call it confirms. */
  private ask(node: NodeOf<'ask'>, text: string): void {
    this.state.awaiting = { kind: 'input', nodeId: node.id };
    const calls = node.data.answer.kind === 'confirm' ? this.callsBehindYes(node) : [];
    const prepared = calls.map((call) => ({ call, as: this.ctx.preparedCall?.(call) }));
    const refused = prepared.find((p) => p.as !== undefined && 'error' in p.as);
    // A call that cannot be sent as resolved is not offered: its tool step fails (its error path).
    if (refused?.as && 'error' in refused.as) return this.toolDone({ type: 'tool_result', nodeId: refused.call.nodeId, outcome: 'error', error: refused.as.error });
    const shown = prepared.map(({ call, as }) => (as && 'args' in as ? { ...call, args: as.args } : call));
    if (shown.length === 0) {
      this.state.shownCalls = [];
      return this.send(text);
    }
    const labels = prepared.map(({ call, as }) => mergeLabels(as && 'args' in as ? as.argLabels : undefined, this.toolData(call.nodeId)));
    this.openConfirmation(node.id, text, shown, this.state.lastFrom, labels);
  }

  /** The tool step's labels, its action label in the conversation's language when translated. */
  private toolData(nodeId: string): NodeOf<'tool'>['data'] | undefined {
    const node = nodeById(this.ctx.flow, nodeId);
    if (node?.type !== 'tool') return undefined;
    const action = this.local(node).action;
    return action === undefined ? node.data : { ...node.data, actionLabel: action };
  }

  /**
   * Shows the calls and asks for a yes, as the step's last message (the runner relies on it:
   * that message is the question whose delivery it reports). A new question number: a dated
   * message answers it only if sent after the channel reported it delivered (question_delivered);
   * in a group only `askedOf` can answer. `labels[i]` names calls[i] (kept to ask again alike).
   */
  private openConfirmation(askNodeId: string, intro: string, calls: PendingCall[], askedOf: string | undefined, labels: CallLabels[] = []): void {
    this.state.shownCalls = calls;
    const texts = this.texts;
    const details = calls.map((call, i) => showCall(call, texts, labels[i])).join('\n\n');
    this.send(`${intro}\n\n${details}\n\n${texts.confirmHint}`);
    this.effects.push({ type: 'confirmation_requested', askNodeId, calls });
    const question = (this.state.confirmation?.question ?? 0) + 1;
    this.state.confirmation = { question, ...(askedOf !== undefined ? { askedOf } : {}), ...(labels.some(hasLabels) ? { labels } : {}) };
  }

  /**
   * A confirmation is open and this message cannot answer it: the customer sent it before the
   * question reached them (two messages sent together, or while the bot was offline).
   */
  private cannotAnswerConfirmation(event: Extract<EngineEvent, { type: 'user_message' }>): boolean {
    if (this.state.awaiting?.kind !== 'input' || this.state.shownCalls.length === 0) return false;
    const asked = this.state.confirmation;
    if (event.sentAt === undefined) return false;
    return asked?.askedAt === undefined || event.sentAt < asked.askedAt;
  }

  /** A confirmation is open for one participant of a group, and someone else wrote. */
  private fromBystander(event: Extract<EngineEvent, { type: 'user_message' }>): boolean {
    if (this.state.awaiting?.kind !== 'input' || this.state.shownCalls.length === 0) return false;
    const askedOf = this.state.confirmation?.askedOf;
    return askedOf !== undefined && event.from !== askedOf;
  }

  /** Asks the open confirmation question again, showing the same calls, of the same person. */
  private askAgain(): void {
    const node = this.node(this.state.awaiting!.nodeId);
    if (!node) return;
    const intro = node.type === 'ask' ? this.questionOf(node) : this.llmConfirmIntro(this.state.shownCalls.length);
    this.openConfirmation(node.id, intro, this.state.shownCalls, this.state.confirmation?.askedOf, this.state.confirmation?.labels);
  }

  private questionDelivered(event: Extract<EngineEvent, { type: 'question_delivered' }>): void {
    const asked = this.state.confirmation;
    if (this.state.awaiting?.kind !== 'input' || this.state.shownCalls.length === 0) return;
    if (asked?.question !== event.question || asked.askedAt !== undefined) return;
    asked.askedAt = event.at;
  }

  private callsBehindYes(node: NodeOf<'ask'>): PendingCall[] {
    const edge = edgeFrom(this.ctx.flow, node.id, 'yes');
    const target = edge && nodeById(this.ctx.flow, edge.target);
    return target?.type === 'tool' ? [resolveToolCall(target, this.state)] : [];
  }

  private answer(text: string, sentAt: number | undefined): void {
    const waiting = this.state.awaiting;
    if (waiting?.kind !== 'input') return;
    const node = this.node(waiting.nodeId);
    if (!node) return;
    if (node.type === 'llm' && this.state.llmPending?.nodeId === node.id) return this.answerLlm(node, text);
    if (node.type !== 'ask') return this.fail(`step "${node.id}" is not a question any more`);
    const parsed = this.parse(node, text, {
      language: this.language,
      ...(this.ctx.confirmWords ? { confirmWords: this.ctx.confirmWords } : {}),
      ...(sentAt !== undefined ? { now: sentAt } : {}),
    });
    const { saveAs } = node.data;

    if (parsed?.kind === 'confirm') {
      const calls = this.state.shownCalls;
      this.state.shownCalls = [];
      if (saveAs) setVar(this.state.vars, saveAs, parsed.value);
      for (const call of calls) {
        this.effects.push({ type: parsed.value ? 'record_confirmation' : 'declined', askNodeId: node.id, call });
      }
      return this.follow(node, parsed.value ? 'yes' : 'no');
    }
    if (parsed) {
      if (saveAs) setVar(this.state.vars, saveAs, parsed.value);
      const byOption = parsed.kind === 'choice' && edgeFrom(this.ctx.flow, node.id, parsed.value);
      return this.follow(node, byOption ? parsed.value : 'next');
    }

    this.state.retries += 1;
    const maxRetries = node.data.maxRetries ?? DEFAULT_MAX_RETRIES;
    if (this.state.retries > maxRetries && edgeFrom(this.ctx.flow, node.id, 'invalid')) {
      return this.follow(node, 'invalid');
    }
    // Without an "invalid" path the question stays open: the customer can always answer.
    const retryText = this.local(node).retryText ?? node.data.retryText;
    const retry = retryText
      ? renderTemplate(retryText, templateScope(this.state))
      : fillText(this.texts.retry, { question: this.questionOf(node) });
    this.ask(node, retry);
  }

  /**
   * The customer's next message after an llm step asked about the writes its model proposed.
   * Only a plain affirmative confirms; the confirmations are recorded for exactly the calls
   * shown (shownCalls); anything else declines them all. Then the model continues.
   */
  private answerLlm(node: NodeOf<'llm'>, text: string): void {
    const pending = this.state.llmPending!;
    const shown = this.state.shownCalls;
    const yes = isAffirmative(text, this.language, this.ctx.confirmWords);
    delete this.state.llmPending;
    this.state.shownCalls = [];
    for (const call of shown) {
      this.effects.push({ type: yes ? 'record_confirmation' : 'declined', askNodeId: node.id, call });
    }
    this.state.awaiting = { kind: 'llm', nodeId: node.id };
    this.effects.push({
      type: 'call_llm',
      nodeId: node.id,
      instructions: node.data.instructions,
      tools: node.data.tools.map((t) => ({ server: t.server, tool: t.tool })),
      maxToolRounds: node.data.maxToolRounds ?? DEFAULT_MAX_TOOL_ROUNDS,
      resume: {
        transcript: pending.transcript,
        rounds: pending.rounds,
        decisions: pending.calls.map(({ toolCallId, ...call }) => ({ call, toolCallId, confirmed: yes })),
      },
      language: this.language,
      ...(node.data.knowledge ? { knowledge: node.data.knowledge } : {}),
    });
  }

  private toolDone(event: Extract<EngineEvent, { type: 'tool_result' }>): void {
    const node = this.node(event.nodeId);
    if (node?.type !== 'tool') return;
    if (event.outcome === 'ok') {
      if (node.data.saveAs) setVar(this.state.vars, node.data.saveAs, event.value);
      return this.follow(node, 'next');
    }
    if (edgeFrom(this.ctx.flow, node.id, 'error')) return this.follow(node, 'error');
    this.fail(`the action at step "${node.id}" failed: ${event.error}`);
  }

  private llmDone(event: Extract<EngineEvent, { type: 'llm_result' }>): void {
    const node = this.node(event.nodeId);
    if (node?.type !== 'llm') return;
    if (!event.ok) return this.fail(`the AI step "${node.id}" failed: ${event.error}`);
    if ('needsConfirmation' in event) return this.askLlmConfirmation(node, event.needsConfirmation);
    if (node.data.output.mode === 'reply') this.send(event.text);
    else setVar(this.state.vars, node.data.output.var, event.text);
    this.follow(node, 'next');
  }

  /** Pauses the llm step and shows the customer exactly the calls its model asked for. */
  private askLlmConfirmation(
    node: NodeOf<'llm'>,
    pending: Extract<EngineEvent, { type: 'llm_result'; ok: true; needsConfirmation: unknown }>['needsConfirmation'],
  ): void {
    if (pending.calls.length === 0) return this.fail(`the AI step "${node.id}" paused without a call to confirm`);
    const calls = pending.calls.map((c) => ({ nodeId: node.id, server: c.server, tool: c.tool, args: c.args, toolCallId: c.toolCallId }));
    this.state.llmPending = { nodeId: node.id, transcript: pending.transcript, rounds: pending.rounds, calls };
    this.state.awaiting = { kind: 'input', nodeId: node.id };
    const shown = calls.map(({ toolCallId: _id, ...call }) => call);
    // The step's own labels for the tool over its schema's: the model never names anything here.
    const labels = pending.calls.map((c) => mergeLabels(c.argLabels, node.data.tools.find((t) => t.server === c.server && t.tool === c.tool)));
    this.openConfirmation(node.id, this.llmConfirmIntro(calls.length), shown, this.state.lastFrom, labels);
  }

  private llmConfirmIntro(calls: number): string {
    return calls === 1 ? this.texts.confirmIntroOne : this.texts.confirmIntroMany;
  }

  private send(text: string): void {
    this.effects.push({ type: 'send', text });
  }

  private finish(status: 'ended' | 'handoff', reason?: string): void {
    this.state.status = status;
    this.state.awaiting = null;
    this.effects.push({ type: 'finished', status, ...(reason ? { reason } : {}) });
  }

  private fail(reason: string): void {
    if (this.state.status === 'failed') return;
    this.state.status = 'failed';
    this.state.awaiting = null;
    this.state.error = reason;
    this.send(this.texts.failure);
    this.effects.push({ type: 'finished', status: 'failed', reason });
  }
}
