// The WhatsApp screen's handlers: one WhatsApp service (app/whatsapp-service.ts) per bot, built
// when the owner presses Connect for the active bot, from that bot's workspace (its MCP servers
// and approvals, the same SQLite store), the keychain, the WhatsApp settings and the flows.
//
// - Nothing connects on its own: a studio start never opens a WhatsApp connection; a stored
//   session is resumed (no new QR code) when the owner presses Connect.
// - Connect builds the service afresh when it is not running (stopped, logged out, replaced),
//   so it picks up the current workspace settings and the flows as saved now. The previous
//   service is stopped and drained first: a message is never handled by two services.
// - Conversations are read straight from the stores (flowbot.db), whether connected or not.
import type { ApiHandlers } from '../api/dispatcher';
import { ApiCallError } from '../shared/api-contract';
import type { WaConnectionState, WaConversation, WaStatus, whatsappMethods } from '../shared/api/whatsapp';
import type { FlowRepository } from '../adapters/flow-files/flow-repository';
import type { WhatsAppSettingsStore } from '../adapters/settings/whatsapp-settings';
import type { SocketFactory } from '../adapters/whatsapp/socket';
import type { BackoffOptions } from '../adapters/whatsapp/reconnect-policy';
import type { ChannelEvent } from '../adapters/whatsapp/whatsapp-channel';
import { openWhatsAppStore, type CustomerRow, type WhatsAppStore } from '../adapters/whatsapp/whatsapp-store';
import { openStore, type SqliteStore } from '../adapters/store/sqlite-store';
import type { SecretsPort } from '../runtime/ports';
import type { EventHub } from './event-hub';
import { runBlockers } from './live-catalog';
import { createWhatsAppService, type WhatsAppService } from './whatsapp-service';
import type { Workspace } from './workspace';

export type WhatsAppHandlers = Pick<ApiHandlers, keyof typeof whatsappMethods>;

export interface StudioWhatsAppDeps {
  dataDir: string;
  activeBot: () => string;
  /** The active bot's workspace (StudioMcpPort.workspace); without it Connect is refused, saying why. */
  workspace?: () => Promise<Workspace>;
  secrets: SecretsPort;
  settings: WhatsAppSettingsStore;
  flows: FlowRepository;
  socketFactory: SocketFactory;
  events: EventHub;
  backoff?: BackoffOptions;
  /** How long Connect with a phone number waits for WhatsApp to be ready for a pairing code (default 30 s). */
  pairingWaitMs?: number;
  log: (message: string, error?: unknown) => void;
}

export interface StudioWhatsApp {
  handlers: WhatsAppHandlers;
  close(): Promise<void>;
}

interface Running {
  service: WhatsAppService;
  pairingCode?: string;
  /** Called on every channel status change (waiters for a state). */
  listeners: Set<() => void>;
  /** Why the chosen flow did not answer the last message (empty or absent: it answers). */
  flowProblems?: string[];
}

/** States in which the connection is alive or being made: Connect leaves these alone. */
const ACTIVE: ReadonlySet<WaConnectionState> = new Set(['connecting', 'pairing', 'open', 'reconnecting']);
const FINISHED = new Set(['ended', 'failed', 'handoff']);

