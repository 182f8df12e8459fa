// HTTP chat load test (npm run bench:http-chat): 50 concurrent customers × 10 messages through
// the HTTP chat channel (a real node:http server with web/chat-routes.ts, the API key check, the
// durable message log in SQLite, the per-customer chain) running flows/order-status.flow.json,
// whose tool step reads the example CRM over MCP. Each customer sends its next message when the
// previous answer came back (as a client does); all customers at once.
//
//   ours    POST /api/v1/bots/{bot}/conversations/{customer}/messages, over HTTP (keep-alive)
//   anchor  the same messages through the bare ConversationRunner (no channel), same run
// Read messages/second, the ratio, and the added latency per message (p50/p99 of ours minus
// p50/p99 of the anchor). Checked: every reply as expected, in order. The keychain is an
// in-memory double here. BENCH_CUSTOMERS / BENCH_MESSAGES / BENCH_ROUNDS change the size.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openWorkspace, type Workspace } from '../src-main/app/workspace';
import { WorkspaceConfigSchema } from '../src-main/shared/workspace-config';
import { openHttpChatStore } from '../src-main/adapters/store/http-chat-store';
import { createApiKeys } from '../src-main/app/http-chat/api-key';
import { createHttpChat } from '../src-main/app/http-chat/http-chat';
import { createWidgetSessions } from '../src-main/app/http-chat/widget-sessions';
import type { BotRuntime } from '../src-main/app/bot-runtime-port';
import { createChatRoutes } from '../src-main/web/chat-routes';
import { crmServer } from '../test/support/crm-workspace';
import { ASK, BOT, BYE, GREET, loadShippedFlow, memorySecrets, orderReply } from '../test/support/whatsapp-harness';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 50);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ORDERS: [string, string][] = [['A100', 'shipped'], ['A101', 'processing'], ['A102', 'delivered'], ['A103', 'cancelled']];
const tmp = mkdtempSync(join(os.tmpdir(), 'flowbot-bench-http-'));

const textOf = (c: number, m: number) => (m % 2 === 0 ? `hi ${m}` : ORDERS[(c + m) % ORDERS.length]![0]);
function expected(c: number, m: number): string[] {
  if (m % 2 === 0) return [GREET, ASK];
  const [id, status] = ORDERS[(c + m) % ORDERS.length]!;
  return [orderReply(id, status), BYE];
}

interface Run {
  seconds: number;
  latencies: number[];
  problems: string[];
}

async function openBot(dir: string): Promise<Workspace> {
  const config = WorkspaceConfigSchema.parse({ mcpServers: { crm: crmServer(dir, { get_order_status: 'read' }) } });
  return openWorkspace({ bot: BOT, config, dataDir: dir, secrets: memorySecrets() });
}

