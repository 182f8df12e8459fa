// The WhatsApp screen's handlers: one WhatsApp service (app/whatsapp-service.ts) per bot, built
// when the owner presses Connect for the active bot, from that bot's workspace (its MCP servers
// and approvals, the same SQLite store), the keychain, the WhatsApp settings and the flows.
//
// - Nothing connects on its own: a studio start never opens a WhatsApp connection; a stored
//   session is resumed (no new QR code) when the owner presses Connect. `flowbot serve` resumes
//   the linked sessions of the bots it runs at its start (resumeLinked), on their own workspaces
//   (deps.workspace(bot)), and they keep running when the owner switches bots (followActiveBot).
// - Connect builds the service afresh when it is not running (stopped, logged out, replaced),
//   so it picks up the current workspace settings and the flows as saved now. The previous
//   service is stopped and drained first: a message is never handled by two services.
// - Conversations are read straight from the stores (flowbot.db), whether connected or not.
import type { ApiHandlers } from '../api/dispatcher';
import { ApiCallError } from '../shared/api-contract';
import type { WaConnectionState, WaConversation, WaStatus, whatsappMethods } from '../shared/api/whatsapp';
import type { RunBlocker } from '../shared/run-blocker';
import type { FlowRepository } from '../adapters/flow-files/flow-repository';
import type { WhatsAppSettingsStore } from '../adapters/settings/whatsapp-settings';
import type { SocketFactory } from '../adapters/whatsapp/socket';
import type { BackoffOptions } from '../adapters/whatsapp/reconnect-policy';
import type { ChannelEvent } from '../adapters/whatsapp/whatsapp-channel';
import type { CustomerRow, WhatsAppStore } from '../adapters/whatsapp/whatsapp-store';
import type { StorePort } from '../runtime/ports';
import { sqliteStorage, type Storage } from './storage';
import type { SecretsPort } from '../runtime/ports';
import type { EventHub } from './event-hub';
import { answeringBlockers, FlowCannotAnswerError, loadAnsweringFlow } from './answering-flow';
import { createWhatsAppService, type WhatsAppService } from './whatsapp-service';
import { isTakenOver, release, takeOver, waitingFirst } from './whatsapp-takeover';
import type { Workspace } from './workspace';

export type WhatsAppHandlers = Pick<ApiHandlers, keyof typeof whatsappMethods>;

export interface StudioWhatsAppDeps {
  dataDir: string;
  /** Where the WhatsApp and conversation tables are (default: the data folder's flowbot.db). */
  storage?: Storage;
  activeBot: () => string;
  /**
   * The bot's workspace (the studio: StudioMcpPort.workspace of the active bot; `flowbot serve`:
   * its bot runtimes); without it Connect is refused, saying why.
   */
  workspace?: (bot: string) => Promise<Workspace>;
  /**
   * true (the studio, default): only the active bot's service runs; switching bots stops the
   * others. false (`flowbot serve`): every bot's service keeps running.
   */
  followActiveBot?: boolean;
  secrets: SecretsPort;
  settings: WhatsAppSettingsStore;
  flows: FlowRepository;
  socketFactory: SocketFactory;
  events: EventHub;
  backoff?: BackoffOptions;
  /** How long Connect with a phone number waits for WhatsApp to be ready for a pairing code (default 30 s). */
  pairingWaitMs?: number;
  log: (message: string, error?: unknown) => void;
  /** Several `flowbot serve` instances: the bot's sends pass this fence (does this instance still hold the bot?). */
  fence?: (bot: string) => { holds(): Promise<boolean> };
}

export interface StudioWhatsApp {
  handlers: WhatsAppHandlers;
  /**
   * Connects each of these bots that is linked to WhatsApp (a stored session: no QR code) and
   * not running yet; a bot that cannot start is logged and reported, the others still start.
   */
  resumeLinked(bots: readonly string[]): Promise<{ bot: string; error?: unknown }[]>;
  /** Stops the bot's connection (its session stays stored) once what it handles is done: another instance took it over. */
  stopBot(bot: string): Promise<void>;
  close(): Promise<void>;
}

