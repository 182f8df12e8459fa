// Two real `flowbot serve` processes on one PostgreSQL, behind no balancer: 50 customers × 10
// messages through the HTTP chat API, each message to one instance or the other (alternating),
// and the instance holding the bot's lease SIGKILLed in the middle. A client whose request died
// with it retries on the survivor with the same messageId. Checked: every message answered
// exactly once and in order (each answer is the flow's next step: a message handled twice or out
// of order would shift them), every confirmed write (a ticket in the CRM's data files) executed
// at most once and exactly once for every "Done!", the audit chain intact, and the bot's lease
// on the survivor less than a TTL after the dead holder's ran out.
//
// Each instance runs its own example CRM (MCP over stdio) on its own data file, as two machines
// would: the tickets are counted over both.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEncryptedFileSecrets } from '../../src-main/adapters/secrets/encrypted-file-secrets';
import { postgresStorage } from '../../src-main/app/storage';
import { loadAuditKey } from '../../src-main/app/audit-key';
import type { AuditVerification } from '../../src-main/runtime/ports';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../fixtures/scripted-llm-server';
import { startTestPostgres, type TestPostgres } from '../fixtures/test-postgres';
import { API_KEY, MASTER_KEY, SERVED_BOT, writeServedDataDir, type ServedDataDir } from '../support/serve-data-dir';

const BIN = resolve('bin/flowbot.js');
const CUSTOMERS = 50;
const ROUNDS = 2; // 2 conversations × 5 messages = 10 messages per customer
const TTL_MS = 2_000;
/** The kill comes once this many answers came back (about the middle). */
const KILL_AFTER = (CUSTOMERS * ROUNDS * 5) / 2;

let llm: ScriptedLlmServer;
let cluster: TestPostgres;
let databaseUrl: string;
let dir: string;
let served: ServedDataDir;

beforeAll(async () => {
  [llm, cluster] = await Promise.all([startScriptedLlmServer(), startTestPostgres()]);
  databaseUrl = await cluster.createDatabase('failover');
  dir = mkdtempSync(join(tmpdir(), 'flowbot-failover-'));
  // Read by the setup's own start of the CRM (the approvals), then per instance.
  process.env.FLOWBOT_TEST_CRM_DIR = join(dir, 'crm-setup');
  // Each instance's CRM keeps its data in its own folder (FLOWBOT_TEST_CRM_DIR): all three granted.
  served = await writeServedDataDir(dir, llm.url, {}, { env: 'FLOWBOT_TEST_CRM_DIR' }, ['crm-setup', 'crm-a', 'crm-b'].map((name) => join(dir, name)));
});
afterAll(async () => {
  await llm?.close();
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface LogLine {
  msg: string;
  [field: string]: unknown;
}

/** One `flowbot serve` on the shared database; its CRM writes to crm-<name>/crm.json. */
function instance(name: string) {
  const { FLOWBOT_MASTER_KEY: _a, CREDENTIALS_DIRECTORY: _b, DATABASE_URL: _c, ...base } = process.env;
  const child = spawn(process.execPath, [BIN, 'serve', '--data-dir', served.dataDir, '--database', databaseUrl], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...base, FLOWBOT_MASTER_KEY: MASTER_KEY, FLOWBOT_LEASE_TTL_MS: String(TTL_MS), FLOWBOT_TEST_CRM_DIR: join(dir, `crm-${name}`) },
  });
  const lines: LogLine[] = [];
  let buffer = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += String(chunk);
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const line of parts.filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
    for (const wake of waiters) wake();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
  const waitFor = (match: (line: LogLine) => boolean): Promise<LogLine> =>
    new Promise((resolveLine, reject) => {
      const check = () => {
        const found = lines.find(match);
        if (!found) return;
        waiters.delete(check);
        resolveLine(found);
      };
      waiters.add(check);
      void exited.then(() => waiters.has(check) && reject(new Error(`${name} exited before the line came: ${stderr}`)));
      check();
    });
  return { name, child, lines, exited, waitFor, origin: '', instanceId: '' };
}
type Instance = ReturnType<typeof instance>;

async function started(server: Instance): Promise<Instance> {
  const ready = await server.waitFor((l) => l.msg === 'serving');
  server.origin = new URL(String(ready.url)).origin;
  server.instanceId = String(ready.instance);
  return server;
}

interface Answer {
  messageId: string;
  conversationId: string;
  replies: string[];
  status: string;
}

