// MCP client benchmark (npm run bench:mcp). Our MCP adapter against the bare SDK client on the
// same server, in the same process run; read the ratios, not the absolute times. Never copy
// these numbers into tests as thresholds (DESIGN, Standards).
//
// Sides (bench/mcp/clients.ts), each with its own examples/crm-server process:
//   bare      the SDK's Client + StdioClientTransport (the anchor)
//   hub       createMcpHub (src-main/adapters/mcp/mcp-hub.ts), as the app builds it
//   governed  createGovernedMcp around a hub, approvals in SQLite (what the runner really calls)
// Measured, tool get_order_status {orderId: "A100"}, in ROUNDS rounds, each with fresh server
// processes and a long interleaved warm-up (both ends of the pipe keep getting faster for
// ~1,500 calls):
//   1. sequential: 1,000 calls one after another per side, per-call p50/p99, the sides
//      alternating every 20 calls (rotating which goes first);
//   2. concurrent: 50 calls in flight at once (Promise.all), per-call p50/p99 (issue to
//      result) and the batch's wall time; the sides alternate batch by batch;
// then 3. cold start: spawn -> initialize -> tools/list, sides alternating, p50.
// Reported: medians over rounds, the ratio ours/bare of those, and the range of the per-round
// ratios. Also our process's CPU time per call (info). BENCH_SCALE=0.2: a quick, noisier look.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openApprovalsStore, type ApprovalsStoreSync } from '../src-main/adapters/store/approvals-store';
import { openBare, openGoverned, openHub, workspaceConfig, type ServerSpec, type Session, type SideName } from './mcp/clients';
import { dur, fmt, mean, median, quantile, ratio, round, table } from './mcp/stats';

// ---- sizes (25–40 s on a busy 2-vCPU machine) -----------------------------------------

const SCALE = Math.max(0.05, Number(process.env.BENCH_SCALE ?? '1') || 1);
const scaled = (x: number, min = 1): number => Math.max(min, Math.round(x * SCALE));

const ROUNDS = scaled(5, 2); // each with a fresh server process per side
const FIRST_WARMUP_CALLS = scaled(3_000, 100); // sequential, per side, first round
const WARMUP_CALLS = scaled(2_000, 100); // sequential, per side, later rounds (the servers are new)
const WARMUP_BATCHES = scaled(10, 2); // of 50 concurrent calls, per side and round
const SEQ_CALLS = 1_000; // per round and side (the issue's "1,000 sequential calls")
const SEQ_CHUNK = 20; // sides alternate every SEQ_CHUNK calls (small: the VM's load shifts within milliseconds)
const IN_FLIGHT = 50;
const CONC_BATCHES = scaled(20, 2); // per round and side
const COLD_WARMUP = 2; // untimed cold starts per side (first spawns pay for disk cache, JIT of our code)
const COLD_RUNS = scaled(15, 5); // timed, per side
const TARGET = 1.2;

const SIDES: readonly SideName[] = ['bare', 'hub', 'governed'];
/** Rotates the side order so that no side always goes first. */
const order = (k: number): SideName[] => SIDES.map((_, i) => SIDES[(i + k) % SIDES.length]!);
const perSide = <T>(make: () => T): Record<SideName, T> => ({ bare: make(), hub: make(), governed: make() });

// ---- setup and cleanup -----------------------------------------------------------------

const CRM = fileURLToPath(new URL('../examples/crm-server/index.js', import.meta.url));
const tmp = mkdtempSync(join(os.tmpdir(), 'flowbot-bench-mcp-'));
const spec: ServerSpec = { script: CRM, crmDataDir: join(tmp, 'crm'), cwd: tmp };
const config = workspaceConfig(spec);
const open = new Set<Session>();
const spawned = new Set<number>();
let approvals: ApprovalsStoreSync | undefined;

async function openSide(side: SideName): Promise<Session> {
  const session =
    side === 'bare' ? await openBare(spec) : side === 'hub' ? await openHub(spec, config) : await openGoverned(spec, config, approvals!);
  open.add(session);
  if (session.pid !== undefined) spawned.add(session.pid);
  if (session.tools < 1) throw new Error(`bench/mcp: ${side} listed no tools`);
  return session;
}