async function anchor(round: number): Promise<Run> {
  const dir = join(tmp, `anchor-${round}`);
  const ws = await openBot(dir);
  const { flow, source } = await loadShippedFlow('order-status');
  const runner = ws.runner(flow, source, {});
  await runner.start({ id: 'warmup' }, 'warmup'); // starts the CRM server
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CUSTOMERS }, async (_, c) => {
      let conversation = '';
      for (let m = 0; m < MESSAGES; m++) {
        const t = performance.now();
        if (m % 2 === 0) {
          conversation = `${c}-${m}`;
          await runner.start({ id: `customer-${c}` }, conversation, { opening: { text: textOf(c, m), at: Date.now() } });
        } else await runner.receive(conversation, textOf(c, m));
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await ws.close();
  return { seconds, latencies, problems: [] };
}

async function ours(round: number): Promise<Run> {
  const dir = join(tmp, `ours-${round}`);
  const ws = await openBot(dir);
  // Loaded once, as a runtime that keeps its flows does (the studio's re-reads and re-checks the flow for every message).
  const answering = await loadShippedFlow('order-status');
  const runtime: BotRuntime = { bot: BOT, workspace: ws, answeringFlow: async () => answering };
  const secrets = memorySecrets();
  const keys = createApiKeys(secrets);
  const key = await keys.rotate(BOT);
  const store = openHttpChatStore(dir);
  const chat = createHttpChat({ store: () => store });
  const { handleChatRequest } = createChatRoutes({
    runtimes: { get: async (bot) => (bot === BOT ? runtime : undefined), list: () => [BOT], close: async () => undefined },
    chat,
    keys,
    widget: { enabled: () => false, sessions: createWidgetSessions() },
  });
  const server = createServer((request, response) => void handleChatRequest(request, response, new URL(request.url ?? '/', 'http://127.0.0.1')));
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const post = async (customer: string, text: string, messageId: string) => {
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/bots/${BOT}/conversations/${customer}/messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ text, messageId }),
    });
    return { status: response.status, body: (await response.json()) as { replies: string[] } };
  };
  await post('warmup', 'hi', 'warmup-0'); // starts the CRM server
  const latencies: number[] = [];
  const problems: string[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CUSTOMERS }, async (_, c) => {
      for (let m = 0; m < MESSAGES; m++) {
        const t = performance.now();
        const { status, body } = await post(`customer-${c}`, textOf(c, m), `m-${c}-${m}`);
        latencies.push(performance.now() - t);
        const want = expected(c, m);
        if (status !== 200) problems.push(`customer ${c} message ${m}: HTTP ${status}`);
        else if (JSON.stringify(body.replies) !== JSON.stringify(want)) problems.push(`customer ${c} message ${m}: ${JSON.stringify(body.replies)} instead of ${JSON.stringify(want)}`);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  await chat.idle();
  store.close();
  await ws.close();
  return { seconds, latencies, problems };
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const median = (values: number[]) => percentile(values, 50);

try {
  const total = CUSTOMERS * MESSAGES;
  const http: Run[] = [];
  const bare: Run[] = [];
  // Rounds alternate which side goes first.
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) {
      bare.push(await anchor(r));
      http.push(await ours(r));
    } else {
      http.push(await ours(r));
      bare.push(await anchor(r));
    }
  }
  const rate = (runs: Run[]) => median(runs.map((r) => total / r.seconds));
  const lat = (runs: Run[], p: number) => median(runs.map((r) => percentile(r.latencies, p)));
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  console.log(`HTTP chat load: ${CUSTOMERS} concurrent customers × ${MESSAGES} messages = ${total} per round, ${ROUNDS} rounds (medians)`);
  console.log(`  ours    HTTP channel   ${rate(http).toFixed(0)} messages/s   p50 ${ms(lat(http, 50))}   p99 ${ms(lat(http, 99))}`);
  console.log(`  anchor  bare runner    ${rate(bare).toFixed(0)} messages/s   p50 ${ms(lat(bare, 50))}   p99 ${ms(lat(bare, 99))}`);
  console.log(`  ratio   ours / anchor throughput ${(rate(http) / rate(bare)).toFixed(2)}`);
  console.log(`  added latency per message: p50 +${ms(lat(http, 50) - lat(bare, 50))}, p99 +${ms(lat(http, 99) - lat(bare, 99))}`);
  console.log(
    JSON.stringify({
      bench: 'http-chat',
      customers: CUSTOMERS,
      messages: MESSAGES,
      rounds: ROUNDS,
      oursPerSecond: rate(http),
      anchorPerSecond: rate(bare),
      ratio: rate(http) / rate(bare),
      p50: { ours: lat(http, 50), anchor: lat(bare, 50) },
      p99: { ours: lat(http, 99), anchor: lat(bare, 99) },
    }),
  );
  const problems = http.flatMap((r) => r.problems);
  if (problems.length) {
    console.log(`FAILED: ${problems.length} problems\n  ${problems.slice(0, 20).join('\n  ')}`);
    process.exitCode = 1;
  } else console.log('  every reply as expected, in order, for every customer');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
