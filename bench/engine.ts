// Engine benchmark (npm run bench). Every number is printed next to an anchor measured in
// the same process run, so the ratios mean something on any machine; absolute times only
// describe this machine. Never copy these numbers into tests as thresholds.
//
//  1. Conversations through a 12-node flow with the real runner, SQLite store and stdio MCP
//     adapter talking to examples/crm-server (one read tool call per conversation).
//     Anchor: the adapter's callTool on the same server, called directly.
//  2. Per-step persistence: store.commitStep vs a bare better-sqlite3 INSERT OR REPLACE of
//     the same state JSON (same pragmas). Also the pure engine `step` and a few other store
//     operations the runner performs per conversation, to show where the time goes.
//
// Rounds alternate the measured thing and its anchor (part 1 in chunks within each round),
// swapping which goes first, and report the median per-op time over rounds. BENCH_DEBUG=1
// also prints the per-round values of part 1.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { ConversationState } from '../src-main/shared/conversation';
import type { Flow } from '../src-main/shared/flow';
import { WorkspaceConfigSchema } from '../src-main/shared/workspace-config';
import { initialState, step, type EngineContext, type EngineEvent } from '../src-main/core/engine';
import { classifierFromConfig } from '../src-main/core/tool-policy';
import { hasErrors, validateFlow } from '../src-main/core/validate';
import { ConversationRunner } from '../src-main/runtime/conversation-runner';
import type { McpPort, StorePort } from '../src-main/runtime/ports';
import { createMcpHub, type McpHub } from '../src-main/adapters/mcp/mcp-hub';
import { openStore } from '../src-main/adapters/store/sqlite-store';
import { edge, flow, line, n, rule } from '../test/unit/flow-builders';

// ---- sizes (kept small enough for < ~60 s on a 2-core machine) --------------------------

// BENCH_SCALE=0.2 npm run bench gives a quick (noisier) look; the default targets ~10 s
// on a 2-core machine, so a machine a few times slower still finishes within a minute.
const SCALE = Math.max(0.05, Number(process.env.BENCH_SCALE ?? '1') || 1);
const scaled = (x: number): number => Math.max(10, Math.round(x * SCALE));

// Both sides of the stdio pipe keep getting faster for the first ~1,500 calls (V8 tiers up
// in the client and in the CRM server), so the warm-up is long on purpose.
const CONV_WARMUP = scaled(1_500);
const RAW_WARMUP = scaled(4_000);
const CONV_ROUNDS = 9;
const CHUNKS_PER_ROUND = 10;
const CONV_PER_CHUNK = scaled(30); // 9 × 10 × 30 = 2,700 timed conversations
const RAW_PER_CHUNK = scaled(30); // and as many timed raw calls (one per conversation)

const COMMIT_WARMUP = scaled(2_000);
const COMMIT_ROUNDS = 10;
const COMMIT_PER_ROUND = scaled(3_000); // 30,000 timed ops of each kind
const ENGINE_PER_ROUND = scaled(3_000); // conversations' worth of engine steps per round

// ---- helpers ---------------------------------------------------------------------------

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
/** Spread of the rounds: median absolute deviation from the median, in percent of it. */
const spread = (xs: number[]): number => {
  const m = median(xs);
  return (median(xs.map((x) => Math.abs(x - m))) / m) * 100;
};

function timeSync(iterations: number, fn: (i: number) => void): number {
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) fn(i);
  return (performance.now() - t0) / iterations;
}
async function timeAsync(iterations: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) await fn(i);
  return (performance.now() - t0) / iterations;
}

const fmt = (x: number, digits = 2): string => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const us = (ms: number): string => `${fmt(ms * 1000, 1)} µs`;
const msf = (ms: number): string => `${fmt(ms, 3)} ms`;
const pct = (x: number): string => `${fmt(x * 100, 1)} %`;

function table(title: string, rows: [string, string, string?][]): void {
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  console.log(`\n${title}`);
  console.log('-'.repeat(Math.min(100, w0 + w1 + 30)));
  for (const [a, b, c] of rows) console.log(`  ${a.padEnd(w0)}  ${b.padStart(w1)}${c ? `   ${c}` : ''}`);
}

