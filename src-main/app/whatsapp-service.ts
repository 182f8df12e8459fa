// One bot's WhatsApp service: its channel (adapters/whatsapp) wired to the bot's workspace.
// Each customer (jid) has one current conversation of the chosen flow; a customer's messages
// are handled strictly in order (a chain per jid), different customers concurrently.
//
// Exactly once: the channel persists every message (keyed by its WhatsApp key) before this
// service sees it; a row is marked handled after the runner finished. Before the runner gets
// the message, the row records the conversation and its last transcript id ("mark"), so a
// restart after a crash can tell whether the message already reached the conversation (then
// the runner only resumes: delivers what was not delivered, re-issues a pending call) or not
// (then it is received now). Replies go through the channel's durable outbound queue.
//
// Confirmations: a reply is only queued here, so a customer can write before a question reaches
// them. The runner is told when a confirmation question was sent (onQuestionSent), on the
// customer's chain like their messages; each message carries WhatsApp's timestamp (sentAt) and,
// in a group, its participant, and the engine decides whether it can answer the question.
//
// Hand-off: a customer "taken over" by a human (the owner, or a flow's handoff step) gets no
// bot replies until released; their messages are still kept in the transcript. The owner
// answering from their own phone takes the chat over for a while; a customer starting to wait
// for a human is told to the owner (onHandoff, and a WhatsApp message to notifyOwnerNumber).
// The rules: whatsapp-takeover.ts.
//
// Opening hours (workspace config `openingHours`, awayMessage on): outside them a customer's
// message is kept and answered with the `away` text (at most once per customer every
// AWAY_REPEAT_MS) instead of the flow.
import { randomUUID } from 'node:crypto';
import type { Flow } from '../shared/flow';
import type { RunBlocker } from '../shared/run-blocker';
import type { RunEvent } from '../shared/run-event';
import { customerTexts, overridesFor, type CustomerTexts } from '../shared/customer-texts';
import type { ConversationRunner } from '../runtime/conversation-runner';
import type { Clock, SecretsPort, TranscriptEntry } from '../runtime/ports';
import { DEFAULT_PACING, type WhatsAppSettings } from '../adapters/settings/whatsapp-settings';
import type { PacingLimits } from '../adapters/whatsapp/send-pacer';
import { WhatsAppChannel, type ChannelEvent, type ChannelStatus } from '../adapters/whatsapp/whatsapp-channel';
import type { SocketFactory } from '../adapters/whatsapp/socket';
import type { BackoffOptions } from '../adapters/whatsapp/reconnect-policy';
import type { CustomerRow, InboundRow, WhatsAppStore } from '../adapters/whatsapp/whatsapp-store';
import type { Workspace } from './workspace';
import { isOpen } from '../core/opening-hours';
import { ownerNotification } from '../shared/owner-whatsapp-texts';
import type { OwnMessage } from '../adapters/whatsapp/owner-message';
import { FINISHED_STATES, isTakenOver, ownerAnswered, release, takeOver, takeoverExpired } from './whatsapp-takeover';

/** A customer began to wait for a human: the flow handed over, or they wrote while a human has the chat. */
export interface HandoffNotice {
  jid: string;
  name?: string;
  reason: 'handoff' | 'waiting';
  /** The customer's last message. */
  text: string;
  /** The notice in the bot's language (shared/owner-whatsapp-texts.ts): what the owner's WhatsApp and the desktop notification say. */
  message: string;
  at: number;
}

/** The away text is not repeated to a customer within this time (however many messages they send while closed). */
export const AWAY_REPEAT_MS = 4 * 60 * 60_000;

export interface WhatsAppServiceDeps {
  bot: string;
  workspace: Pick<Workspace, 'runner' | 'store' | 'config'>;
  store: WhatsAppStore;
  secrets: SecretsPort;
  socketFactory: SocketFactory;
  /** Read on every message: flow choice, pause and groups take effect at once. */
  settings: () => WhatsAppSettings;
  loadFlow: (flowId: string) => Promise<{ flow: Flow; source: string }>;
  /** Why a flow may not answer now (checked before every message); none: it answers. */
  flowBlockers?: (flow: Flow) => Promise<RunBlocker[]>;
  /** The outcome of that check for the owner's screen ([] once it answers again). */
  onFlowBlockers?: (problems: RunBlocker[]) => void;
  clock?: Clock;
  backoff?: BackoffOptions;
  /** How long connecting may take before the channel reports it failed (default 60 s). */
  connectTimeoutMs?: number;
  onChannelEvent?: (event: ChannelEvent) => void;
  onRunEvent?: (event: RunEvent) => void;
  /** A customer began to wait for a human (the studio turns it into a desktop notification). */
  onHandoff?: (notice: HandoffNotice) => void;
  log?: (message: string) => void;
  /** Several instances: sends pass this fence (whatsapp-channel.ts). */
  fence?: { holds(): Promise<boolean> };
}

