// Real parts for llm-step tests: the conversation runner, SQLite, the example CRM server (and
// optionally an "evil" MCP server from test/fixtures/rug-pull) over stdio, and the real
// `ollama` / `openai` clients against the scripted LLM server on 127.0.0.1.
// Side effects are read from the servers' own files (crm.json, the evil server's call log).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Flow } from '../../src-main/shared/flow';
import type { RunEvent } from '../../src-main/shared/run-event';
import type { ToolClass } from '../../src-main/shared/workspace-config';
import type { ConversationState } from '../../src-main/shared/conversation';
import { ConversationRunner } from '../../src-main/runtime/conversation-runner';
import type { ChannelPort, LlmPort, McpPort, StorePort } from '../../src-main/runtime/ports';
import { createMcpHub } from '../../src-main/adapters/mcp/mcp-hub';
import { openStore, type SqliteStore } from '../../src-main/adapters/store/sqlite-store';
import { createOllamaLlm } from '../../src-main/adapters/llm/ollama-llm';
import { createOpenAiLlm } from '../../src-main/adapters/llm/openai-llm';
import type { ScriptedLlmServer } from '../fixtures/scripted-llm-server';
import { openKnowledgeBase, type KnowledgeBase } from '../../src-main/adapters/knowledge/knowledge-base';

export type Provider = 'ollama' | 'openai';
export const PROVIDERS: Provider[] = ['ollama', 'openai'];

export const CRM_CLASSES: Record<string, ToolClass> = {
  get_order_status: 'read',
  search_customers: 'read',
  create_ticket: 'write',
  update_address: 'write',
  book_appointment: 'write',
};

export interface EvilTool {
  name: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
}

export interface Harness {
  dir: string;
  /** The SQLite store itself (synchronous), unwrapped. */
  store: SqliteStore;
  mcp: McpPort;
  /** The bot's knowledge collections (bot "default"), in the same flowbot.db. */
  knowledge: KnowledgeBase;
  events: RunEvent[];
  crm(): { tickets: Record<string, unknown>[]; customers: Record<string, unknown>[]; appointments: unknown[] };
  /** Calls that reached the evil server (its own log). */
  evilCalls(): { name: string; args: Record<string, unknown> }[];
  /** What every call to the CRM wrote: tickets + appointments + changed addresses. */
  crmWrites(): number;
  /** `channel`: where bot messages go (default: delivered at once, like the simulator). */
  runner(flow: Flow, opts?: { wrapMcp?: (mcp: McpPort) => McpPort; wrapStore?: (s: StorePort) => StorePort; channel?: ChannelPort }): ConversationRunner;
  chat(flow: Flow, ...messages: string[]): Promise<{ state: ConversationState; runner: ConversationRunner }>;
  close(): Promise<void>;
}

const CRM = resolve('examples/crm-server/index.js');
const EVIL = resolve('test/fixtures/rug-pull/server.js');
const SEED_ADDRESSES = ['Rua das Flores 12, São Paulo', '4 Mill Lane, London', '15 Allen Avenue, Lagos'];

export function llmClient(provider: Provider, server: ScriptedLlmServer, model = 'qwen3:4b'): LlmPort {
  return provider === 'ollama'
    ? createOllamaLlm({ host: server.url, model, timeoutMs: 5000 })
    : createOpenAiLlm({ baseUrl: server.openaiBaseUrl, model, timeoutMs: 5000 });
}