// ---- the flow: exactly 12 nodes ---------------------------------------------------------

const CRM = fileURLToPath(new URL('../examples/crm-server/index.js', import.meta.url));

function benchFlow(): Flow {
  return flow(
    [
      n.start(),
      n.message('welcome', 'Hi {{contact.name}}! I can look up your order.'),
      n.ask('askOrder', { question: 'What is your order number? (e.g. A100)', saveAs: 'orderId', answer: { kind: 'text' } }),
      n.set('normalize', { orderRef: '{{orderId}}', channel: 'whatsapp' }),
      n.condition('looksLikeOrder', [rule('orderRef', 'matches', '^A\\d{3}$', 'valid')]),
      n.tool('lookup', { server: 'crm', tool: 'get_order_status', args: { orderId: '{{orderRef}}' }, saveAs: 'order' }),
      n.message('status', 'Order {{order.orderId}} is {{order.status}} (expected {{order.eta}}).'),
      n.choice('next', ['Track another order', 'Talk to a person', 'Done'], { saveAs: 'nextStep' }),
      n.message('noted', 'Noted: {{nextStep}}. Thanks, {{contact.name}}.'),
      n.ask('rate', { question: 'How would you rate this chat, 1 to 5?', saveAs: 'rating', answer: { kind: 'number' } }),
      n.end('bye', 'Thank you for the {{rating}}/5. Bye!'),
      n.end('notFound', 'Sorry, I could not find order "{{orderId}}". Please write to us again.'),
    ],
    [
      ...line('start', 'welcome', 'askOrder', 'normalize', 'looksLikeOrder'),
      edge('looksLikeOrder', 'valid', 'lookup'),
      edge('looksLikeOrder', 'else', 'notFound'),
      edge('lookup', 'error', 'notFound'),
      ...line('lookup', 'status', 'next', 'noted', 'rate', 'bye'),
    ],
    { id: 'bench-order-status', name: 'Bench: order status' },
  );
}

/** The customer's side of one conversation (after start). */
const ANSWERS = ['A100', 'Done', '5'] as const;

// ---- main ------------------------------------------------------------------------------

const tmp = mkdtempSync(join(os.tmpdir(), 'flowbot-bench-'));
let mcp: McpHub | undefined;
const closers: (() => void)[] = [];

async function cleanup(): Promise<{ serverGone: boolean | undefined }> {
  const pid = mcp?.pid('crm');
  await mcp?.close();
  mcp = undefined;
  for (const close of closers.splice(0)) {
    try {
      close();
    } catch {
      /* already closed */
    }
  }
  rmSync(tmp, { recursive: true, force: true });
  let serverGone: boolean | undefined;
  if (pid !== undefined) {
    try {
      process.kill(pid, 0);
      serverGone = false;
    } catch {
      serverGone = true;
    }
  }
  return { serverGone };
}

process.once('SIGINT', () => {
  void cleanup().finally(() => process.exit(130));
});