export interface CustomerSummary extends CustomerRow {
  status?: string;
}

export interface WhatsAppService {
  readonly channel: WhatsAppChannel;
  /** Handles what a crash left unhandled, then connects. */
  start(): Promise<void>;
  stop(): Promise<void>;
  logout(): Promise<void>;
  requestPairingCode(phone: string): Promise<string>;
  status(): ChannelStatus;
  customers(limit?: number): Promise<CustomerSummary[]>;
  transcript(jid: string, limit?: number): Promise<TranscriptEntry[]>;
  takeOver(jid: string): Promise<void>;
  release(jid: string): Promise<void>;
  /** Resolves when every received message is handled and every reply that can be sent is sent. */
  idle(): Promise<void>;
}

export function createWhatsAppService(deps: WhatsAppServiceDeps): WhatsAppService {
  const { bot, store, workspace } = deps;
  const clock = deps.clock ?? { now: () => Date.now() };
  const log = deps.log ?? ((message: string) => console.error(`[whatsapp ${bot}] ${message}`));
  const chains = new Map<string, Promise<void>>();
  const jidOf = new Map<string, string>();
  const runners = new Map<string, Promise<{ runner: ConversationRunner; flow: Flow }>>();

  const channel: WhatsAppChannel = new WhatsAppChannel({
    bot,
    store,
    secrets: deps.secrets,
    socketFactory: deps.socketFactory,
    clock,
    groupsEnabled: () => deps.settings().groupsEnabled,
    pacing: () => pacingOf(deps.settings),
    onInbound: (row) => schedule(row),
    onOwnerMessage: (own) => onChain(own.jid, `the owner's message to ${own.jid}`, async () => ownerWrote(own)),
    onQuestionSent: (sent) => onChain(sent.jid, `the delivery of a question to ${sent.jid}`, () => questionDelivered(sent)),
    ...(deps.onChannelEvent ? { onEvent: deps.onChannelEvent } : {}),
    ...(deps.backoff ? { backoff: deps.backoff } : {}),
    ...(deps.connectTimeoutMs !== undefined ? { connectTimeoutMs: deps.connectTimeoutMs } : {}),
    ...(deps.fence ? { fence: deps.fence } : {}),
  });

  const runnerFor = (flowId: string): Promise<{ runner: ConversationRunner; flow: Flow }> => {
    let runner = runners.get(flowId);
    if (!runner) {
      runner = deps.loadFlow(flowId).then(({ flow, source }) => ({
        flow,
        runner: workspace.runner(flow, source, {
          channel: {
            send: async (conversationId, text, question) => {
              const jid = jidOf.get(conversationId);
              if (!jid) throw new Error(`no WhatsApp customer for conversation ${conversationId}`);
              await channel.enqueue(jid, text, question !== undefined ? { conversationId, question } : undefined);
              return 'queued';
            },
          },
          onEvent: (event) => {
            // The customer was told only the polite failure text; why it failed is the owner's to read.
            if (event.type === 'error') log(`the conversation with ${jidOf.get(event.conversationId ?? '') ?? 'a customer'} failed: ${event.message}`);
            // A flow's handoff step: a human takes over from here.
            if (event.type === 'end' && event.status === 'handoff') {
              const jid = jidOf.get(event.conversationId);
              // Awaited by the message being handled (handle), so the customer's next message finds the chat taken over.
              if (jid) handoffs.add(handOff(jid, event.conversationId).catch((err: unknown) => log(`the hand-off of ${jid} failed: ${messageOf(err)}`)));
            }
            deps.onRunEvent?.(event);
          },
        }),
      }));
      runner.catch(() => runners.delete(flowId));
      runners.set(flowId, runner);
    }
    return runner;
  };

  /** Message keys scheduled and not finished: a restart of the channel must not queue them twice. */
  const scheduled = new Set<string>();

  function schedule(row: InboundRow): void {
    if (scheduled.has(row.messageKey)) return;
    scheduled.add(row.messageKey);
    onChain(row.jid, `message ${row.messageKey}`, () => handle(row).finally(() => scheduled.delete(row.messageKey)));
  }

  /**
   * Runs `work` after everything queued for this customer (strictly in order per customer). The
   * chain is the customer's key (their LID when known); what was queued under their phone number
   * before the two were known to be one person is waited for too.
   */
  function onChain(jid: string, what: string, work: () => Promise<void>): void {
    // Keys are looked up one at a time, so work joins its chain in the order it was scheduled.
    resolving = resolving.then(async () => {
      const key = await store.customerKey(bot, jid);
      const alias = await store.aliasOf(bot, key);
      const before = [chains.get(key), alias !== undefined ? chains.get(alias) : undefined].filter((p) => p !== undefined);
      const previous = before.length > 1 ? Promise.all(before) : (before[0] ?? Promise.resolve());
      const next = previous
        .then(work)
        .catch((err: unknown) => log(`${what} failed: ${messageOf(err)}`))
        .finally(() => {
          if (chains.get(key) === next) chains.delete(key);
        });
      chains.set(key, next);
    }).catch((err: unknown) => log(`${what} could not be queued: ${messageOf(err)}`));
  }
  let resolving: Promise<void> = Promise.resolve();
  /** Counts stop() calls: a start that was waiting for the store when one came does not connect. */
  let stops = 0;
  /** Hand-offs begun by a flow's step (run events are synchronous; the store is not). */
  const handoffs = new Set<Promise<void>>();
  const settleHandoffs = async () => {
    const begun = [...handoffs];
    handoffs.clear();
    await Promise.all(begun);
  };

  /** A flow's hand-off step ended the conversation: a human takes over, the owner is told. */
  async function handOff(jid: string, conversationId: string): Promise<void> {
    await takeOver(store, bot, jid, clock.now());
    await startWaiting(jid, 'handoff', await lastCustomerText(conversationId));
  }

  async function questionDelivered(sent: { jid: string; conversationId: string; question: number; at: number }): Promise<void> {
    const customer = await store.customer(bot, sent.jid);
    // The chat moved on to another conversation (or none): nothing waits for this question.
    if (customer?.conversationId !== sent.conversationId || !customer.flowId) return;
    const { runner } = await runnerFor(customer.flowId);
    await runner.questionDelivered(sent.conversationId, sent.question, sent.at);
  }

  const conversationStatus = async (conversationId: string): Promise<string | undefined> =>
    (await workspace.store.getConversation(conversationId))?.state.status;

  const lastTranscriptId = async (conversationId: string): Promise<number> => (await workspace.store.transcript(conversationId, 1))[0]?.id ?? 0;

  /** The owner answered from their phone: the bot steps back in that chat for a while. */
  async function ownerWrote(own: OwnMessage): Promise<void> {
    const minutes = deps.settings().ownerTakeoverMinutes;
    await ownerAnswered(store, bot, own.jid, Math.min(own.sentAt ?? clock.now(), clock.now()), minutes);
    log(`the owner answered ${own.jid} from their phone: the bot steps back there for ${minutes} minutes`);
  }

  const lastCustomerText = async (conversationId: string): Promise<string> =>
    (await workspace.store.transcript(conversationId, 50)).filter((e) => e.role === 'customer').at(-1)?.text ?? '';

  /** A customer begins to wait for a human: the owner is told (once per wait). */
  async function startWaiting(jid: string, reason: HandoffNotice['reason'], text: string): Promise<void> {
    const at = clock.now();
    await store.setWaiting(bot, jid, at);
    const customer = await store.customer(bot, jid);
    const name = customer?.name ?? /^(\d+)@/.exec(jid)?.[1] ?? jid;
    const message = ownerNotification(workspace.config.language, reason, { name, message: text });
    deps.onHandoff?.({ jid, ...(customer?.name ? { name: customer.name } : {}), reason, text, message, at });
    const number = deps.settings().notifyOwnerNumber?.replace(/[^0-9]/g, '');
    const ownerJid = number ? `${number}@s.whatsapp.net` : undefined;
    // Never about the owner's own chat (a note to self would notify itself).
    if (ownerJid && ownerJid !== jid) await channel.enqueue(ownerJid, message);
  }

  /** When the away text was last sent to each customer (this run). */
  const awaySentAt = new Map<string, number>();

  /** Outside the opening hours with the away message on: whether this message gets the away text instead of the flow. */
  function closedNow(now: number): boolean {
    const hours = workspace.config.openingHours;
    return hours?.awayMessage === 'on' && !isOpen(hours, now);
  }

  async function handle(row: InboundRow): Promise<void> {
    const done = async (outcome: string) => {
      await store.markHandled(bot, row.messageKey, outcome, clock.now());
    };
    const now = clock.now();
    let customer = await store.customer(bot, row.jid);
    if (customer?.conversationId) jidOf.set(customer.conversationId, row.jid);
    if (takeoverExpired(customer, now)) {
      await release(store, conversationStatus, bot, row.jid, now);
      customer = await store.customer(bot, row.jid);
      log(`the owner's time in the chat with ${row.jid} is over: the bot answers there again`);
    }
    const takenOver = isTakenOver(customer, now);
    // A human has the chat until released and nobody answered yet: the owner is told (an owner
    // answering from their phone sees the customer's messages there: no notice for those).
    if (takenOver && customer?.takenOverUntil === undefined && customer?.waitingSince === undefined) await startWaiting(row.jid, 'waiting', row.text);
    if (row.kind === 'unsupported') {
      // Silent while a human has the conversation or the bot is paused, like any other message.
      if (takenOver || deps.settings().paused) return done('unsupported, not answered');
      log(`customer ${row.jid} sent a message that is not text (${row.text}); answered that only text is read`);
      await channel.enqueue(row.jid, botTexts(workspace.config).textOnly);
      return done('unsupported');
    }
    const settings = deps.settings();
    if (takenOver || settings.paused) {
      // The bot stays silent; the message is kept in the transcript for the human.
      await keepUnanswered(row, customer);
      return done(takenOver ? 'taken_over' : 'paused');
    }
    if (closedNow(now)) {
      await keepUnanswered(row, customer);
      const last = awaySentAt.get(row.jid);
      if (last !== undefined && now - last < AWAY_REPEAT_MS) return done('closed, away already sent');
      awaySentAt.set(row.jid, now);
      await channel.enqueue(row.jid, botTexts(workspace.config).away);
      return done('closed, away sent');
    }
    if (!settings.flowId) {
      log(`no flow is chosen to answer on WhatsApp: message from ${row.jid} not answered`);
      return done('no_flow');
    }
    const blockers = await blockersOf(settings.flowId);
    if (blockers.length > 0) {
      log(`the flow "${settings.flowId}" cannot answer now (${blockers[0]!.message}): message from ${row.jid} kept, not answered`);
      await keepUnanswered(row, customer);
      return done('flow_invalid');
    }
    await channel.presence(row.jid, 'composing');
    try {
      const { runner } = await runnerFor(settings.flowId);
      await run(runner, row, customer, settings.flowId);
      await done('answered');
    } catch (err) {
      // The detail is the owner's (the log, the inbound row); the customer hears only that something went wrong.
      log(`conversation of ${row.jid} failed: ${messageOf(err)}`);
      await channel.enqueue(row.jid, botTexts(workspace.config).failure);
      await done(`failed: ${messageOf(err)}`.slice(0, 500));
    } finally {
      await settleHandoffs();
      await channel.presence(row.jid, 'paused');
    }
  }

  /** Why the flow may not answer now; a flow that cannot even be loaded is left to the runner's error. */
  async function blockersOf(flowId: string): Promise<RunBlocker[]> {
    if (!deps.flowBlockers) return [];
    let flow: Flow;
    try {
      flow = (await runnerFor(flowId)).flow;
    } catch {
      return [];
    }
    const problems = await deps.flowBlockers(flow);
    deps.onFlowBlockers?.(problems);
    return problems;
  }

  /**
   * A message the bot does not answer (taken over, paused, its flow invalid) still is the customer's next message:
   * a confirmation asked before it can no longer be answered by a later "yes". Such a
   * conversation is left behind; the customer's next answered message starts a fresh one.
   */
  async function keepUnanswered(row: InboundRow, customer: CustomerRow | undefined): Promise<void> {
    const record = customer?.conversationId ? await workspace.store.getConversation(customer.conversationId) : undefined;
    if (!record) return;
    await workspace.store.addCustomerMessage(record.id, row.text, clock.now());
    await workspace.store.expireConfirmations(record.id, clock.now());
    if (record.state.shownCalls.length > 0 || record.state.llmPending !== undefined) {
      log(`customer ${row.jid} wrote while a confirmation was open and the bot was silent: that question is closed, the next message starts afresh`);
      await store.clearConversation(bot, row.jid, clock.now());
    }
  }

  /**
   * A group participant as the conversation knows them: the address a question was asked under
   * when that is the same person (a LID and its phone number), else their key now (the LID when known).
   */
  async function participantOf(row: InboundRow, conversationId: string | undefined): Promise<string | undefined> {
    if (row.participant === undefined) return undefined;
    const key = await store.customerKey(bot, row.participant);
    const asked = conversationId ? (await workspace.store.getConversation(conversationId))?.state.lastFrom : undefined;
    return asked !== undefined && (await store.customerKey(bot, asked)) === key ? asked : key;
  }

  async function run(runner: ConversationRunner, row: InboundRow, customer: CustomerRow | undefined, flowId: string): Promise<void> {
    const contact = { id: row.jid, ...(row.pushName ? { name: row.pushName } : {}) };
    const participant = await participantOf(row, row.conversationId ?? customer?.conversationId);
    const from = participant !== undefined ? { from: participant } : {};
    // The message that opens a conversation is not an answer, but it is in the transcript.
    const opening = { ...from, opening: { text: row.text, at: row.receivedAt } };
    // When it was sent: WhatsApp's timestamp (the server's clock), but never later than when it
    // reached us (our clock, the one the question's delivery is measured with): a message that
    // arrived before the question went out can answer it whatever the two clocks say.
    // Undated (no timestamp, or stored before they were kept): it answers no question (0).
    const meta = { sentAt: row.sentAt !== undefined ? Math.min(row.sentAt, row.receivedAt) : 0, ...from };
    // Recovery: processing of this message began before a crash.
    if (row.conversationId) {
      jidOf.set(row.conversationId, row.jid);
      const record = await workspace.store.getConversation(row.conversationId);
      if (!record) {
        await runner.start(contact, row.conversationId, opening);
        return;
      }
      const reached =
        row.transcriptMark === -1 ||
        (await workspace.store.transcript(row.conversationId, 1_000)).some((e) => e.role === 'customer' && e.id > (row.transcriptMark ?? 0));
      // Reached the transcript: resume (which also handles it if the crash came before its step was committed).
      if (reached) await runner.resume(row.conversationId, { text: row.text, meta });
      else await runner.receive(row.conversationId, row.text, meta);
      return;
    }
    const current = customer?.conversationId && customer.flowId === flowId ? await workspace.store.getConversation(customer.conversationId) : undefined;
    if (!current || FINISHED_STATES.has(current.state.status)) {
      // A new conversation: the customer's first message opens the flow.
      const conversationId = randomUUID();
      jidOf.set(conversationId, row.jid);
      await store.setConversation(bot, row.jid, conversationId, flowId, row.pushName, clock.now());
      await store.beginInbound(bot, row.messageKey, conversationId, -1);
      await runner.start(contact, conversationId, opening);
      return;
    }
    await store.beginInbound(bot, row.messageKey, current.id, await lastTranscriptId(current.id));
    await runner.receive(current.id, row.text, meta);
  }

  return {
    channel,
    async start() {
      const stopsBefore = stops;
      const left = await store.unhandled(bot);
      // A stop while the store answered wins: nothing connects after it.
      if (stops !== stopsBefore) return;
      for (const row of left) schedule(row);
      await channel.start();
    },
    async stop() {
      stops++;
      await channel.stop();
      // Messages already being handled finish (and are marked handled) before the workspace closes.
      await resolving;
      await Promise.all([...chains.values()]);
    },
    logout: () => channel.logout(),
    requestPairingCode: (phone) => channel.requestPairingCode(phone),
    status: () => channel.status,
    async customers(limit = 50) {
      const rows = await store.customers(bot, limit);
      return Promise.all(
        rows.map(async (c) => {
          const status = c.conversationId ? await conversationStatus(c.conversationId) : undefined;
          return { ...c, ...(status ? { status } : {}) };
        }),
      );
    },
    async transcript(jid, limit = 200) {
      const conversationId = (await store.customer(bot, jid))?.conversationId;
      return conversationId ? workspace.store.transcript(conversationId, limit) : [];
    },
    takeOver: (jid) => takeOver(store, bot, jid, clock.now()),
    release: (jid) => release(store, conversationStatus, bot, jid, clock.now()),
    async idle() {
      for (;;) {
        await resolving;
        const pending = [...chains.values()];
        if (pending.length > 0) {
          await Promise.all(pending);
          continue;
        }
        await channel.flush();
        await channel.idle();
        // A message from the owner's phone is told apart from the bot's own, then queued on its chat's chain.
        await channel.ownMessagesChecked();
        // A question sent just now is reported on the chat's chain: wait for that too.
        if (chains.size === 0) break;
      }
    },
  };
}

/** The pace replies go out at (off: unpaced); settings that cannot be read keep the default pace, never none. */
function pacingOf(settings: () => WhatsAppSettings): PacingLimits | undefined {
  let pacing: WhatsAppSettings['pacing'] = DEFAULT_PACING;
  try {
    pacing = settings().pacing;
  } catch {
    // the message handler reports the unreadable settings file
  }
  return pacing.enabled ? pacing : undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The bot's own texts in its language, for replies given outside any flow (no flow chosen or loaded yet). */
function botTexts(config: Workspace['config']): CustomerTexts {
  return customerTexts(config.language, overridesFor(config.customerTexts, config.language));
}
