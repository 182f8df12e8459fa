// The HTTP chat channel: a customer's message in, the bot's replies and the conversation's status
// out, in the same request. The bots come from BotRuntimes (app/bot-runtime-port.ts): the
// studio's active bot, or every bot `flowbot serve` runs. Modelled on whatsapp-service.ts:
//
// - Order: a customer's messages are handled strictly one after the other (a chain per
//   (bot, customer)); different customers concurrently.
// - Exactly once: a message is persisted (http-chat-store.ts) when it arrives, before it waits
//   on its chain. Before the runner gets it, the row records the conversation and its last
//   transcript id (the mark); when handled, the answer given. A client's retry with the same
//   messageId gets that answer again and never runs the flow a second time; a retry after a crash
//   in between resumes the conversation (the runner delivers what was not delivered, re-issues a
//   pending call) instead of receiving the message twice. The replies are the bot's transcript
//   entries after the mark, so they survive a crash too.
// - Confirmations and the write guard exactly as on WhatsApp: the channel is synchronous (its
//   ChannelPort.send resolves when the reply is in the answer), so the runner reports a question
//   delivered at once; each message carries when it arrived (sentAt, taken before it waits on its
//   chain), and the engine lets a "yes" answer only a question asked before that.
// - A conversation a hand-off step ended stays with a human: later messages are kept in its
//   transcript, unanswered. An ended or failed one: the next message starts a new conversation.
import { randomUUID } from 'node:crypto';
import type { ConversationState } from '../../shared/conversation';
import type { Flow } from '../../shared/flow';
import type { RunEvent } from '../../shared/run-event';
import { customerTexts, overridesFor } from '../../shared/customer-texts';
import type { ConversationRunner } from '../../runtime/conversation-runner';
import type { Clock } from '../../runtime/ports';
import type { HttpChatStore } from '../../adapters/store/http-chat-store';
import type { AnsweringFlow, BotRuntime } from '../bot-runtime-port';
import type { ConversationOrder } from '../scale-out/coordination';

/** Where a conversation stands, as an HTTP client reads it. */
export type ChatStatus = 'waiting_for_answer' | 'confirmation_pending' | 'ended' | 'handed_off' | 'failed';
export const CHAT_STATUSES: readonly ChatStatus[] = ['waiting_for_answer', 'confirmation_pending', 'ended', 'handed_off', 'failed'];

export interface ChatAnswer {
  messageId: string;
  conversationId: string;
  /** What the bot said in answer to this message, in order (none while a human has the conversation). */
  replies: string[];
  status: ChatStatus;
}

export interface ChatConversation {
  conversationId: string;
  status: ChatStatus;
  transcript: { role: 'customer' | 'bot'; text: string; at: number }[];
}

/** The bot cannot answer now (no flow chosen for HTTP, or the chosen one cannot run): nothing was handled. */
export class ChatUnavailableError extends Error {
  override readonly name = 'ChatUnavailableError';
}

/** A messageId reused for a different text: a client bug, never answered with the other message's replies. */
export class MessageIdConflictError extends Error {
  override readonly name = 'MessageIdConflictError';
}

export interface HttpChatDeps {
  /** Opened on first use (a studio whose folder cannot hold a database still edits flows). */
  store: () => HttpChatStore;
  clock?: Clock;
  log?: (message: string) => void;
  onRunEvent?: (bot: string, event: RunEvent) => void;
  /**
   * Several `flowbot serve` instances: a customer's messages are handled one after the other
   * across all of them (app/scale-out/coordination.ts), wherever each arrives. Default: a chain in
   * this process.
   */
  order?: ConversationOrder;
}

export interface HttpChat {
  /** Handles one customer message (a retry of `messageId` gets the first answer). The bot must exist (runtimes.get). */
  send(runtime: BotRuntime, customer: string, message: { text: string; messageId?: string }): Promise<ChatAnswer>;
  /** The customer's current conversation; undefined when they have none. */
  conversation(runtime: BotRuntime, customer: string, limit?: number): Promise<ChatConversation | undefined>;
  /** Resolves when every message received so far is handled. */
  idle(): Promise<void>;
}