async function main(): Promise<void> {
  const started = performance.now();
  const workspace = WorkspaceConfigSchema.parse({
    mcpServers: {
      crm: {
        command: process.execPath,
        args: [CRM],
        env: { CRM_DATA_DIR: join(tmp, 'crm') },
        tools: { get_order_status: 'read', create_ticket: 'write' },
      },
    },
  });
  const f = benchFlow();
  const problems = validateFlow(f, { config: workspace });
  if (hasErrors(problems) || f.nodes.length !== 12) {
    throw new Error(`bench flow is not a valid 12-node flow: ${JSON.stringify(problems)}`);
  }

  // ---- 1. conversations ----------------------------------------------------------------
  const store = openStore(join(tmp, 'data'));
  closers.push(() => store.close());
  mcp = createMcpHub({ servers: workspace.mcpServers, resolveValue: async (v) => (typeof v === 'string' ? v : ''), cwd: tmp });
  const port = mcp;

  let toolCalls = 0;
  let botMessages = 0;
  let nextId = 0;
  const makeRunner = (s: StorePort, m: McpPort = port) =>
    new ConversationRunner({
      flow: f,
      flowSource: 'bench',
      store: s,
      mcp: m,
      channel: { send: async () => undefined },
      clock: { now: () => Date.now() },
      ids: { newId: () => `bench-${++nextId}` },
      classify: classifierFromConfig(workspace),
      onEvent: (e) => {
        if (e.type === 'tool_call' && e.status === 'executed') toolCalls++;
        else if (e.type === 'bot_message') botMessages++;
      },
    });
  // The runner's MCP port is the real adapter behind a stopwatch: how long the tool call
  // takes inside a conversation, next to the back-to-back anchor below.
  let inSituSamples: number[] = [];
  const timedPort: McpPort = {
    listTools: (server, opts) => port.listTools(server, opts),
    callTool: async (server, tool, args, opts) => {
      const t0 = performance.now();
      try {
        return await port.callTool(server, tool, args, opts);
      } finally {
        inSituSamples.push(performance.now() - t0);
      }
    },
    close: () => port.close(),
  };
  const runner = makeRunner(store, timedPort);
  const converse = async (r: ConversationRunner): Promise<ConversationState> => {
    let state = await r.start({ id: 'c1', name: 'Ana' });
    for (const text of ANSWERS) state = await r.receive(state.conversationId, text);
    return state;
  };

  // One checked conversation, through a store that counts commits (= engine steps).
  let commits = 0;
  const counting = new Proxy(store, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (key === 'commitStep' && typeof value === 'function') {
        return (...args: unknown[]) => {
          commits++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const checked = await converse(makeRunner(counting));
  const transcript = store.transcript(checked.conversationId, 100);
  if (checked.status !== 'ended' || toolCalls !== 1 || !transcript.some((m) => m.text.includes('Order A100 is shipped'))) {
    throw new Error(`the bench conversation did not run as expected: ${JSON.stringify({ state: checked, toolCalls, transcript })}`);
  }
  const stepsPerConv = commits;
  const toolCallsPerConv = toolCalls;
  const botMessagesPerConv = botMessages;
  const customerMessagesPerConv = ANSWERS.length;

  const rawCall = async () => {
    const result = await port.callTool('crm', 'get_order_status', { orderId: 'A100' });
    if (result.isError) throw new Error(`raw call failed: ${result.text}`);
  };

  // Warm-up: JIT on both sides of the pipe, SQLite page cache.
  for (let i = 0; i < CONV_WARMUP; i++) await converse(runner);
  for (let i = 0; i < RAW_WARMUP; i++) await rawCall();

  // Each round interleaves chunks of conversations and of raw calls (alternating which goes
  // first), so drift and neighbours' load hit both sides alike.
  toolCalls = 0;
  inSituSamples = [];
  const convMs: number[] = [];
  const rawMs: number[] = [];
  for (let r = 0; r < CONV_ROUNDS; r++) {
    let convT = 0;
    let rawT = 0;
    for (let c = 0; c < CHUNKS_PER_ROUND; c++) {
      const conv = async () => (convT += CONV_PER_CHUNK * (await timeAsync(CONV_PER_CHUNK, () => converse(runner))));
      const raw = async () => (rawT += RAW_PER_CHUNK * (await timeAsync(RAW_PER_CHUNK, rawCall)));
      if ((r + c) % 2 === 0) {
        await conv();
        await raw();
      } else {
        await raw();
        await conv();
      }
    }
    convMs.push(convT / (CHUNKS_PER_ROUND * CONV_PER_CHUNK));
    rawMs.push(rawT / (CHUNKS_PER_ROUND * RAW_PER_CHUNK));
  }
  const timedConversations = CONV_ROUNDS * CHUNKS_PER_ROUND * CONV_PER_CHUNK;
  if (toolCalls !== timedConversations * toolCallsPerConv || inSituSamples.length !== toolCalls) {
    throw new Error(`expected ${timedConversations * toolCallsPerConv} executed tool calls, saw ${toolCalls} (${inSituSamples.length} timed)`);
  }
  if (process.env.BENCH_DEBUG) console.error({ convMs, rawMs }); // per-round values
  // Mean (what the share of time needs) and median (what a typical call costs).
  const inSitu = inSituSamples.reduce((a, b) => a + b, 0) / inSituSamples.length;
  const inSituP50 = median(inSituSamples);
  const conv = median(convMs);
  const raw = median(rawMs);
  const toolShare = (toolCallsPerConv * raw) / conv;

  // ---- 2. per-step persistence, engine step, other store operations ---------------------
  const cstore = openStore(join(tmp, 'commit'));
  closers.push(() => cstore.close());
  const bare = new Database(join(tmp, 'bare.db'), { timeout: 5000 });
  closers.push(() => bare.close());
  // Mirrors sqlite-store.ts: WAL, busy_timeout 5000, synchronous NORMAL, foreign_keys ON.
  bare.pragma('journal_mode = WAL');
  bare.pragma('busy_timeout = 5000');
  bare.pragma('synchronous = NORMAL');
  bare.pragma('foreign_keys = ON');
  bare.exec('CREATE TABLE bare (id TEXT PRIMARY KEY, state_json TEXT NOT NULL)');
  const bareInsert = bare.prepare('INSERT OR REPLACE INTO bare (id, state_json) VALUES (?, ?)');

  // A realistic state mid-conversation: waiting at the choice question after the lookup.
  const ctx: EngineContext = { flow: f };
  const engineEvents: EngineEvent[] = [
    { type: 'start' },
    { type: 'user_message', text: 'A100' },
    { type: 'tool_result', nodeId: 'lookup', outcome: 'ok', value: { orderId: 'A100', status: 'shipped', eta: '2025-06-03', customerId: 'c1' } },
    { type: 'user_message', text: 'Done' },
    { type: 'user_message', text: '5' },
  ];
  const s0 = initialState(f, 'commit-1', { id: 'c1', name: 'Ana' });
  let mid = s0;
  for (const event of engineEvents.slice(0, 3)) mid = step(ctx, mid, event).state;
  if (mid.awaiting?.kind !== 'input' || mid.awaiting.nodeId !== 'next') throw new Error('unexpected mid-conversation state');
  const outgoing = ['Order A100 is shipped (expected 2025-06-03).'];
  const stateJsonBytes = Buffer.byteLength(JSON.stringify(mid));
  cstore.createConversation({ id: mid.conversationId, flowId: f.id, flowSource: 'bench', state: mid, createdAt: Date.now() });

  // Bot messages written by commitStep wait here to be marked delivered, one at a time, the
  // way the runner does it (marking an already-delivered row again would flatter the number).
  const undelivered: number[] = [];
  let nextUndelivered = 0;
  const commitOnce = () => {
    for (const entry of cstore.commitStep(mid.conversationId, mid, outgoing, Date.now())) undelivered.push(entry.id);
  };
  const ours = () => timeSync(COMMIT_PER_ROUND, commitOnce);
  // Same work up to the write: serialize the state, then one prepared statement.
  const bareWrite = () => timeSync(COMMIT_PER_ROUND, () => void bareInsert.run(mid.conversationId, JSON.stringify(mid)));
  const engineRun = () => {
    const perConversation = timeSync(ENGINE_PER_ROUND, () => {
      let s = s0;
      for (const event of engineEvents) s = step(ctx, s, event).state;
      if (s.status !== 'ended') throw new Error('engine sequence did not end');
    });
    return perConversation / engineEvents.length;
  };

  // Other store work the runner does per conversation (see conversation-runner.ts).
  let created = 0;
  const auditEntry = {
    time: Date.now(), conversationId: mid.conversationId, flowId: f.id, nodeId: 'lookup', server: 'crm', tool: 'get_order_status',
    args: { orderId: 'A100' }, status: 'executed' as const,
    result: { orderId: 'A100', status: 'shipped', eta: '2025-06-03', customerId: 'c1' }, durationMs: 0.4, confirmationId: null,
  };
  const others = {
    markDelivered: () => timeSync(Math.min(COMMIT_PER_ROUND, undelivered.length - nextUndelivered), () => cstore.markDelivered([undelivered[nextUndelivered++]!])),
    addCustomerMessage: () => timeSync(COMMIT_PER_ROUND, () => void cstore.addCustomerMessage(mid.conversationId, 'A100', Date.now())),
    getConversation: () => timeSync(COMMIT_PER_ROUND, () => void cstore.getConversation(mid.conversationId)),
    appendAudit: () => timeSync(COMMIT_PER_ROUND / 5, () => void cstore.appendAudit(auditEntry)),
    expireConfirmations: () => timeSync(COMMIT_PER_ROUND, () => cstore.expireConfirmations(mid.conversationId, Date.now())),
    createConversation: () =>
      timeSync(COMMIT_PER_ROUND / 5, () =>
        cstore.createConversation({ id: `new-${++created}`, flowId: f.id, flowSource: 'bench', state: s0, createdAt: Date.now() }),
      ),
  };

  // Warm-up.
  timeSync(COMMIT_WARMUP, commitOnce);
  timeSync(COMMIT_WARMUP, () => void bareInsert.run(mid.conversationId, JSON.stringify(mid)));
  timeSync(COMMIT_WARMUP / 5, () => {
    let s = s0;
    for (const event of engineEvents) s = step(ctx, s, event).state;
  });
  for (const run of Object.values(others)) run();

  const oursMs: number[] = [];
  const bareMs: number[] = [];
  const engineMs: number[] = [];
  const otherMs: Record<keyof typeof others, number[]> = {
    markDelivered: [], addCustomerMessage: [], getConversation: [], appendAudit: [], expireConfirmations: [], createConversation: [],
  };
  for (let r = 0; r < COMMIT_ROUNDS; r++) {
    if (r % 2 === 0) {
      oursMs.push(ours());
      bareMs.push(bareWrite());
    } else {
      bareMs.push(bareWrite());
      oursMs.push(ours());
    }
    engineMs.push(engineRun());
    if (r % 2 === 1) for (const [k, run] of Object.entries(others)) otherMs[k as keyof typeof others].push(run());
  }
  const commit = median(oursMs);
  const bareOp = median(bareMs);
  const engineStep = median(engineMs);
  const other = Object.fromEntries(Object.entries(otherMs).map(([k, v]) => [k, median(v)])) as Record<keyof typeof others, number>;

  // Where a conversation's time goes, from the isolated measurements above (an estimate:
  // the isolated ops run hot in a tight loop; in the runner they are interleaved).
  const parts = {
    'MCP call (timed in situ)': toolCallsPerConv * inSitu,
    engine: stepsPerConv * engineStep,
    commitStep: stepsPerConv * commit,
    markDelivered: botMessagesPerConv * other.markDelivered,
    loadState: customerMessagesPerConv * other.getConversation,
    addCustomerMessage: customerMessagesPerConv * other.addCustomerMessage,
    appendAudit: toolCallsPerConv * other.appendAudit,
    expireConfirmations: customerMessagesPerConv * other.expireConfirmations,
    createConversation: other.createConversation,
  };
  const accounted = Object.values(parts).reduce((a, b) => a + b, 0);

  const { serverGone } = await cleanup();
  const totalS = (performance.now() - started) / 1000;

  // ---- report ---------------------------------------------------------------------------
  console.log(`Flowbot engine bench — ${new Date().toISOString()} — node ${process.version}, ${os.cpus().length} CPU (${os.cpus()[0]?.model.trim() ?? '?'})`);
  console.log(`Flow: 12 nodes (11 on the path taken), ${stepsPerConv} engine steps, ${toolCallsPerConv} MCP call, ${botMessagesPerConv} bot + ${customerMessagesPerConv} customer messages per conversation.`);

  table(`1. Conversations (${timedConversations} in ${CONV_ROUNDS} rounds, sequential, interleaved with raw calls; medians of rounds)`, [
    ['conversation', msf(conv), `±${fmt(spread(convMs), 1)} % (MAD of rounds)`],
    ['conversations/s', fmt(1000 / conv, 1)],
    ['steps/s (engine step + commit + delivery)', fmt((1000 / conv) * stepsPerConv, 0)],
    ['anchor: raw adapter callTool', msf(raw), `±${fmt(spread(rawMs), 1)} % (MAD of rounds)`],
    ['anchor: raw calls/s', fmt(1000 / raw, 1)],
    ['MCP call share of conversation time', pct(toolShare)],
    ['conversation / (tool calls × raw call)', `${fmt(conv / (toolCallsPerConv * raw))} ×`],
    ['MCP call timed inside conversations: mean', msf(inSitu)],
    ['MCP call timed inside conversations: median', msf(inSituP50)],
    ['in-situ call / raw call (mean; median)', `${fmt(inSitu / raw)} ×; ${fmt(inSituP50 / raw)} ×`],
    ['in-situ MCP share of conversation time', pct((toolCallsPerConv * inSitu) / conv)],
  ]);

  table(`2. Per-step persistence (${COMMIT_ROUNDS} rounds × ${COMMIT_PER_ROUND}, state JSON ${stateJsonBytes} B; medians of rounds)`, [
    ['store.commitStep (state + 1 message, 1 tx)', us(commit), `±${fmt(spread(oursMs), 1)} % (MAD of rounds)`],
    ['anchor: bare INSERT OR REPLACE (stringify + run)', us(bareOp), `±${fmt(spread(bareMs), 1)} % (MAD of rounds)`],
    ['commitStep / bare', `${fmt(commit / bareOp)} ×`],
    ['engine step (pure, core/engine.ts)', us(engineStep), `±${fmt(spread(engineMs), 1)} % (MAD of rounds)`],
    ['engine step / commitStep', `${fmt(engineStep / commit)} ×`],
    ['markDelivered([1 id]) (1 tx)', us(other.markDelivered)],
    ['getConversation (JSON.parse + zod)', us(other.getConversation)],
    ['addCustomerMessage', us(other.addCustomerMessage)],
    ['appendAudit (hash chain, 1 tx)', us(other.appendAudit)],
    ['expireConfirmations (none open)', us(other.expireConfirmations)],
    ['createConversation', us(other.createConversation)],
  ]);

  table('Where a conversation goes (isolated costs × count per conversation, vs measured conversation)', [
    ...Object.entries(parts).map(([k, v]): [string, string, string] => [k, msf(v), pct(v / conv)]),
    ['accounted for', msf(accounted), pct(accounted / conv)],
    ['rest (runner, SDK, SQLite checkpoints, events, GC…)', msf(conv - accounted), pct((conv - accounted) / conv)],
  ]);

  console.log(`\nCRM server exited after close: ${serverGone === undefined ? 'unknown' : serverGone ? 'yes' : 'NO'}; temp dir removed. Total ${fmt(totalS, 1)} s.`);
  const round = (x: number, d = 4) => Number(x.toPrecision(d));
  console.log(
    JSON.stringify({
      bench: 'engine',
      date: new Date().toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      conversationMs: round(conv),
      conversationsPerSec: round(1000 / conv),
      stepsPerConversation: stepsPerConv,
      stepsPerSec: round((1000 / conv) * stepsPerConv),
      toolCallsPerConversation: toolCallsPerConv,
      rawMcpCallMs: round(raw),
      rawMcpCallsPerSec: round(1000 / raw),
      mcpShareOfConversation: round(toolShare),
      conversationOverToolTime: round(conv / (toolCallsPerConv * raw)),
      inSituMcpCallMs: round(inSitu),
      inSituMcpCallMedianMs: round(inSituP50),
      inSituOverRawCall: round(inSitu / raw),
      inSituMcpShareOfConversation: round((toolCallsPerConv * inSitu) / conv),
      commitStepUs: round(commit * 1000),
      bareWriteUs: round(bareOp * 1000),
      commitOverBare: round(commit / bareOp),
      engineStepUs: round(engineStep * 1000),
      engineOverCommit: round(engineStep / commit),
      markDeliveredUs: round(other.markDelivered * 1000),
      getConversationUs: round(other.getConversation * 1000),
      addCustomerMessageUs: round(other.addCustomerMessage * 1000),
      appendAuditUs: round(other.appendAudit * 1000),
      expireConfirmationsUs: round(other.expireConfirmations * 1000),
      createConversationUs: round(other.createConversation * 1000),
      accountedShare: round(accounted / conv),
      serverExited: serverGone ?? null,
      totalSeconds: round(totalS, 3),
    }),
  );
}

main().catch(async (err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  await cleanup().catch(() => undefined);
  process.exitCode = 1;
});
