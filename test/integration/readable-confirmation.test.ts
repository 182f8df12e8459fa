// A confirmation a customer can read, with the real runner, SQLite, a real MCP server over stdio
// whose schema titles its arguments (test/fixtures/mcp-servers/bakery.js) and, for the AI step,
// the real ollama client against the scripted LLM server. The owner's action label and the
// schema's titles replace ids; the server receives exactly the call shown; the labels are not
// part of what the confirmation is bound to.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Flow } from '../../src-main/shared/flow';
import type { RunEvent } from '../../src-main/shared/run-event';
import { ConversationRunner } from '../../src-main/runtime/conversation-runner';
import type { McpPort } from '../../src-main/runtime/ports';
import { createMcpHub } from '../../src-main/adapters/mcp/mcp-hub';
import { openStore, type SqliteStore } from '../../src-main/adapters/store/sqlite-store';
import { createOllamaLlm } from '../../src-main/adapters/llm/ollama-llm';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../fixtures/scripted-llm-server';
import { fixture } from '../fixtures/mcp-servers/harness';
import { edge, flow, line, n } from '../unit/flow-builders';

let llmServer: ScriptedLlmServer;
beforeAll(async () => {
  llmServer = await startScriptedLlmServer({ models: ['qwen3:4b'] });
});
afterAll(() => llmServer.close());

let dir: string;
let store: SqliteStore;
let mcp: McpPort;
let events: RunEvent[];
let sent: string[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowbot-labels-'));
  store = openStore(join(dir, 'data'));
  mcp = createMcpHub({
    servers: { bakery: { command: process.execPath, args: [fixture('bakery.js')], env: { CALLS_FILE: join(dir, 'orders.jsonl') } } },
    resolveValue: async (v) => (typeof v === 'string' ? v : ''),
    cwd: dir,
  });
  events = [];
  sent = [];
  llmServer.requests.length = 0;
});
afterEach(async () => {
  expect(llmServer.pending()).toBe(0);
  await mcp.close();
  store.close();
});

/** What the bakery received, from its own file. */
const orders = (): unknown[] => {
  const file = join(dir, 'orders.jsonl');
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown) : [];
};

let ids = 0;
const runner = (f: Flow) =>
  new ConversationRunner({
    flow: f,
    flowSource: 'test',
    store,
    mcp,
    llm: createOllamaLlm({ host: llmServer.url, model: 'qwen3:4b', timeoutMs: 5000 }),
    channel: { send: async (_id, text) => void sent.push(text) },
    clock: { now: () => Date.now() },
    ids: { newId: () => `conv-${++ids}` },
    classify: (_server, tool) => (tool === 'get_menu' ? 'read' : 'write'),
    onEvent: (e) => events.push(e),
  });

/** A flow written in Portuguese: the bot's own words come from the pt-BR catalogue. */
const inPortuguese = (f: Flow): Flow => ({ ...f, language: 'pt-BR' });

const cakeFlow = (labels: { actionLabel?: string; argLabels?: Record<string, string> }): Flow =>
  inPortuguese(flow(
    [
      n.start(),
      n.ask('flavour', { question: 'Qual sabor?', saveAs: 'flavour' }),
      n.confirm('sure', 'Posso fazer o pedido?'),
      n.tool('order', { server: 'bakery', tool: 'place_order', args: { customerId: '{{contact.id}}', flavour: '{{flavour}}', candles: '7', message: 'Parabéns, Ana!' }, ...labels }),
      n.end('done', 'Pedido feito!'),
      n.end('no', 'Tudo bem, não fiz o pedido.'),
    ],
    [...line('start', 'flavour', 'sure'), edge('sure', 'yes', 'order'), edge('sure', 'no', 'no'), edge('order', 'next', 'done')],
  ));

const OWNER_LABELS = { actionLabel: 'Fazer o pedido do bolo', argLabels: { message: 'Mensagem no bolo' } };