async function closeSession(session: Session): Promise<void> {
  open.delete(session);
  await session.close();
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Our child processes running the CRM server (Linux /proc; [] elsewhere). Not tsx's esbuild service. */
function serverChildren(): number[] {
  if (process.platform !== 'linux') return [];
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(CRM)) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

async function cleanup(): Promise<{ orphans: number[] }> {
  await Promise.allSettled([...open].map((s) => closeSession(s)));
  try {
    approvals?.close();
  } catch {
    // already closed
  }
  approvals = undefined;
  rmSync(tmp, { recursive: true, force: true });
  const orphans = [...new Set([...[...spawned].filter(alive), ...serverChildren()])];
  return { orphans };
}

process.once('SIGINT', () => {
  void cleanup().finally(() => process.exit(130));
});

// ---- measurements ----------------------------------------------------------------------

let wrong = 0;
const expectShipped = (status: string | undefined): void => {
  if (status !== 'shipped') wrong++;
};

async function sequential(s: Session, n: number, out?: number[]): Promise<void> {
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const status = await s.call();
    const dt = performance.now() - t0;
    out?.push(dt);
    expectShipped(status);
  }
}

/** IN_FLIGHT calls issued at once; per-call latency from its issue to its result. */
async function batch(s: Session, latencies?: number[]): Promise<number> {
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      const issued = performance.now();
      const status = await s.call();
      latencies?.push(performance.now() - issued);
      expectShipped(status);
    }),
  );
  return performance.now() - t0;
}

/** The CPUs this process (and the servers it spawns) may run on, e.g. "0-1" (Linux; "?" elsewhere). */
function cpusAllowed(): string {
  try {
    return /^Cpus_allowed_list:\s*(.+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]?.trim() ?? '?';
  } catch {
    return '?';
  }
}

/** CPU milliseconds of this process since `start`. */
const cpuMs = (start: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
};

interface Quantiles {
  p50: number;
  p99: number;
}
interface ConcRep extends Quantiles {
  batch: number;
}

