// Orchestrator benchmark (npx tsx bench/orchestrator.ts): one llm step with two read-tool
// rounds, against a zero-latency scripted model (test/fixtures/scripted-llm-server) and
// examples/crm-server over stdio, as a ratio to the bare sequence of the same calls in the same
// run: the `ollama` client (streamed, like the adapter) + the MCP SDK client, no orchestrator.
// Read the ratio, not the absolute times. Target (issue 4): ≤ 1.3.
//
//   ours  LlmToolLoop.run (src-main/runtime/llm-tool-loop.ts) with its real parts: the Ollama
//         adapter, createMcpHub, the ToolExecutor + ConfirmationGate, audit in SQLite
//         (tool listing, argument validation, classification, wrapping, audit included)
//   bare  3 × ollama.chat(stream) + 2 × client.callTool, messages built by hand
//   loop  (info) the same LlmToolLoop with a minimal LlmPort over the bare `ollama` client:
//         what the orchestrator itself adds, without the provider adapter
// The sides alternate in chunks; both use their own CRM process. BENCH_SCALE=0.2: a quick look.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Ollama, type Message } from 'ollama';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createOllamaLlm } from '../src-main/adapters/llm/ollama-llm';
import { createMcpHub } from '../src-main/adapters/mcp/mcp-hub';
import { openStore } from '../src-main/adapters/store/sqlite-store';
import { ConfirmationGate } from '../src-main/runtime/confirmation-gate';
import { ToolExecutor } from '../src-main/runtime/tool-executor';
import { LlmToolLoop } from '../src-main/runtime/llm-tool-loop';
import { startScriptedLlmServer, type ScriptedReply } from '../test/fixtures/scripted-llm-server';
import type { LlmPort } from '../src-main/runtime/ports';
import { fmt, median, quantile, ratio, table } from './mcp/stats';

const SCALE = Math.max(0.05, Number(process.env.BENCH_SCALE ?? '1') || 1);
const WARMUP = Math.max(20, Math.round(200 * SCALE));
const RUNS = Math.max(40, Math.round(600 * SCALE));
const CHUNK = 10;
const TARGET = 1.3;
const MODEL = 'qwen3:4b';

const CRM = fileURLToPath(new URL('../examples/crm-server/index.js', import.meta.url));
const tmp = mkdtempSync(join(os.tmpdir(), 'flowbot-bench-orch-'));
const llmServer = await startScriptedLlmServer({ models: [MODEL] });

const script = (): ScriptedReply[] => [
  { toolCalls: [{ name: 'crm__get_order_status', arguments: { orderId: 'A100' } }] },
  { toolCalls: [{ name: 'crm__search_customers', arguments: { query: 'Ana' } }] },
  { content: 'Ana, your order A100 has shipped.' },
];

// ---- ours ------------------------------------------------------------------------------
const store = openStore(join(tmp, 'data'));
const mcp = createMcpHub({
  servers: { crm: { command: process.execPath, args: [CRM], env: { CRM_DATA_DIR: join(tmp, 'crm-ours') } } },
  resolveValue: async (v) => (typeof v === 'string' ? v : ''),
  cwd: tmp,
});
const clock = { now: () => Date.now() };
const classify = () => 'read' as const;
const gate = new ConfirmationGate({ mcp, store, clock, classify });
const executor = new ToolExecutor({ mcp, store, clock, gate, emit: () => undefined });
const loop = new LlmToolLoop({ llm: createOllamaLlm({ host: llmServer.url, model: MODEL }), mcp, store, tools: executor, classify, emit: () => undefined });
store.createConversation({ id: 'bench', flowId: 'bench', flowSource: 'bench', createdAt: Date.now(),
  state: { conversationId: 'bench', flowId: 'bench', status: 'active', awaiting: null, vars: {}, contact: { id: 'c1' }, lastMessage: '', stepsSinceInput: 0, retries: 0, shownCalls: [] } });
const effect = {
  type: 'call_llm' as const,
  nodeId: 'bot',
  instructions: 'You are the Acme shop assistant.',
  input: 'Where is my order A100?',
  tools: [{ server: 'crm', tool: 'get_order_status' }, { server: 'crm', tool: 'search_customers' }],
  maxToolRounds: 4,
};
/** A minimal LlmPort over the bare client (no timeouts, no error translation): isolates the loop's own cost. */
const thinLlm: LlmPort = {
  listModels: async () => [],
  chat: async (request, opts) => {
    const messages = request.messages.map((m): Message => {
      if (m.role === 'tool') return { role: 'tool', content: m.content, tool_name: m.name } as Message;
      if (m.role === 'assistant' && m.toolCalls?.length) {
        return { role: 'assistant', content: m.content, tool_calls: m.toolCalls.map((c) => ({ function: { name: c.name, arguments: c.arguments as Record<string, unknown> } })) };
      }
      return { role: m.role, content: m.content };
    });
    const tools = request.tools?.map((t) => ({ type: 'function', function: { name: t.name, description: t.description ?? '', parameters: t.parameters as never } }));
    const stream = await thinClient.chat({ model: MODEL, messages, ...(tools ? { tools } : {}), stream: true });
    let text = '';
    const calls: NonNullable<Message['tool_calls']> = [];
    for await (const part of stream) {
      if (part.message.content) {
        text += part.message.content;
        opts?.onText?.(part.message.content);
      }
      if (part.message.tool_calls) calls.push(...part.message.tool_calls);
    }
    return { text, toolCalls: calls.map((c, i) => ({ id: `call_${i}`, name: c.function.name, arguments: c.function.arguments })) };
  },
};
const thinClient = new Ollama({ host: llmServer.url });
const thinLoop = new LlmToolLoop({ llm: thinLlm, mcp, store, tools: executor, classify, emit: () => undefined });
async function loopOnly(): Promise<void> {
  llmServer.script(...script());
  const result = await thinLoop.run({ conversationId: 'bench', flowId: 'bench' }, effect);
  if (result.type !== 'llm_result' || !result.ok || !('text' in result)) throw new Error(`bench: loop failed: ${JSON.stringify(result)}`);
}

