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
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openWorkspace } from '../src-main/app/workspace';
import { WorkspaceConfigSchema } from '../src-main/shared/workspace-config';
import { textMessage } from '../test/fixtures/scripted-wa-socket';
import { crmServer } from '../test/support/crm-workspace';
import { ASK, BOT, BYE, GREET, loadShippedFlow, memorySecrets, openHarness, orderReply } from '../test/support/whatsapp-harness';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 200);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10);
const ORDERS: [string, string][] = [['A100', 'shipped'], ['A101', 'processing'], ['A102', 'delivered'], ['A103', 'cancelled']];
const tmp = mkdtempSync(join(os.tmpdir(), 'flowbot-bench-wa-'));

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

async function ours(): Promise<{ seconds: number; problems: string[] }> {
  const h = await openHarness(join(tmp, 'ours'), memorySecrets(), join(tmp, 'ours'));
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
  await h.close();
  return { seconds, problems };
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
  if (wa.problems.length) {
    console.log(`FAILED: ${wa.problems.length} problems\n  ${wa.problems.slice(0, 20).join('\n  ')}`);
    process.exitCode = 1;
  } else console.log('  zero lost, zero duplicated, order kept for every customer');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