async function main(): Promise<void> {
  const started = performance.now();
  const load0 = os.loadavg()[0]!;
  approvals = openApprovalsStore(join(tmp, 'data'));

  const seqReps = perSide<Quantiles[]>(() => []);
  const seqAll = perSide<number[]>(() => []);
  // Our process's CPU time (user + system, all threads: includes GC) per call: the client's
  // own cost, which the server's work and the machine's load blur much less than latency.
  const seqCpu = perSide<number[]>(() => []);
  const concReps = perSide<ConcRep[]>(() => []);
  const concCpu = perSide<number[]>(() => []);

  // Each round starts a fresh server per side: where the scheduler places a server process
  // (same vCPU as us or the other one) sticks to that process and changes a sequential round
  // trip by up to 2×, so a single set of processes can favour one side for a whole run.
  for (let rep = 0; rep < ROUNDS; rep++) {
    const sessions = {} as Record<SideName, Session>;
    for (const side of order(rep)) sessions[side] = await openSide(side);

    // ---- warm-up (interleaved): longer in the first round (our code's JIT as well) ----------
    const warmup = rep === 0 ? FIRST_WARMUP_CALLS : WARMUP_CALLS;
    for (let k = 0; k < warmup / SEQ_CHUNK; k++) for (const side of order(k)) await sequential(sessions[side], SEQ_CHUNK);

    // ---- 1. sequential (before any concurrent load, which moves processes between vCPUs) ----
    const samples = perSide<number[]>(() => []);
    for (let c = 0; c < SEQ_CALLS / SEQ_CHUNK; c++) {
      for (const side of order(rep + c)) {
        const cpu0 = process.cpuUsage();
        await sequential(sessions[side], SEQ_CHUNK, samples[side]);
        seqCpu[side].push(cpuMs(cpu0) / SEQ_CHUNK);
      }
    }
    for (const side of SIDES) {
      seqReps[side].push({ p50: median(samples[side]), p99: quantile(samples[side], 0.99) });
      seqAll[side].push(...samples[side]);
    }

    // ---- 2. concurrent ---------------------------------------------------------------------
    for (let k = 0; k < WARMUP_BATCHES; k++) for (const side of order(k)) await batch(sessions[side]);
    const lat = perSide<number[]>(() => []);
    const walls = perSide<number[]>(() => []);
    for (let b = 0; b < CONC_BATCHES; b++) {
      for (const side of order(rep + b)) {
        const cpu0 = process.cpuUsage();
        walls[side].push(await batch(sessions[side], lat[side]));
        concCpu[side].push(cpuMs(cpu0) / IN_FLIGHT);
      }
    }
    for (const side of SIDES) concReps[side].push({ p50: median(lat[side]), p99: quantile(lat[side], 0.99), batch: median(walls[side]) });

    for (const side of SIDES) await closeSession(sessions[side]);
  }

  // ---- 3. cold start ---------------------------------------------------------------------
  const cold = perSide<number[]>(() => []);
  const closeMs = perSide<number[]>(() => []);
  for (let i = 0; i < COLD_WARMUP + COLD_RUNS; i++) {
    for (const side of order(i)) {
      const t0 = performance.now();
      const s = await openSide(side);
      const t1 = performance.now();
      expectShipped(await s.call());
      const t2 = performance.now();
      await closeSession(s);
      if (i >= COLD_WARMUP) {
        cold[side].push(t1 - t0);
        closeMs[side].push(performance.now() - t2);
      }
    }
  }

  const { orphans } = await cleanup();
  const totalS = (performance.now() - started) / 1000;
  if (wrong) throw new Error(`bench/mcp: ${wrong} calls did not return the expected order status`);

  // ---- report ----------------------------------------------------------------------------
  const med = (xs: number[]) => median(xs);
  const pick = <K extends string>(reps: Record<SideName, Record<K, number>[]>, key: K): Record<SideName, number> => ({
    bare: med(reps.bare.map((r) => r[key])),
    hub: med(reps.hub.map((r) => r[key])),
    governed: med(reps.governed.map((r) => r[key])),
  });
  /** Per-round ratios ours/bare, as "min–max" (how stable the ratio is). */
  const spreadOf = <K extends string>(reps: Record<SideName, Record<K, number>[]>, key: K, side: SideName): string => {
    const rs = reps[side].map((r, i) => r[key] / reps.bare[i]![key]);
    return `${fmt(Math.min(...rs))}–${fmt(Math.max(...rs))}`;
  };

  const seq = { p50: pick(seqReps, 'p50'), p99: pick(seqReps, 'p99') };
  const conc = { p50: pick(concReps, 'p50'), p99: pick(concReps, 'p99'), batch: pick(concReps, 'batch') };
  const coldP50 = { bare: med(cold.bare), hub: med(cold.hub), governed: med(cold.governed) };
  const closeP50 = { bare: med(closeMs.bare), hub: med(closeMs.hub), governed: med(closeMs.governed) };
  const seqMean = { bare: mean(seqAll.bare), hub: mean(seqAll.hub), governed: mean(seqAll.governed) };
  const cpuSeq = { bare: mean(seqCpu.bare), hub: mean(seqCpu.hub), governed: mean(seqCpu.governed) };
  const cpuConc = { bare: mean(concCpu.bare), hub: mean(concCpu.hub), governed: mean(concCpu.governed) };

  type Metric = { label: string; key: string; v: Record<SideName, number>; spread?: (side: SideName) => string; target: boolean };
  const metrics: Metric[] = [
    { label: `sequential p50 (${SEQ_CALLS.toLocaleString('en-US')} calls × ${ROUNDS})`, key: 'seqP50', v: seq.p50, spread: (s) => spreadOf(seqReps, 'p50', s), target: true },
    { label: 'sequential p99', key: 'seqP99', v: seq.p99, spread: (s) => spreadOf(seqReps, 'p99', s), target: true },
    { label: 'sequential mean (all calls)', key: 'seqMean', v: seqMean, target: false },
    { label: `concurrent p50 (${IN_FLIGHT} in flight, ${CONC_BATCHES} batches × ${ROUNDS})`, key: 'concP50', v: conc.p50, spread: (s) => spreadOf(concReps, 'p50', s), target: true },
    { label: 'concurrent p99', key: 'concP99', v: conc.p99, spread: (s) => spreadOf(concReps, 'p99', s), target: true },
    { label: `concurrent batch wall time (${IN_FLIGHT} calls)`, key: 'concBatch', v: conc.batch, spread: (s) => spreadOf(concReps, 'batch', s), target: true },
    { label: `cold start p50 (spawn→tools/list, ${COLD_RUNS} each)`, key: 'coldP50', v: coldP50, target: true },
    { label: 'close after cold start p50 (info)', key: 'closeP50', v: closeP50, target: false },
    { label: 'client CPU per call, sequential (info)', key: 'cpuSeq', v: cpuSeq, target: false },
    { label: 'client CPU per call, concurrent (info)', key: 'cpuConc', v: cpuConc, target: false },
  ];

  const cpu = os.cpus()[0]?.model.trim() ?? '?';
  console.log(`Flowbot MCP bench — ${new Date().toISOString()} — node ${process.version}, ${os.cpus().length} CPU (${cpu}), CPUs allowed ${cpusAllowed()}, load avg ${fmt(load0)} → ${fmt(os.loadavg()[0]!)}`);
  console.log(`Server: examples/crm-server (stdio, ${process.execPath}); tool get_order_status {orderId:"A100"}; each side has its own process.`);
  table(
    `Medians over ${ROUNDS} rounds (fresh servers each); ratio = ours / bare SDK client, this run; range = per-round ratios`,
    ['', 'bare SDK', 'hub', 'hub/bare', 'range', 'governed', 'gov/bare', 'range'],
    metrics.map((m) => [
      m.label,
      dur(m.v.bare),
      dur(m.v.hub),
      ratio(m.v.hub / m.v.bare),
      m.spread?.('hub') ?? '',
      dur(m.v.governed),
      ratio(m.v.governed / m.v.bare),
      m.spread?.('governed') ?? '',
    ]),
  );

  const ratios = Object.fromEntries(
    (['hub', 'governed'] as const).map((side) => [side, Object.fromEntries(metrics.map((m) => [m.key, round(m.v[side] / m.v.bare, 3)]))]),
  ) as Record<'hub' | 'governed', Record<string, number>>;
  const over = (side: 'hub' | 'governed') => metrics.filter((m) => m.target && m.v[side] / m.v.bare > TARGET).map((m) => m.key);
  for (const side of ['hub', 'governed'] as const) {
    const o = over(side);
    console.log(`\n${side}: ${o.length ? `ratios above ${TARGET}: ${o.join(', ')}` : `all target ratios ≤ ${TARGET}`}`);
  }
  console.log(`\nServer processes spawned: ${spawned.size}; still running after close: ${orphans.length ? orphans.join(', ') : 'none'}; temp dir removed. Total ${fmt(totalS, 1)} s.`);

  const abs = (v: Record<SideName, number>) => ({ bare: round(v.bare), hub: round(v.hub), governed: round(v.governed) });
  console.log(
    JSON.stringify({
      bench: 'mcp',
      date: new Date().toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      cpusAllowed: cpusAllowed(),
      loadAvg: round(load0, 3),
      target: TARGET,
      sequential: { calls: SEQ_CALLS, rounds: ROUNDS, p50Ms: abs(seq.p50), p99Ms: abs(seq.p99), meanMs: abs(seqMean) },
      concurrent: { inFlight: IN_FLIGHT, batches: CONC_BATCHES * ROUNDS, p50Ms: abs(conc.p50), p99Ms: abs(conc.p99), batchMs: abs(conc.batch) },
      coldStart: { runs: COLD_RUNS, p50Ms: abs(coldP50), closeP50Ms: abs(closeP50) },
      clientCpuPerCallMs: { sequential: abs(cpuSeq), concurrent: abs(cpuConc) },
      ratios,
      withinTarget: { hub: over('hub').length === 0, governed: over('governed').length === 0 },
      processesSpawned: spawned.size,
      orphans: orphans.length,
      totalSeconds: round(totalS, 3),
    }),
  );
  if (orphans.length) process.exitCode = 1;
}

main().catch(async (err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  await cleanup().catch(() => undefined);
  process.exitCode = 1;
});
