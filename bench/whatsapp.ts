// WhatsApp load test (npm run bench:whatsapp): 200 customers × 10 messages through the
// WhatsApp service (scripted Baileys socket, durable inbound log and outbound queue in SQLite)
// running flows/order-status.flow.json, whose tool step reads the example CRM over MCP.
// Every round of messages arrives as one messages.upsert, all customers at once; one round is
// replayed (as after a reconnect). Checked: zero lost, zero duplicated, order kept per customer.
//
//   ours    the service: channel + dedupe + queue + typing + the ConversationRunner
//   anchor  the same messages through the bare ConversationRunner (no channel), same run
// Read messages/second and the ratio. The keychain is an in-memory double here (the tests use
// the real one). BENCH_CUSTOMERS / BENCH_MESSAGES change the size.
//
// Pacing is on (send-pacer.ts): the default limits with their rates scaled up BENCH_PACE_SCALE
// times (default 100: 100/s overall instead of 1/s) so that 4,000 replies drain in under a
// minute instead of an hour; the bursts stay. Checked from the send times the scripted socket
// recorded: no window exceeds burst + rate × window, overall and per customer; the drain is
// reported against the limit's ideal ((replies - burst) / rate).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openWorkspace } from '../src-main/app/workspace';
import { DEFAULT_PACING } from '../src-main/adapters/settings/whatsapp-settings';
import { WorkspaceConfigSchema } from '../src-main/shared/workspace-config';
import { textMessage } from '../test/fixtures/scripted-wa-socket';
import { crmServer } from '../test/support/crm-workspace';
import { ASK, BOT, BYE, GREET, loadShippedFlow, memorySecrets, openHarness, orderReply } from '../test/support/whatsapp-harness';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 200);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10);
const ORDERS: [string, string][] = [['A100', 'shipped'], ['A101', 'processing'], ['A102', 'delivered'], ['A103', 'cancelled']];
const tmp = mkdtempSync(join(os.tmpdir(), 'flowbot-bench-wa-'));
const SCALE = Number(process.env.BENCH_PACE_SCALE ?? 100);
const PACING = { ...DEFAULT_PACING, perMinute: DEFAULT_PACING.perMinute * SCALE, customerPerMinute: DEFAULT_PACING.customerPerMinute * SCALE };

/** The most sends in any window of `windowMs` starting at a send (times ascending). */
function most(times: number[], windowMs: number): number {
  let best = 0;
  let end = 0;
  for (let start = 0; start < times.length; start++) {
    while (end < times.length && times[end]! < times[start]! + windowMs) end++;
    best = Math.max(best, end - start);
  }
  return best;
}
/** Windows over which the pace is checked; 1 ms of slack for the clock read between the pacer and the socket. */
function paceProblems(what: string, times: number[], burst: number, perMinute: number): string[] {
  return [100, 1_000, 10_000].flatMap((w) => {
    const limit = burst + Math.floor(((w + 1) * perMinute) / 60_000);
    const seen = most(times, w);
    return seen > limit ? [`${what}: ${seen} sends in ${w} ms, the limit allows ${limit}`] : [];
  });
}

const jidOf = (c: number) => `3160${String(c).padStart(7, '0')}@s.whatsapp.net`;
/** Customer c's message m: odd ones open a conversation, even ones give an order number. */
const textOf = (c: number, m: number) => (m % 2 === 0 ? `hi ${m}` : ORDERS[(c + m) % ORDERS.length]![0]);
function expectedReplies(c: number): string[] {
  const out: string[] = [];
  for (let m = 0; m < MESSAGES; m++) {
    if (m % 2 === 0) out.push(GREET, ASK);
    else {
      const [id, status] = ORDERS[(c + m) % ORDERS.length]!;
      out.push(orderReply(id, status), BYE);
    }
  }
  return out;
}