const FINISHED = new Set(['ended', 'failed', 'handoff']);
/** More bot messages than one customer message ever produces (a flow waits for input within 100 steps). */
const REPLIES_WINDOW = 1_000;

export function chatStatus(state: ConversationState): ChatStatus {
  if (state.status === 'handoff') return 'handed_off';
  if (state.status === 'ended') return 'ended';
  if (state.status === 'failed') return 'failed';
  if (state.shownCalls.length > 0 || state.llmPending !== undefined) return 'confirmation_pending';
  return 'waiting_for_answer';
}

export function createHttpChat(deps: HttpChatDeps): HttpChat {
  const store = deps.store;
  const clock = deps.clock ?? { now: () => Date.now() };
  const log = deps.log ?? ((message: string) => console.error(`[http-chat] ${message}`));
  const chains = new Map<string, Promise<unknown>>();
  /** One runner per flow as loaded (a re-read flow gets a new one; the runner holds no state of its own between messages). */
  const runners = new WeakMap<Flow, ConversationRunner>();

  function onChain<T>(key: string, work: () => Promise<T>): Promise<T> {
    const next = (chains.get(key) ?? Promise.resolve()).then(work);
    const settled = next.catch(() => undefined);
    chains.set(key, settled);
    void settled.then(() => {
      if (chains.get(key) === settled) chains.delete(key);
    });
    return next;
  }

  const runnerFor = (runtime: BotRuntime, chosen: AnsweringFlow): ConversationRunner => {
    let runner = runners.get(chosen.flow);
    if (!runner) {
      runner = runtime.workspace.runner(chosen.flow, chosen.source, {
        // Synchronous: the reply is in the HTTP answer (read back from the transcript), so a question is delivered now.
        channel: { send: async () => undefined },
        onEvent: (event) => {
          if (event.type === 'error') log(`${runtime.bot}: a conversation failed: ${event.message}`);
          deps.onRunEvent?.(runtime.bot, event);
        },
      });
      runners.set(chosen.flow, runner);
    }
    return runner;
  };

  async function answeringFlow(runtime: BotRuntime): Promise<AnsweringFlow> {
    let chosen: AnsweringFlow | undefined;
    try {
      chosen = await runtime.answeringFlow('http');
    } catch (error) {
      log(`${runtime.bot}: the flow chosen for the HTTP chat cannot answer now (${messageOf(error)}): message kept unanswered`);
      throw new ChatUnavailableError('The bot cannot answer now. Try again later.');
    }
    if (!chosen) throw new ChatUnavailableError('The bot answers on no flow over HTTP: its owner has not chosen one.');
    return chosen;
  }

  async function handle(runtime: BotRuntime, customer: string, messageId: string, text: string): Promise<ChatAnswer> {
    const { bot, workspace } = runtime;
    const row = await store().message(bot, customer, messageId);
    if (!row) throw new Error(`message ${messageId} of ${customer} was not recorded`);
    if (row.text !== text) throw new MessageIdConflictError(`The messageId "${messageId}" was already used for another message of this customer.`);
    if (row.answer !== undefined) return JSON.parse(row.answer) as ChatAnswer;

    const chosen = await answeringFlow(runtime);
    const runner = runnerFor(runtime, chosen);
    const conversations = workspace.store;
    const meta = { sentAt: row.receivedAt };
    const contact = { id: customer };
    const opening = { opening: { text, at: row.receivedAt } };
    let conversationId: string;
    let mark: number;
    let failed = false;
    const finish = async (replies: string[], status: ChatStatus): Promise<ChatAnswer> => {
      const answer: ChatAnswer = { messageId, conversationId, replies, status };
      await store().finish(bot, customer, messageId, JSON.stringify(answer), clock.now());
      return answer;
    };
    if (row.conversationId !== undefined) {
      // Recovery: processing began before a crash.
      conversationId = row.conversationId;
      mark = row.transcriptMark ?? -1;
    } else {
      const current = await currentConversation(runtime, customer, chosen.flow.id);
      if (current?.state.status === 'handoff') {
        // A human has this conversation: the message is kept for them, the bot stays silent.
        conversationId = current.id;
        await conversations.addCustomerMessage(current.id, text, row.receivedAt);
        return finish([], 'handed_off');
      }
      if (!current || FINISHED.has(current.state.status)) {
        conversationId = randomUUID();
        mark = -1;
        await store().setConversation(bot, customer, conversationId, chosen.flow.id, clock.now());
      } else {
        conversationId = current.id;
        mark = (await conversations.transcript(current.id, 1))[0]?.id ?? 0;
      }
      await store().begin(bot, customer, messageId, conversationId, mark);
    }
    try {
      const record = await conversations.getConversation(conversationId);
      if (!record) await runner.start(contact, conversationId, opening);
      else if (mark === -1 || (await conversations.transcript(conversationId, REPLIES_WINDOW)).some((e) => e.role === 'customer' && e.id > mark)) await runner.resume(conversationId, { text, meta });
      else await runner.receive(conversationId, text, meta);
    } catch (error) {
      // The detail is the owner's (the log); the customer hears only that something went wrong.
      log(`${bot}: the conversation of ${customer} failed: ${messageOf(error)}`);
      failed = true;
    }
    const replies = (await conversations.transcript(conversationId, REPLIES_WINDOW))
      .filter((e) => e.role === 'bot' && e.id > mark)
      .map((e) => e.text);
    if (failed) replies.push(customerTexts(workspace.config.language, overridesFor(workspace.config.customerTexts, workspace.config.language)).failure);
    const state = (await conversations.getConversation(conversationId))?.state;
    return finish(replies, failed || !state ? 'failed' : chatStatus(state));
  }

  async function currentConversation(runtime: BotRuntime, customer: string, flowId: string) {
    const row = await store().customer(runtime.bot, customer);
    if (!row?.conversationId) return undefined;
    const record = await runtime.workspace.store.getConversation(row.conversationId);
    // The owner chose another flow for HTTP: the customer's next message starts a conversation of it.
    if (record && record.state.status !== 'handoff' && row.flowId !== flowId) return undefined;
    return record;
  }

  return {
    send(runtime, customer, message) {
      const messageId = message.messageId ?? randomUUID();
      // Persisted before it waits for the customer's earlier messages: it arrived now (its sentAt).
      const recorded = Promise.resolve(store().record(runtime.bot, customer, { messageId, text: message.text, receivedAt: clock.now() }));
      recorded.catch(() => undefined); // its failure is the work's (below), not an unhandled rejection
      const key = `${runtime.bot}\u0000${customer}`;
      // Queued at once (the order messages arrived in); handled once the record is stored.
      const work = async () => {
        await recorded;
        return handle(runtime, customer, messageId, message.text);
      };
      // The local chain first (idle() waits on it), the instances' order inside it.
      return onChain(key, () => (deps.order ? deps.order.run(`http-chat\u0000${key}`, work) : work()));
    },
    async conversation(runtime, customer, limit = 200) {
      const conversationId = (await store().customer(runtime.bot, customer))?.conversationId;
      const record = conversationId ? await runtime.workspace.store.getConversation(conversationId) : undefined;
      if (!conversationId || !record) return undefined;
      const transcript = (await runtime.workspace.store.transcript(conversationId, limit)).map(({ role, text, at }) => ({ role, text, at }));
      return { conversationId, status: chatStatus(record.state), transcript };
    },
    async idle() {
      while (chains.size > 0) await Promise.all([...chains.values()]);
    },
  };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
