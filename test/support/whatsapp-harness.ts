// A bot's WhatsApp service on a real workspace (SQLite, the example CRM over MCP, the given
// keychain) with the scripted socket, answering with flows/order-status.flow.json.
import { resolve } from 'node:path';
import { openWorkspace, type Workspace } from '../../src-main/app/workspace';
import { createWhatsAppService, type HandoffNotice, type WhatsAppService } from '../../src-main/app/whatsapp-service';
import { loadFlowFile } from '../../src-main/app/load-flow';
import { openWhatsAppStore, type WhatsAppStoreSync } from '../../src-main/adapters/whatsapp/whatsapp-store';
import { createWhatsAppSettingsStore, DEFAULT_PACING, type PacingSettings, type WhatsAppSettingsStore } from '../../src-main/adapters/settings/whatsapp-settings';
import type { ChannelEvent } from '../../src-main/adapters/whatsapp/whatsapp-channel';
import type { Clock, SecretsPort } from '../../src-main/runtime/ports';
import type { SocketFactory } from '../../src-main/adapters/whatsapp/socket';
import { WorkspaceConfigSchema, type WorkspaceConfig } from '../../src-main/shared/workspace-config';
import type { Flow } from '../../src-main/shared/flow';
import { crmServer } from './crm-workspace';
import { scriptedSockets } from '../fixtures/scripted-wa-socket';

export const BOT = 'shop';
export const GREET = 'Hello! I can tell you where your order is.';
export const ASK = 'What is your order number? (for example A100)';
export const BYE = 'Anything else? Just write again.';
export const orderReply = (id: string, status: string) => `Order ${id} is ${status}.`;

export interface Harness {
  dataDir: string;
  workspace: Workspace;
  /** The SQLite WhatsApp store itself (synchronous). */
  store: WhatsAppStoreSync;
  settings: WhatsAppSettingsStore;
  sockets: ReturnType<typeof scriptedSockets>;
  events: ChannelEvent[];
  /** What the service told the owner (its log). */
  logs: string[];
  service: WhatsAppService;
  /** Everything the bot sent, per customer, over every socket, in order. */
  sentTo(jid: string): string[];
  close(): Promise<void>;
}

export async function loadShippedFlow(flowId: string) {
  const loaded = loadFlowFile(resolve('flows', `${flowId}.flow.json`));
  if (!loaded.flow) throw new Error(`flow ${flowId}: ${loaded.problems.map((p) => p.message).join('; ')}`);
  return { flow: loaded.flow, source: loaded.file };
}

export interface HarnessOptions {
  /** Replaces the scripted socket's factory (e.g. one that throws). */
  socketFactory?: SocketFactory;
  connectTimeoutMs?: number;
  /** The channel's clock (when messages arrived, when replies were sent); default: the real one. */
  clock?: Clock;
  /** Where the bot's flows come from (default: the shipped flows/ folder). */
  loadFlow?: (flowId: string) => Promise<{ flow: Flow; source: string }>;
  /** More of the bot's workspace config (e.g. its opening hours). */
  config?: Partial<WorkspaceConfig>;
  /** A customer began to wait for a human. */
  onHandoff?: (notice: HandoffNotice) => void;
  /** How fast replies go out; default: unpaced (the tests of pacing say so; a frozen test clock would never let a paced reply go). */
  pacing?: PacingSettings;
  /** Several instances: asked before every send whether this instance still holds the bot. */
  fence?: { holds(): Promise<boolean> };
}

export async function openHarness(dataDir: string, secrets: SecretsPort, crmDir = dataDir, options: HarnessOptions = {}): Promise<Harness> {
  // Classified like examples/workspace.json: the lookups are reads, the ticket is a write.
  const config = WorkspaceConfigSchema.parse({ mcpServers: { crm: crmServer(crmDir, { get_order_status: 'read', search_customers: 'read', create_ticket: 'write' }) }, ...options.config });
  const workspace = await openWorkspace({ bot: BOT, config, dataDir, secrets });
  const store = openWhatsAppStore(dataDir);
  const settings = createWhatsAppSettingsStore({ dataDir });
  if (!settings.get(BOT).flowId) settings.update(BOT, { flowId: 'order-status' });
  settings.update(BOT, { pacing: options.pacing ?? { ...DEFAULT_PACING, enabled: false } });
  const sockets = scriptedSockets();
  const events: ChannelEvent[] = [];
  const logs: string[] = [];
  const service = createWhatsAppService({
    bot: BOT,
    workspace,
    store,
    secrets,
    socketFactory: options.socketFactory ?? sockets.factory,
    ...(options.connectTimeoutMs !== undefined ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    settings: () => settings.get(BOT),
    loadFlow: options.loadFlow ?? loadShippedFlow,
    backoff: { baseMs: 5, maxMs: 20, random: () => 0.5 },
    onChannelEvent: (e) => events.push(e),
    ...(options.onHandoff ? { onHandoff: options.onHandoff } : {}),
    ...(options.fence ? { fence: options.fence } : {}),
    log: (message) => void logs.push(message),
  });
  return {
    dataDir,
    workspace,
    store,
    settings,
    sockets,
    events,
    logs,
    service,
    sentTo: (jid) => sockets.sockets.flatMap((s) => s.sent.filter((m) => m.jid === jid).map((m) => m.text)),
    async close() {
      await service.stop();
      await workspace.close();
      store.close();
    },
  };
}

/** Waits until `check` holds (the events it waits on are asynchronous); fails after 15 s with `what`. */
export async function waitFor(what: string, check: () => boolean): Promise<void> {
  const until = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A keychain double for the benchmark only (the tests use the real keychain). */
export function memorySecrets(): SecretsPort & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    get: async (a) => values.get(a),
    set: async (a, v) => void values.set(a, v),
    delete: async (a) => values.delete(a),
  };
}
