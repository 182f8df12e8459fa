// Scale-out bench (npm run bench:scale-out): messages/s through the HTTP chat API of real
// `flowbot serve` processes, same run, same flow (support-ticket: a read and a confirmed write on
// the example CRM over MCP, 5 messages per conversation), same load (BENCH_CUSTOMERS concurrent
// customers × BENCH_MESSAGES messages, each sent when the previous answer came back):
//
//   anchor   SQLite, one instance (`flowbot serve --data-dir`)
//   pg ×1    PostgreSQL, one instance (`--database`)
//   pg ×2    PostgreSQL, two instances, each customer's messages alternating between them
//
// Printed: messages/s and the ratio to the anchor, latency p50/p99, and where the time goes: CPU
// seconds per 1,000 messages in the serve processes (with their MCP servers), in PostgreSQL and in
// this client (the rest of the wall time is waiting: on locks, the disk, the loopback). The two instances share this
// machine's cores: on one machine ×2 measures coordination cost, not added capacity.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startScriptedLlmServer } from '../test/fixtures/scripted-llm-server';
import { startTestPostgres, type TestPostgres } from '../test/fixtures/test-postgres';
import { API_KEY, MASTER_KEY, SERVED_BOT, writeServedDataDir } from '../test/support/serve-data-dir';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 50);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10);
const BIN = resolve('bin/flowbot.js');
const tmp = mkdtempSync(join(tmpdir(), 'flowbot-bench-scale-'));

interface Mode {
  name: string;
  instances: number;
  postgres: boolean;
}
const MODES: Mode[] = [
  { name: 'sqlite ×1 (anchor)', instances: 1, postgres: false },
  { name: 'pg ×1', instances: 1, postgres: true },
  { name: 'pg ×2', instances: 2, postgres: true },
];

interface Result {
  mode: Mode;
  seconds: number;
  latencies: number[];
  problems: string[];
  cpu: { serve: number; postgres: number; client: number };
}

const TICKS = 100; // USER_HZ on Linux
/** CPU seconds of a process and all its descendants now alive (utime + stime + waited-for children). */
function treeCpu(root: number): number {
  const parent = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(entry), Number(fields[1]));
      cpu.set(Number(entry), (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICKS);
    } catch {
      // the process ended meanwhile
    }
  }
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parent.get(p)) if (p === root) return true;
    return false;
  };
  let total = 0;
  for (const [pid, seconds] of cpu) if (inTree(pid)) total += seconds;
  return total;
}

function startServe(dataDir: string, crmDir: string, databaseUrl?: string): Promise<{ child: ChildProcess; port: number }> {
  const { FLOWBOT_MASTER_KEY: _a, CREDENTIALS_DIRECTORY: _b, DATABASE_URL: _c, ...base } = process.env;
  const child = spawn(process.execPath, [BIN, 'serve', '--data-dir', dataDir, ...(databaseUrl ? ['--database', databaseUrl] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...base, FLOWBOT_MASTER_KEY: MASTER_KEY, FLOWBOT_TEST_CRM_DIR: crmDir },
  });
  return new Promise((resolveStart, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += String(chunk);
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      for (const line of parts) {
        const parsed = JSON.parse(line) as { msg: string; port?: number };
        if (parsed.msg === 'serving') resolveStart({ child, port: parsed.port! });
      }
    });
    child.on('exit', (code) => reject(new Error(`flowbot serve exited (${code}) before serving`)));
  });
}

const script = (c: number, round: number) => ['hi', 'c1', `The lamp of customer ${c} flickers (${round})`, 'high', 'yes'];
const EXPECTED = [/customer number/, /Thanks, Ana Souza!/, /How urgent/, /Shall I open this support ticket/, /^Done! Your ticket number is/];