export function createHarness(options: {
  provider: Provider;
  server: ScriptedLlmServer;
  evilTools?: EvilTool[];
  evilClasses?: Record<string, ToolClass>;
  /** Rewrites the CRM's data before it starts (e.g. poisoned customer names). */
  crmSeed?: (seed: Record<string, unknown>) => void;
}): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'flowbot-llm-'));
  const crmDir = join(dir, 'crm');
  const evilCallsFile = join(dir, 'evil-calls.log');
  const servers: Record<string, { command: string; args: string[]; env: Record<string, string> }> = {
    crm: { command: process.execPath, args: [CRM], env: { CRM_DATA_DIR: crmDir } },
  };
  if (options.evilTools) {
    const toolsFile = join(dir, 'evil-tools.json');
    writeFileSync(toolsFile, JSON.stringify(options.evilTools));
    servers.evil = { command: process.execPath, args: [EVIL], env: { RUG_PULL_TOOLS: toolsFile, RUG_PULL_CALLS: evilCallsFile } };
  }
  let baseline = SEED_ADDRESSES;
  if (options.crmSeed) {
    mkdirSync(crmDir, { recursive: true });
    const seed = defaultSeed();
    options.crmSeed(seed);
    baseline = (seed.customers as { address: string }[]).map((c) => c.address);
    writeFileSync(join(crmDir, 'crm.json'), JSON.stringify(seed));
  }
  const store = openStore(join(dir, 'data'));
  const knowledge = openKnowledgeBase({ dataDir: join(dir, 'data') });
  const mcp = createMcpHub({ servers, resolveValue: async (v) => (typeof v === 'string' ? v : ''), cwd: dir });
  const events: RunEvent[] = [];
  const llm = llmClient(options.provider, options.server);
  const classes: Record<string, Record<string, ToolClass>> = { crm: CRM_CLASSES, evil: options.evilClasses ?? {} };

  const crm = () =>
    existsSync(join(crmDir, 'crm.json'))
      ? JSON.parse(readFileSync(join(crmDir, 'crm.json'), 'utf8'))
      : { tickets: [], customers: [], appointments: [] };

  let ids = 0;
  const runner: Harness['runner'] = (flow, opts = {}) =>
    new ConversationRunner({
      flow,
      flowSource: 'test',
      store: opts.wrapStore ? opts.wrapStore(store) : store,
      mcp: opts.wrapMcp ? opts.wrapMcp(mcp) : mcp,
      llm,
      knowledge,
      channel: opts.channel ?? { send: async () => undefined },
      clock: { now: () => Date.now() },
      ids: { newId: () => `conv-${++ids}` },
      // Anything unclassified is a write (as in the product).
      classify: (server, tool) => classes[server]?.[tool] ?? 'write',
      onEvent: (e) => events.push(e),
    });

  return {
    dir,
    store,
    mcp,
    knowledge,
    events,
    crm,
    evilCalls: () =>
      existsSync(evilCallsFile)
        ? readFileSync(evilCallsFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l))
        : [],
    crmWrites: () => {
      const db = crm();
      const moved = (db.customers as { address: string }[]).filter((c) => !baseline.includes(c.address)).length;
      return db.tickets.length + db.appointments.length + moved;
    },
    runner,
    chat: async (flow, ...messages) => {
      const r = runner(flow);
      let state = await r.start({ id: 'c1' });
      for (const m of messages) state = await r.receive(state.conversationId, m);
      return { state, runner: r };
    },
    close: async () => {
      await mcp.close();
      knowledge.close();
      store.close();
    },
  };
}

function defaultSeed(): Record<string, unknown> {
  return {
    customers: [
      { id: 'c1', name: 'Ana Souza', phone: '+55 11 91234-5678', email: 'ana@example.com', address: SEED_ADDRESSES[0] },
      { id: 'c2', name: 'Ben Carter', phone: '+44 20 7946 0018', email: 'ben.carter@example.com', address: SEED_ADDRESSES[1] },
      { id: 'c3', name: 'Chidi Okafor', phone: '+234 802 555 0143', email: 'chidi@example.com', address: SEED_ADDRESSES[2] },
    ],
    orders: [
      { id: 'A100', customerId: 'c1', status: 'shipped', items: ['Blue mug x2'], eta: '2025-06-03' },
      { id: 'A102', customerId: 'c2', status: 'delivered', items: ['Notebook x3', 'Pen'], eta: null },
    ],
    tickets: [],
    appointments: [],
  };
}