describe('a readable confirmation of a tool step', () => {
  it('names the call by its action label and the arguments by the schema titles and the step, then sends exactly that call', async () => {
    const r = runner(cakeFlow(OWNER_LABELS));
    let state = await r.start({ id: 'c7' });
    state = await r.receive(state.conversationId, 'chocolate');
    // Sabor and Velas are the server's titles, the message label the step's; customerId has none: its id.
    expect(sent.at(-1)).toBe(
      'Posso fazer o pedido?\n\nFazer o pedido do bolo\n• Velas: 7\n• customerId: "c7"\n• Sabor: "chocolate"\n• Mensagem no bolo: "Parabéns, Ana!"\n\nResponda SIM para confirmar ou NÃO para cancelar.',
    );
    expect(sent.join('\n')).not.toContain('place_order');
    expect(events).toContainEqual({ type: 'confirmation_requested', conversationId: state.conversationId, nodeId: 'order', server: 'bakery', tool: 'place_order', args: { customerId: 'c7', flavour: 'chocolate', candles: 7, message: 'Parabéns, Ana!' } });

    state = await r.receive(state.conversationId, 'sim');
    expect(orders()).toEqual([{ customerId: 'c7', flavour: 'chocolate', candles: 7, message: 'Parabéns, Ana!' }]);
    expect(store.listAudit()).toEqual([expect.objectContaining({ tool: 'place_order', status: 'executed', confirmationId: expect.any(String), args: { customerId: 'c7', flavour: 'chocolate', candles: 7, message: 'Parabéns, Ana!' } })]);
    expect(sent.at(-1)).toBe('Pedido feito!');
    expect(state.status).toBe('ended');
  });

  it('labels are not bound: the owner relabels the step between question and yes, and the same call still runs', async () => {
    const asked = runner(cakeFlow({}));
    let state = await asked.start({ id: 'c7' });
    state = await asked.receive(state.conversationId, 'morango');
    expect(sent.at(-1)).toContain('\nAção: place_order (bakery)\n• Velas: 7\n• customerId: "c7"\n• Sabor: "morango"\n• Texto no bolo: "Parabéns, Ana!"\n');

    // The same conversation, continued by a runner whose flow now carries other labels.
    state = await runner(cakeFlow({ actionLabel: 'Outro nome', argLabels: { flavour: 'Gosto', candles: 'Quantas velas' } })).receive(state.conversationId, 'sim');
    expect(orders()).toEqual([{ customerId: 'c7', flavour: 'morango', candles: 7, message: 'Parabéns, Ana!' }]);
    expect(store.listAudit()).toEqual([expect.objectContaining({ status: 'executed', confirmationId: expect.any(String) })]);
    expect(state.status).toBe('ended');
  });
});

describe('a readable confirmation of the writes an AI step asks for', () => {
  const botFlow = inPortuguese(flow(
    [
      n.start(),
      n.ask('q', { question: 'Como posso ajudar?' }),
      n.llm('bot', { instructions: 'Você atende a padaria.', tools: [{ server: 'bakery', tool: 'get_menu' }, { server: 'bakery', tool: 'place_order', actionLabel: 'Encomendar o bolo', argLabels: { customerId: 'Cliente' } }] }),
      n.end('end', 'Até logo!'),
    ],
    line('start', 'q', 'bot', 'end'),
  ));

  it('shows the step\'s labels over the schema titles, then runs exactly the call the customer confirmed', async () => {
    const args = { customerId: 'c7', flavour: 'limão', candles: 3 };
    llmServer.script({ content: 'Vou encomendar.', toolCalls: [{ name: 'bakery__place_order', arguments: args }] }, { content: 'Pedido B-1 feito!' });
    const r = runner(botFlow);
    let state = await r.start({ id: 'c7' });
    state = await r.receive(state.conversationId, 'Quero um bolo de limão com 3 velas');
    expect(sent.at(-1)).toBe('Antes de eu fazer isso, por favor confirme:\n\nEncomendar o bolo\n• Velas: 3\n• Cliente: "c7"\n• Sabor: "limão"\n\nResponda SIM para confirmar ou NÃO para cancelar.');
    // The model is never offered the labels: it sees the server's schema as before.
    const offered = (llmServer.requests[0]!.body as { tools?: { function: { name: string; description: string } }[] }).tools ?? [];
    expect(JSON.stringify(offered)).not.toContain('Encomendar o bolo');
    expect(orders()).toEqual([]);

    state = await r.receive(state.conversationId, 'sim');
    expect(orders()).toEqual([args]);
    expect(store.listAudit()).toEqual([expect.objectContaining({ nodeId: 'bot', tool: 'place_order', status: 'executed', confirmationId: expect.any(String), args })]);
    expect(sent.slice(-2)).toEqual(['Pedido B-1 feito!', 'Até logo!']);
    expect(state.status).toBe('ended');
  });
});