/** POSTs one message; rejects when the instance is gone (the connection died). */
async function post(origin: string, customer: string, text: string, messageId: string): Promise<Answer> {
  const response = await fetch(`${origin}/api/v1/bots/${SERVED_BOT}/conversations/${customer}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json', connection: 'close' },
    body: JSON.stringify({ text, messageId }),
  });
  const body = (await response.json()) as Answer;
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

const description = (customer: string, round: number) => `The lamp of ${customer} flickers (round ${round})`;
const script = (customer: string, round: number) => ['hi', 'c1', description(customer, round), 'high', 'yes'];
/** What the flow answers to message i of a conversation (its last reply). */
const EXPECTED: RegExp[] = [/customer number/, /Thanks, Ana Souza!/, /How urgent/, /Shall I open this support ticket for you\?/, /^Done! Your ticket number is (\S+)\./];

function tickets(): { description: string; id: string }[] {
  return ['a', 'b'].flatMap((name) => {
    const file = join(dir, `crm-${name}`, 'crm.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { tickets: { description: string; id: string }[] }).tickets : [];
  });
}

/** The instances' audit log, in the shared database, checked with the key they chained it with. */
async function verifyAudit(): Promise<AuditVerification> {
  const secrets = createEncryptedFileSecrets({ file: join(served.dataDir, 'secrets.enc'), masterKey: MASTER_KEY });
  const { key } = await loadAuditKey(secrets, { create: false });
  const storage = await postgresStorage(databaseUrl);
  try {
    return await storage.conversations(key ? { auditKey: key } : {}).verifyAudit();
  } finally {
    await storage.close();
  }
}

describe('two flowbot serve instances on one PostgreSQL', () => {
  it('are checked before they start: --check names a database that does not answer', () => {
    const check = (url: string) =>
      spawnSync(process.execPath, [BIN, 'serve', '--check', '--json', '--data-dir', served.dataDir, '--database', url], {
        env: { ...process.env, FLOWBOT_MASTER_KEY: MASTER_KEY },
        encoding: 'utf8',
      });
    const good = check(databaseUrl);
    expect(good.status, good.stdout).toBe(0);
    const bad = check('postgres://flowbot:s3cret@127.0.0.1:1/flowbot');
    expect(bad.status).toBe(1);
    const { problems } = JSON.parse(bad.stdout) as { problems: { field?: string; message: string }[] };
    expect(problems).toEqual([{ field: '--database', message: expect.stringContaining('postgres://flowbot:***@127.0.0.1:1/flowbot cannot be reached') }]);
    expect(bad.stdout).not.toContain('s3cret');
  });

  it('lose one to SIGKILL mid-run: every message answered once and in order, every write once, the audit chain intact, the bot’s lease on the survivor', async () => {
    const a = instance('a');
    const b = instance('b');
    await Promise.all([started(a), started(b)]);
    const db = new pg.Client(databaseUrl);
    await db.connect();
    try {
      // Both up: one of them holds the bot.
      await Promise.race([a, b].map((s) => s.waitFor((l) => l.msg === 'this instance holds the bot’s WhatsApp connection')));
      const holderId = String((await db.query<{ holder: string }>('SELECT holder FROM bot_leases WHERE bot = $1', [SERVED_BOT])).rows[0]!.holder);
      const victim = [a, b].find((s) => s.instanceId === holderId)!;
      const survivor = victim === a ? b : a;

      let answered = 0;
      let killed: Promise<void> | undefined;
      const retried: string[] = [];
      const answers = new Map<string, Answer>();
      /** When the victim's last lease runs out (the database's clock): read once it is dead and cannot renew. */
      let victimExpiresAt = 0;
      const kill = () =>
        (killed ??= (async () => {
          victim.child.kill('SIGKILL');
          await victim.exited;
          victimExpiresAt = Number((await db.query<{ expires_at: string }>('SELECT expires_at FROM bot_leases WHERE bot = $1', [SERVED_BOT])).rows[0]!.expires_at);
        })());

      const errors = () => JSON.stringify([a, b].flatMap((s) => s.lines.filter((l) => l.level !== "info" || l.msg.includes("failed")).map((l) => ({ instance: s.name, ...l }))).slice(0, 5));
      await Promise.all(
        Array.from({ length: CUSTOMERS }, async (_, c) => {
          const customer = `customer-${c}`;
          for (let round = 0; round < ROUNDS; round++) {
            const texts = script(customer, round);
            for (const [i, text] of texts.entries()) {
              const messageId = `${customer}-${round}-${i}`;
              // Spread over both instances; once the victim is gone, only the survivor.
              const first = killed ? survivor : (c + i) % 2 === 0 ? a : b;
              let answer: Answer;
              try {
                answer = await post(first.origin, customer, text, messageId);
              } catch (error) {
                // Only the kill may fail a request: then the client retries on the other instance, same messageId.
                if (first !== victim || !killed) throw new Error(`${messageId} on ${first.name}: ${String(error)} ${errors()}`);
                await killed;
                retried.push(messageId);
                answer = await post(survivor.origin, customer, text, messageId);
              }
              answers.set(messageId, answer);
              if (++answered === KILL_AFTER) void kill();
              if (answer.status === 'handed_off') return; // a write the crash left unsure went to a human: the bot is silent now
            }
          }
        }),
      );
      expect(killed, 'the victim was killed').toBeDefined();
      await killed;
      expect((await victim.exited).signal).toBe('SIGKILL');

      // Every message answered, each with the flow's next step: none handled twice or out of order.
      const done = new Map<string, string>(); // description -> ticket id the customer was told
      let handedOff = 0;
      for (let c = 0; c < CUSTOMERS; c++) {
        const customer = `customer-${c}`;
        let over = false;
        for (let round = 0; round < ROUNDS; round++) {
          for (let i = 0; i < 5; i++) {
            const answer = answers.get(`${customer}-${round}-${i}`);
            if (over) {
              expect(answer).toBeUndefined();
              continue;
            }
            expect(answer, `${customer} ${round} ${i}`).toBeDefined();
            if (answer!.status === 'handed_off') {
              // Only a confirmed write in hand at the kill whose result was lost: blocked on retry (its confirmation spent), never run twice.
              expect(i, JSON.stringify(answer)).toBe(4);
              expect(retried).toContain(`${customer}-${round}-${i}`);
              expect(answer!.replies).toEqual(['Sorry, I could not create the ticket. A colleague will take over this chat.']);
              handedOff++;
              over = true;
              continue;
            }
            expect(answer!.replies.at(-1) ?? '(no reply)', `${customer} ${round} ${i}: ${JSON.stringify(answer)}`).toMatch(EXPECTED[i]!);
            if (i === 4) done.set(description(customer, round), EXPECTED[4]!.exec(answer!.replies.at(-1)!)![1]!);
          }
        }
      }
      expect(retried.length, 'some messages were in hand at the kill').toBeGreaterThan(0);

      // Every confirmed write executed exactly once: one ticket per "Done!", with the number the customer was told; none twice.
      const written = tickets();
      const byDescription = new Map<string, string[]>();
      for (const t of written) byDescription.set(t.description, [...(byDescription.get(t.description) ?? []), t.id]);
      for (const [text, ids] of byDescription) expect(ids, text).toHaveLength(1);
      for (const [text, id] of done) expect(byDescription.get(text), text).toEqual([id]);
      expect(written.length - done.size).toBeLessThanOrEqual(handedOff);

      // The bot's lease moved to the survivor, less than a TTL after the victim's ran out.
      await survivor.waitFor((l) => l.msg === 'this instance took the bot’s WhatsApp connection over');
      const lease = (await db.query<{ holder: string; token: string; acquired_at: string }>('SELECT * FROM bot_leases WHERE bot = $1', [SERVED_BOT])).rows[0]!;
      expect(lease.holder).toBe(survivor.instanceId);
      expect(Number(lease.token)).toBe(2);
      expect(Number(lease.acquired_at)).toBeGreaterThanOrEqual(victimExpiresAt);
      expect(Number(lease.acquired_at) - victimExpiresAt).toBeLessThan(TTL_MS);

      // What an operator and a load balancer see: the survivor holds the bot, and is ready.
      const status = spawnSync(process.execPath, [BIN, 'serve', 'status', '--database', databaseUrl, '--json'], { encoding: 'utf8' });
      expect(status.status, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({ bots: [{ bot: SERVED_BOT, holder: survivor.instanceId, token: 2, live: true }] });
      const ready = await fetch(`${survivor.origin}/readyz`);
      expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);

      // The store moved: the conversations and the audit log are in the database, an executed
      // record for every "Done!" (a write whose instance died before recording it is the hand-off's).
      const count = async (sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0]!.n);
      expect(await count('SELECT COUNT(*) AS n FROM conversations')).toBeGreaterThanOrEqual(CUSTOMERS * ROUNDS - handedOff);
      const executed = await count(`SELECT COUNT(*) AS n FROM audit WHERE status = 'executed' AND tool = 'create_ticket'`);
      expect(executed).toBeGreaterThanOrEqual(done.size);
      expect(executed).toBeLessThanOrEqual(written.length);
      // The audit chain verifies, with the key the instances chained it with.
      expect(await verifyAudit()).toMatchObject({ ok: true });

      survivor.child.kill('SIGTERM');
      expect((await survivor.exited).code).toBe(0);
    } finally {
      for (const s of [a, b]) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
      await db.end();
    }
  });
});