async function ours(): Promise<{ seconds: number; problems: string[]; drain: number; sends: number }> {
  const h = await openHarness(join(tmp, 'ours'), memorySecrets(), join(tmp, 'ours'), { pacing: PACING });
  await h.service.start();
  h.sockets.last().open();
  const sock = h.sockets.last();
  const rounds = Array.from({ length: MESSAGES }, (_, m) => Array.from({ length: CUSTOMERS }, (_, c) => textMessage(jidOf(c), textOf(c, m), { id: `B-${c}-${m}` })));
  const t0 = performance.now();
  for (const [m, round] of rounds.entries()) {
    sock.upsert(round);
    if (m === 3) sock.upsert(rounds[1]!); // a replay: must change nothing
  }
  await h.service.idle();
  const seconds = (performance.now() - t0) / 1000;
  const problems: string[] = [];
  for (let c = 0; c < CUSTOMERS; c++) {
    const got = h.sentTo(jidOf(c));
    const want = expectedReplies(c);
    if (got.length < want.length) problems.push(`customer ${c}: ${want.length - got.length} replies lost`);
    if (got.length > want.length) problems.push(`customer ${c}: ${got.length - want.length} replies duplicated`);
    if (got.length === want.length && got.some((t, i) => t !== want[i])) problems.push(`customer ${c}: replies out of order`);
  }
  const unhandled = h.store.unhandled(BOT).length;
  if (unhandled) problems.push(`${unhandled} messages never handled`);
  const times = sock.sendTimes;
  problems.push(...paceProblems('overall', times, PACING.burst, PACING.perMinute));
  const byCustomer = new Map<string, number[]>();
  sock.sent.forEach((m, i) => byCustomer.set(m.jid, [...(byCustomer.get(m.jid) ?? []), times[i]!]));
  for (const [jid, own] of byCustomer) problems.push(...paceProblems(jid, own, PACING.customerBurst, PACING.customerPerMinute));
  await h.close();
  return { seconds, problems, drain: ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000, sends: times.length };
}

async function anchor(): Promise<{ seconds: number }> {
  const dir = join(tmp, 'anchor');
  const config = WorkspaceConfigSchema.parse({ mcpServers: { crm: crmServer(dir, { get_order_status: 'read' }) } });
  const ws = await openWorkspace({ bot: BOT, config, dataDir: dir, secrets: memorySecrets() });
  const { flow, source } = await loadShippedFlow('order-status');
  const runner = ws.runner(flow, source, {});
  await runner.start({ id: 'warmup' }, 'warmup'); // starts the CRM server, like the other side's open
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CUSTOMERS }, async (_, c) => {
      let conversation = '';
      for (let m = 0; m < MESSAGES; m++) {
        if (m % 2 === 0) {
          conversation = `${c}-${m}`;
          await runner.start({ id: jidOf(c) }, conversation);
        } else await runner.receive(conversation, textOf(c, m));
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await ws.close();
  return { seconds };
}

try {
  const total = CUSTOMERS * MESSAGES;
  const bare = await anchor();
  const wa = await ours();
  const rate = (s: number) => (total / s).toFixed(0);
  console.log(`WhatsApp load: ${CUSTOMERS} customers × ${MESSAGES} messages = ${total} (plus ${CUSTOMERS} replayed)`);
  console.log(`  ours    WhatsApp service   ${wa.seconds.toFixed(2)} s   ${rate(wa.seconds)} messages/s`);
  console.log(`  anchor  bare runner        ${bare.seconds.toFixed(2)} s   ${rate(bare.seconds)} messages/s`);
  console.log(`  ratio   ours / anchor time ${(wa.seconds / bare.seconds).toFixed(2)}`);
  const ideal = Math.max(0, wa.sends - PACING.burst) / (PACING.perMinute / 60);
  console.log(`  pacing  ${PACING.perMinute}/min overall (burst ${PACING.burst}), ${PACING.customerPerMinute}/min per customer (burst ${PACING.customerBurst}): the defaults' rates × ${SCALE} (BENCH_PACE_SCALE)`);
  console.log(`  drain   ${wa.sends} replies in ${wa.drain.toFixed(2)} s; the limit's ideal ${ideal.toFixed(2)} s; ratio ${(wa.drain / ideal).toFixed(3)}`);
  // The anchor shows how fast the flows themselves run here: when they are slower than the pace, they bound the drain.
  console.log(`  (the flows alone need ~${((bare.seconds * wa.sends) / (2 * total)).toFixed(1)} s of that for ${wa.sends} replies at the anchor's speed)`);
  if (wa.problems.length) {
    console.log(`FAILED: ${wa.problems.length} problems\n  ${wa.problems.slice(0, 20).join('\n  ')}`);
    process.exitCode = 1;
  } else console.log('  zero lost, zero duplicated, order kept for every customer, no send rate above the limits');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