export function createStudioWhatsApp(deps: StudioWhatsAppDeps): StudioWhatsApp {
  const running = new Map<string, Running>();
  let waStore: WhatsAppStore | undefined;
  let conversations: SqliteStore | undefined;
  // Opened on first use, so a studio whose folder cannot hold a database still edits flows.
  const store = () => (waStore ??= openWhatsAppStore(deps.dataDir));
  const conversationStore = () => (conversations ??= openStore(deps.dataDir));

  const status = (bot: string): WaStatus => {
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
      linked: store().authCount(bot) > 0,
      ...(settings.flowId ? { flowId: settings.flowId } : {}),
      paused: settings.paused,
      groupsEnabled: settings.groupsEnabled,
      ...(entry?.flowProblems?.length ? { flowProblems: entry.flowProblems } : {}),
    };
  };

  const emitStatus = (bot: string) => {
    try {
      deps.events.emit({ event: 'whatsapp.status', payload: status(bot) });
    } catch (error) {
      deps.log(`WhatsApp status of ${bot} could not be reported:`, error);
    }
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

  const loadFlow = async (flowId: string) => {
    const entry = await deps.flows.read(flowId);
    if (!entry) throw new Error(`the flow "${flowId}" that answers on WhatsApp does not exist (any more)`);
    if (entry.kind === 'broken') throw new Error(`the flow "${flowId}" that answers on WhatsApp is not a valid flow file: ${entry.problems[0]?.message ?? 'it does not parse'}`);
    return { flow: entry.flow, source: entry.file };
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
    const workspace = await deps.workspace();
    const raw = store();
    const entry: Running = { listeners: new Set(), service: undefined as unknown as WhatsAppService };
    // Every handled customer message (answered, paused, kept for a human) changes what the screen shows.
    const watched: WhatsAppStore = {
      ...raw,
      markHandled: (...args) => {
        raw.markHandled(...args);
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
      loadFlow,
      // Checked before every message, like the simulator before a run: a flow that stopped being
      // valid (a tool changed since approval) does not answer, and the owner sees why.
      flowBlockers: (flow) => runBlockers(flow, workspace),
      onFlowBlockers: (problems) => {
        if (JSON.stringify(problems) === JSON.stringify(entry.flowProblems ?? [])) return;
        entry.flowProblems = problems;
        if (running.get(bot) === entry) emitStatus(bot);
      },
      ...(deps.backoff ? { backoff: deps.backoff } : {}),
      onChannelEvent: (event) => onChannelEvent(bot, entry, event),
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

  const customerOut = (row: CustomerRow, messages: number): WaConversation => {
    const conversation = row.conversationId ? conversationStore().getConversation(row.conversationId) : undefined;
    return {
      jid: row.jid,
      ...(row.name ? { name: row.name } : {}),
      // The number, also for a customer kept under their LID (when WhatsApp told it).
      ...(row.phone ? { phone: row.phone } : {}),
      ...(row.flowId ? { flowId: row.flowId } : {}),
      ...(conversation ? { status: conversation.state.status } : {}),
      takenOver: row.takenOver,
      updatedAt: row.updatedAt,
      transcript: row.conversationId ? conversationStore().transcript(row.conversationId, messages) : [],
    };
  };

  const customerOf = (bot: string, jid: string): CustomerRow => {
    const row = store().customer(bot, jid);
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
    if (event.event === 'bots.changed') {
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

  const handlers: WhatsAppHandlers = {
    'whatsapp.status': () => status(deps.activeBot()),

    'whatsapp.connect': async ({ phoneNumber }) => {
      const bot = deps.activeBot();
      const entry = await serial(bot, async () => {
        const current = running.get(bot);
        if (current && ACTIVE.has(current.service.status())) return current;
        await retire(bot);
        const fresh = await build(bot);
        running.set(bot, fresh);
        await fresh.service.start();
        return fresh;
      });
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
        const problems = deps.workspace ? await runBlockers(entry.flow, await deps.workspace()) : [];
        if (problems.length > 0) {
          const listed = problems.map((p) => `• ${p}`).join('\n');
          throw new ApiCallError('CONFLICT', `“${entry.flow.name}” cannot answer on WhatsApp until ${problems.length === 1 ? 'this is fixed' : `these ${problems.length} problems are fixed`}:\n${listed}`);
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

    'whatsapp.conversations': ({ limit, messages }) => {
      const bot = deps.activeBot();
      return { conversations: store().customers(bot, limit).map((row) => customerOut(row, messages)) };
    },

    'whatsapp.takeOver': ({ jid }) => {
      const bot = deps.activeBot();
      customerOf(bot, jid);
      store().setTakenOver(bot, jid, true, Date.now());
      deps.events.emit({ event: 'whatsapp.activity', payload: { bot } });
      return customerOut(customerOf(bot, jid), 50);
    },

    'whatsapp.release': ({ jid }) => {
      const bot = deps.activeBot();
      const row = customerOf(bot, jid);
      store().setTakenOver(bot, jid, false, Date.now());
      // As the service's release: a conversation a handoff step finished is over; the next message starts afresh.
      const state = row.conversationId ? conversationStore().getConversation(row.conversationId)?.state.status : undefined;
      if (state && FINISHED.has(state)) store().clearConversation(bot, jid, Date.now());
      deps.events.emit({ event: 'whatsapp.activity', payload: { bot } });
      return customerOut(customerOf(bot, jid), 50);
    },

    // The pace is read by the channel before every send: nothing to restart.
    'whatsapp.pacing': () => deps.settings.get(deps.activeBot()).pacing,
    'whatsapp.setPacing': (pacing) => deps.settings.update(deps.activeBot(), { pacing }).pacing,
  };

  return {
    handlers,
    async close() {
      offEvents();
      await Promise.all([...running.keys()].map((bot) => retire(bot).catch((error: unknown) => deps.log(`Stopping WhatsApp of ${bot} failed:`, error))));
      waStore?.close();
      conversations?.close();
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
    'whatsapp.conversations': refuse,
    'whatsapp.takeOver': refuse,
    'whatsapp.release': refuse,
    'whatsapp.pacing': refuse,
    'whatsapp.setPacing': refuse,
  };
}