async function run(mode: Mode, llmUrl: string, cluster: TestPostgres, index: number): Promise<Result> {
  const dir = join(tmp, `mode-${index}`);
  process.env.FLOWBOT_TEST_CRM_DIR = join(dir, 'crm-setup');
  const served = await writeServedDataDir(dir, llmUrl, {}, { env: 'FLOWBOT_TEST_CRM_DIR' });
  const databaseUrl = mode.postgres ? await cluster.createDatabase(`bench_${index}`) : undefined;
  const instances = await Promise.all(Array.from({ length: mode.instances }, (_, i) => startServe(served.dataDir, join(dir, `crm-${i}`), databaseUrl)));
  const agent = new Agent({ keepAlive: true, maxSockets: CUSTOMERS * 2 });
  const post = (port: number, customer: string, text: string, messageId: string) =>
    new Promise<{ status: number; replies: string[] }>((resolvePost, reject) => {
      const body = JSON.stringify({ text, messageId });
      const req = httpRequest(
        {
          agent,
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: `/api/v1/bots/${SERVED_BOT}/conversations/${customer}/messages`,
          headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolvePost({ status: res.statusCode ?? 0, replies: (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { replies?: string[] }).replies ?? [] }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  // Warm-up on every instance: the CRM servers started, the flows read.
  for (const [i, instance] of instances.entries()) for (const [m, text] of script(-1 - i, 0).entries()) await post(instance.port, `warmup-${i}`, text, `w-${i}-${m}`);

  const postmaster = Number(readFileSync(join(cluster.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const cpuNow = () => ({ serve: instances.reduce((sum, i) => sum + treeCpu(i.child.pid!), 0), postgres: treeCpu(postmaster), client: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6 });
  const cpu0 = cpuNow();
  const latencies: number[] = [];
  const problems: string[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CUSTOMERS }, async (_, c) => {
      for (let m = 0; m < MESSAGES; m++) {
        const round = Math.floor(m / 5);
        const i = m % 5;
        const port = instances[(c + m) % instances.length]!.port;
        const t = performance.now();
        const answer = await post(port, `customer-${c}`, script(c, round)[i]!, `m-${c}-${m}`);
        latencies.push(performance.now() - t);
        if (answer.status !== 200 || !EXPECTED[i]!.test(answer.replies.at(-1) ?? '')) problems.push(`customer ${c} message ${m}: HTTP ${answer.status} ${JSON.stringify(answer.replies)}`);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu1 = cpuNow();
  agent.destroy();
  for (const instance of instances) instance.child.kill('SIGTERM');
  await Promise.all(instances.map((i) => new Promise((done) => (i.child.exitCode !== null ? done(null) : i.child.on('exit', done)))));
  return {
    mode,
    seconds,
    latencies,
    problems,
    cpu: { serve: cpu1.serve - cpu0.serve, postgres: cpu1.postgres - cpu0.postgres, client: cpu1.client - cpu0.client },
  };
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

const llm = await startScriptedLlmServer();
const cluster = await startTestPostgres();
try {
  const total = CUSTOMERS * MESSAGES;
  const results: Result[] = [];
  for (const [i, mode] of MODES.entries()) results.push(await run(mode, llm.url, cluster, i));
  const anchor = total / results[0]!.seconds;
  const per1000 = (seconds: number) => `${((seconds / total) * 1000).toFixed(2)} s`;
  console.log(`Scale-out: ${CUSTOMERS} concurrent customers × ${MESSAGES} messages = ${total} per mode, flow support-ticket over HTTP`);
  console.log('  mode                 msg/s   ratio   p50 ms   p99 ms   CPU per 1,000 messages: serve(+MCP)   postgres   client');
  for (const r of results) {
    const rate = total / r.seconds;
    console.log(
      `  ${r.mode.name.padEnd(20)} ${rate.toFixed(0).padStart(5)}   ${(rate / anchor).toFixed(2).padStart(5)}   ${percentile(r.latencies, 50).toFixed(1).padStart(6)}   ${percentile(r.latencies, 99).toFixed(1).padStart(6)}` +
        `   ${per1000(r.cpu.serve).padStart(28)}   ${per1000(r.cpu.postgres).padStart(8)}   ${per1000(r.cpu.client).padStart(6)}`,
    );
  }
  console.log(
    JSON.stringify({
      bench: 'scale-out',
      customers: CUSTOMERS,
      messages: MESSAGES,
      modes: results.map((r) => ({ mode: r.mode.name, perSecond: total / r.seconds, ratio: total / r.seconds / anchor, p50: percentile(r.latencies, 50), p99: percentile(r.latencies, 99), cpu: r.cpu })),
    }),
  );
  const problems = results.flatMap((r) => r.problems.map((p) => `${r.mode.name}: ${p}`));
  if (problems.length) {
    console.log(`FAILED: ${problems.length} problems\n  ${problems.slice(0, 20).join('\n  ')}`);
    process.exitCode = 1;
  } else console.log('  every reply as expected, in order, for every customer, in every mode');
} finally {
  await llm.close();
  await cluster.stop();
  rmSync(tmp, { recursive: true, force: true });
}