interface Running {
  service: WhatsAppService;
  pairingCode?: string;
  /** Called on every channel status change (waiters for a state). */
  listeners: Set<() => void>;
  /** Why the chosen flow did not answer the last message (empty or absent: it answers). */
  flowProblems?: RunBlocker[];
}

/** Connect on a `flowbot serve` instance that does not hold the bot's lease (the studio: common.json ownerTexts.scaleout.heldElsewhere). */
export const HELD_ELSEWHERE = 'Another flowbot serve instance holds this bot’s WhatsApp connection: connect there ("flowbot serve status" shows which), or wait until it stops and this instance takes the bot over.';

/** States in which the connection is alive or being made: Connect leaves these alone. */
const ACTIVE: ReadonlySet<WaConnectionState> = new Set(['connecting', 'pairing', 'open', 'reconnecting']);

export function createStudioWhatsApp(deps: StudioWhatsAppDeps): StudioWhatsApp {
  const running = new Map<string, Running>();
  let waStore: WhatsAppStore | undefined;
  let conversations: StorePort | undefined;
  const storage = deps.storage ?? sqliteStorage(deps.dataDir);
  // Opened on first use, so a studio whose folder cannot hold a database still edits flows.
  const store = () => (waStore ??= storage.whatsapp());
  const conversationStore = () => (conversations ??= storage.conversations());

  const status = async (bot: string): Promise<WaStatus> => {
    const entry = running.get(bot);
    const snap = entry?.service.channel.snapshot() ?? { status: 'stopped' as const };
    const settings = deps.settings.get(bot);
    const pairing = snap.status === 'pairing' || snap.status === 'connecting';
    return {
      bot,
      state: snap.status,
      ...(snap.detail ? { detail: snap.detail } : {}),
      ...(snap.qr ? { qrDataUrl: snap.qr.dataUrl } : {}),
      ...(pairing && entry?.pairingCode ? { pairingCode: entry.pairingCode } : {}),
      linked: (await store().authCount(bot)) > 0,
      ...(settings.flowId ? { flowId: settings.flowId } : {}),
      paused: settings.paused,
      groupsEnabled: settings.groupsEnabled,
      ...(entry?.flowProblems?.length ? { flowProblems: entry.flowProblems } : {}),
      ownerTakeoverMinutes: settings.ownerTakeoverMinutes,
      ...(settings.notifyOwnerNumber ? { notifyOwnerNumber: settings.notifyOwnerNumber } : {}),
    };
  };

  const emitStatus = (bot: string) => {
    status(bot).then(
      (payload) => deps.events.emit({ event: 'whatsapp.status', payload }),
      (error: unknown) => deps.log(`WhatsApp status of ${bot} could not be reported:`, error),
    );
  };

  const onChannelEvent = (bot: string, entry: Running, event: ChannelEvent) => {
    if (event.type === 'log') return deps.log(`[whatsapp ${bot}] ${event.message}`);
    if (event.type === 'ignored') return;
    if (event.type === 'pairing_code') entry.pairingCode = event.code;
    if (event.type === 'status' && !(event.status === 'pairing' || event.status === 'connecting')) delete entry.pairingCode;
    for (const listener of [...entry.listeners]) listener();
    // The entry of a replaced service says nothing about the bot any more.
    if (running.get(bot) === entry) emitStatus(bot);
  };

  /** Stops a bot's service and waits until what it was handling is done. */
  const retire = async (bot: string) => {
    const entry = running.get(bot);
    if (!entry) return;
    running.delete(bot);
    await entry.service.stop();
    await entry.service.idle();
  };

  const build = async (bot: string): Promise<Running> => {
    if (!deps.workspace) throw new ApiCallError('CONFLICT', 'WhatsApp is not available here: this studio runs without the bot’s workspace.');
    const workspace = await deps.workspace(bot);
    const raw = store();
    const entry: Running = { listeners: new Set(), service: undefined as unknown as WhatsAppService };
    // Every handled customer message (answered, paused, kept for a human) changes what the screen shows.
    const watched: WhatsAppStore = {
      ...raw,
      markHandled: async (...args) => {
        await raw.markHandled(...args);
        deps.events.emit({ event: 'whatsapp.activity', payload: { bot } });
      },
      // The owner took a chat over from their phone (or its time ran out), or answered one that waited: the screen shows it.
      setTakenOver: async (...args) => {
        await raw.setTakenOver(...args);
        deps.events.emit({ event: 'whatsapp.activity', payload: { bot } });
      },
      setWaiting: async (...args) => {
        await raw.setWaiting(...args);
        deps.events.emit({ event: 'whatsapp.activity', payload: { bot } });
      },
    };
    entry.service = createWhatsAppService({
      bot,
      workspace,
      store: watched,
      secrets: deps.secrets,
      socketFactory: deps.socketFactory,
      settings: () => deps.settings.get(bot),
      loadFlow: (flowId) => loadAnsweringFlow(deps.flows, flowId, 'whatsapp'),
      // Checked before every message, like the simulator before a run: a flow that stopped being
      // valid (a tool changed since approval) does not answer, and the owner sees why.
      flowBlockers: (flow) => answeringBlockers(flow, workspace),
      onFlowBlockers: (problems) => {
        if (JSON.stringify(problems) === JSON.stringify(entry.flowProblems ?? [])) return;
        entry.flowProblems = problems;
        if (running.get(bot) === entry) emitStatus(bot);
      },
      ...(deps.backoff ? { backoff: deps.backoff } : {}),
      ...(deps.fence ? { fence: deps.fence(bot) } : {}),
      onChannelEvent: (event) => onChannelEvent(bot, entry, event),
      // The desktop app and the web host show it as a notification (the renderer, in the owner's language).
      onHandoff: (notice) => deps.events.emit({ event: 'whatsapp.handoff', payload: { bot, ...notice } }),
      log: (message) => deps.log(`[whatsapp ${bot}] ${message}`),
    });
    return entry;
  };

  const waitFor = (entry: Running, done: () => boolean, ms: number): Promise<boolean> =>
    new Promise((resolve) => {
      if (done()) return resolve(true);
      const check = () => {
        if (!done()) return;
        finish(true);
      };
      const timer = setTimeout(() => finish(false), ms);
      const finish = (ok: boolean) => {
        clearTimeout(timer);
        entry.listeners.delete(check);
        resolve(ok);
      };
      entry.listeners.add(check);
    });

  const customerOut = async (row: CustomerRow, messages: number): Promise<WaConversation> => {
    const takenOver = isTakenOver(row, Date.now());
    const conversation = row.conversationId ? await conversationStore().getConversation(row.conversationId) : undefined;
    return {
      jid: row.jid,
      ...(row.name ? { name: row.name } : {}),
      // The number, also for a customer kept under their LID (when WhatsApp told it).
      ...(row.phone ? { phone: row.phone } : {}),
      ...(row.flowId ? { flowId: row.flowId } : {}),
      ...(conversation ? { status: conversation.state.status } : {}),
      takenOver,
      ...(takenOver && row.takenOverUntil !== undefined ? { takenOverUntil: row.takenOverUntil } : {}),
      ...(takenOver && row.waitingSince !== undefined ? { waitingSince: row.waitingSince } : {}),
      updatedAt: row.updatedAt,
      transcript: row.conversationId ? await conversationStore().transcript(row.conversationId, messages) : [],
    };
  };

  const customerOf = async (bot: string, jid: string): Promise<CustomerRow> => {
    const row = await store().customer(bot, jid);
    if (!row) throw new ApiCallError('NOT_FOUND', `There is no WhatsApp conversation with ${jid} for the bot "${bot}".`);
    return row;
  };

  /** Connect, disconnect, logout and restarts of one bot run one after the other. */
  const queues = new Map<string, Promise<unknown>>();
  const serial = <T>(bot: string, work: () => Promise<T>): Promise<T> => {
    const next = (queues.get(bot) ?? Promise.resolve()).then(work, work);
    queues.set(bot, next.catch(() => undefined));
    return next;
  };

  // The workspace a service runs on is closed when the owner switches bots (only the active bot's
  // servers run) or changes the bot's settings (a new workspace replaces it): follow both.
  const offEvents = deps.events.on((event) => {
    if (event.event === 'bots.changed' && deps.followActiveBot !== false) {
      for (const bot of [...running.keys()]) {
        if (bot === event.payload.activeBot) continue;
        void serial(bot, () => retire(bot)).then(
          () => deps.log(`[whatsapp ${bot}] stopped: another bot is active now (press Connect on its WhatsApp screen to start it again)`),
          (error: unknown) => deps.log(`Stopping WhatsApp of ${bot} failed:`, error),
        );
      }
    } else if (event.event === 'settings.changed') {
      const bot = event.payload.bot;
      const entry = running.get(bot);
      if (!entry || !ACTIVE.has(entry.service.status())) return;
      void serial(bot, async () => {
        await retire(bot);
        const fresh = await build(bot);
        running.set(bot, fresh);
        await fresh.service.start();
      }).catch((error: unknown) => {
        deps.log(`[whatsapp ${bot}] could not restart after the settings changed:`, error);
        emitStatus(bot);
      });
    }
  });

  /** Starts the bot's service unless it runs (or is connecting) already. */
  const connect = (bot: string): Promise<Running> =>
    serial(bot, async () => {
      const current = running.get(bot);
      if (current && ACTIVE.has(current.service.status())) return current;
      await retire(bot);
      const fresh = await build(bot);
      running.set(bot, fresh);
      await fresh.service.start();
      return fresh;
    });

  const handlers: WhatsAppHandlers = {
    'whatsapp.status': () => status(deps.activeBot()),

    'whatsapp.connect': async ({ phoneNumber }) => {
      const bot = deps.activeBot();
      // Several instances: a second socket on the same session would throw the holder's off (WhatsApp keeps one).
      if (deps.fence && !(await deps.fence(bot).holds())) throw new ApiCallError('CONFLICT', HELD_ELSEWHERE, { key: 'scaleout.heldElsewhere' });
      const entry = await connect(bot);
      if (phoneNumber !== undefined) {
        const service = entry.service;
        if (service.status() === 'open') throw new ApiCallError('CONFLICT', 'This bot is already connected to WhatsApp: no pairing code is needed.');
        const ready = await waitFor(entry, () => service.status() === 'pairing', deps.pairingWaitMs ?? 30_000);
        if (!ready) {
          throw new ApiCallError('CONFLICT', `WhatsApp was not ready for a pairing code (the connection is ${service.status()}). Try again, or scan the QR code.`);
        }
        try {
          entry.pairingCode = await service.requestPairingCode(phoneNumber);
        } catch (error) {
          throw new ApiCallError('CONFLICT', `WhatsApp gave no pairing code: ${error instanceof Error ? error.message : String(error)}`);
        }
        emitStatus(bot);
      }
      return status(bot);
    },

    'whatsapp.disconnect': async () => {
      const bot = deps.activeBot();
      await serial(bot, () => retire(bot));
      emitStatus(bot);
      return status(bot);
    },

    'whatsapp.logout': async () => {
      const bot = deps.activeBot();
      await serial(bot, async () => {
        let entry = running.get(bot);
        if (!entry) {
          // Not connected in this run: forget the stored session all the same.
          entry = await build(bot);
          running.set(bot, entry);
        }
        await entry.service.logout();
      });
      return status(bot);
    },

    'whatsapp.setFlow': async ({ flowId }) => {
      const bot = deps.activeBot();
      if (flowId !== null) {
        const entry = await deps.flows.read(flowId);
        if (!entry) throw new ApiCallError('NOT_FOUND', `There is no flow "${flowId}".`);
        if (entry.kind === 'broken') throw new ApiCallError('CONFLICT', `The file of "${flowId}" is not a valid flow (${entry.problems[0]?.message ?? 'it does not parse'}). Fix it first.`);
        // Checked like a simulation: against the workspace and what its servers offer now.
        const problems = deps.workspace ? await answeringBlockers(entry.flow, await deps.workspace(bot)) : [];
        if (problems.length > 0) {
          const refusal = new FlowCannotAnswerError(entry.flow.name, 'whatsapp', problems);
          throw new ApiCallError('CONFLICT', refusal.message, refusal.text, problems);
        }
      }
      const current = running.get(bot);
      if (current) delete current.flowProblems; // they were about the flow answering until now
      deps.settings.update(bot, { flowId: flowId ?? undefined });
      emitStatus(bot);
      return status(bot);
    },

    'whatsapp.setPaused': ({ paused }) => {
      const bot = deps.activeBot();
      deps.settings.update(bot, { paused });
      emitStatus(bot);
      return status(bot);
    },

    'whatsapp.setOwnerLoop': ({ ownerTakeoverMinutes, notifyOwnerNumber }) => {
      const bot = deps.activeBot();
      deps.settings.update(bot, { ownerTakeoverMinutes, notifyOwnerNumber: notifyOwnerNumber ?? undefined });
      emitStatus(bot);
      return status(bot);
    },

    'whatsapp.conversations': async ({ limit, messages }) => {
      const bot = deps.activeBot();
      const rows = await store().customers(bot, limit);
      return { conversations: waitingFirst(await Promise.all(rows.map((row) => customerOut(row, messages)))) };
    },

    'whatsapp.takeOver': async ({ jid }) => {
      const bot = deps.activeBot();
      await customerOf(bot, jid);
      await takeOver(store(), bot, jid, Date.now());
      deps.events.emit({ event: 'whatsapp.activity', payload: { bot } });
      return customerOut(await customerOf(bot, jid), 50);
    },

    'whatsapp.release': async ({ jid }) => {
      const bot = deps.activeBot();
      await customerOf(bot, jid);
      await release(store(), async (id) => (await conversationStore().getConversation(id))?.state.status, bot, jid, Date.now());
      deps.events.emit({ event: 'whatsapp.activity', payload: { bot } });
      return customerOut(await customerOf(bot, jid), 50);
    },

    // The pace is read by the channel before every send: nothing to restart.
    'whatsapp.pacing': () => deps.settings.get(deps.activeBot()).pacing,
    'whatsapp.setPacing': (pacing) => deps.settings.update(deps.activeBot(), { pacing }).pacing,
  };

  return {
    handlers,
    async resumeLinked(bots) {
      const counts = await Promise.all(bots.map((bot) => store().authCount(bot)));
      const linked = bots.filter((_, i) => (counts[i] ?? 0) > 0);
      return Promise.all(
        linked.map((bot) =>
          connect(bot).then(
            () => ({ bot }),
            (error: unknown) => {
              deps.log(`[whatsapp ${bot}] could not resume its WhatsApp session:`, error);
              emitStatus(bot);
              return { bot, error };
            },
          ),
        ),
      );
    },
    async stopBot(bot) {
      await serial(bot, () => retire(bot));
      emitStatus(bot);
    },
    async close() {
      offEvents();
      await Promise.all([...running.keys()].map((bot) => retire(bot).catch((error: unknown) => deps.log(`Stopping WhatsApp of ${bot} failed:`, error))));
      await waStore?.close();
      await conversations?.close();
      waStore = undefined;
      conversations = undefined;
    },
  };
}

/** For a studio built without WhatsApp (tests of other parts): every method refuses, saying why. */
export function whatsappUnavailable(): WhatsAppHandlers {
  const refuse = () => {
    throw new ApiCallError('CONFLICT', 'WhatsApp is not available in this studio.');
  };
  return {
    'whatsapp.status': refuse,
    'whatsapp.connect': refuse,
    'whatsapp.disconnect': refuse,
    'whatsapp.logout': refuse,
    'whatsapp.setFlow': refuse,
    'whatsapp.setPaused': refuse,
    'whatsapp.setOwnerLoop': refuse,
    'whatsapp.conversations': refuse,
    'whatsapp.takeOver': refuse,
    'whatsapp.release': refuse,
    'whatsapp.pacing': refuse,
    'whatsapp.setPacing': refuse,
  };
}