async function ours(): Promise<void> {
  llmServer.script(...script());
  const result = await loop.run({ conversationId: 'bench', flowId: 'bench' }, effect);
  if (result.type !== 'llm_result' || !result.ok || !('text' in result)) throw new Error(`bench: ours failed: ${JSON.stringify(result)}`);
}

// ---- bare ------------------------------------------------------------------------------
const transport = new StdioClientTransport({
  command: process.execPath,
  args: [CRM],
  env: { ...getDefaultEnvironment(), CRM_DATA_DIR: join(tmp, 'crm-bare') },
  cwd: tmp,
  stderr: 'pipe',
});
transport.stderr?.on('data', () => undefined);
const sdk = new Client({ name: 'bench-bare', version: '0.0.0' });
await sdk.connect(transport);
const listed = (await sdk.listTools()).tools.filter((t) => t.name === 'get_order_status' || t.name === 'search_customers');
const ollama = new Ollama({ host: llmServer.url });
const bareTools = listed.map((t) => ({ type: 'function', function: { name: `crm__${t.name}`, description: t.description ?? '', parameters: t.inputSchema as never } }));
async function bare(): Promise<void> {
  llmServer.script(...script());
  const messages: Message[] = [
    { role: 'system', content: effect.instructions },
    { role: 'user', content: `<input>\n${effect.input}\n</input>` },
  ];
  for (;;) {
    const stream = await ollama.chat({ model: MODEL, messages, tools: bareTools, stream: true });
    let content = '';
    const calls: NonNullable<Message['tool_calls']> = [];
    for await (const part of stream) {
      content += part.message.content;
      if (part.message.tool_calls) calls.push(...part.message.tool_calls);
    }
    if (calls.length === 0) return;
    messages.push({ role: 'assistant', content, tool_calls: calls });
    for (const call of calls) {
      const result = await sdk.callTool({ name: call.function.name.replace(/^crm__/, ''), arguments: call.function.arguments });
      messages.push({ role: 'tool', content: JSON.stringify(result.structuredContent ?? result.content), tool_name: call.function.name } as Message);
    }
  }
}

// ---- measure ---------------------------------------------------------------------------
const sides = { ours, bare, loop: loopOnly } as const;
type Side = keyof typeof sides;
const times: Record<Side, number[]> = { ours: [], bare: [], loop: [] };
const ROTATIONS: Side[][] = [['ours', 'bare', 'loop'], ['bare', 'loop', 'ours'], ['loop', 'ours', 'bare']];
try {
  for (let i = 0; i < WARMUP; i++) {
    await ours();
    await bare();
    await loopOnly();
  }
  for (let done = 0, k = 0; done < RUNS; done += CHUNK, k++) {
    const order = ROTATIONS[k % ROTATIONS.length]!;
    for (const side of order) {
      for (let i = 0; i < CHUNK; i++) {
        const t0 = performance.now();
        await sides[side]();
        times[side].push(performance.now() - t0);
      }
    }
  }
  const p50 = { ours: median(times.ours), bare: median(times.bare), loop: median(times.loop) };
  table(
    `llm step, 2 read-tool rounds + answer (${RUNS} runs per side, zero-latency scripted model, Ollama wire)`,
    ['side', 'p50 (ms)', 'p90 (ms)'],
    (['bare', 'ours', 'loop'] as const).map((s) => [s, fmt(p50[s], 3), fmt(quantile(times[s], 0.9), 3)]),
  );
  console.log(`info: loop (orchestrator over the bare client) / bare: ${ratio(p50.loop / p50.bare)}`);
  const r = p50.ours / p50.bare;
  console.log(`ratio ours/bare (p50): ${ratio(r)} (target ≤ ${TARGET}) ${r <= TARGET ? 'OK' : 'OVER TARGET'}`);
} finally {
  await sdk.close().catch(() => undefined);
  await mcp.close();
  store.close();
  await llmServer.close();
  rmSync(tmp, { recursive: true, force: true });
}
