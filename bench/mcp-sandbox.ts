// The OS sandbox's cost (npm run bench:mcp, after bench/mcp.ts; issue 19): the same hub and
// example CRM server, sandboxed (bubblewrap through @anthropic-ai/sandbox-runtime, network
// none, its data folder granted) and unsandboxed, in one run, sides alternating. Reported:
// cold start (spawn -> initialize -> tools/list, a new hub each time, so each sandboxed start
// also builds its bubblewrap line) and sequential call latency, p50, and the ratio
// sandboxed/unsandboxed against the goals (cold start <= 1.3x, calls <= 1.1x). The ratio is the
// median of paired ratios (each pair measured back to back: a start of each side, or a chunk of
// calls on each side), so a load that comes and goes during the run moves both sides of a pair;
// ±x % is the median absolute deviation of the pairs. Read the ratios, not the absolute times.
// BENCH_SCALE=0.2 for a quick, noisier look.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createMcpHub, sandboxSupport, type McpHub } from '../src-main/adapters/mcp/mcp-hub';
import { median, round } from './mcp/stats';

const SCALE = Math.max(0.05, Number(process.env.BENCH_SCALE ?? '1') || 1);
const COLD_RUNS = Math.max(3, Math.round(12 * SCALE));
const WARMUP_CALLS = Math.max(200, Math.round(2_000 * SCALE));
const CALLS = Math.max(500, Math.round(5_000 * SCALE));
const CHUNK = 50;
const GOALS = { cold: 1.3, call: 1.1 };

const support = sandboxSupport();
if (!support.available) {
  console.log(`bench:mcp sandbox: skipped, no sandbox on this machine (${support.reason})`);
  process.exit(0);
}

const CRM = fileURLToPath(new URL('../examples/crm-server/index.js', import.meta.url));
const tmp = mkdtempSync(join(os.tmpdir(), 'flowbot-bench-sandbox-'));
const dataDir = join(tmp, 'studio-data');
const crmData = join(tmp, 'crm');
type Side = 'plain' | 'sandboxed';

function hub(side: Side): McpHub {
  return createMcpHub({
    servers: { crm: { command: process.execPath, args: [CRM], env: { CRM_DATA_DIR: crmData }, sandbox: { folders: [{ path: crmData, access: 'write' }] } } },
    resolveValue: async (v) => (typeof v === 'string' ? v : ''),
    cwd: tmp,
    ...(side === 'sandboxed' ? { sandbox: { settings: { dataDirs: [dataDir], workRoot: join(dataDir, 'mcp-servers') } } } : {}),
  });
}

const call = (h: McpHub) => h.callTool('crm', 'get_order_status', { orderId: 'A100' });

async function main() {
  const cold: Record<Side, number[]> = { plain: [], sandboxed: [] };
  const coldPairs: number[] = [];
  for (let i = 0; i < COLD_RUNS + 1; i++) {
    const pair = {} as Record<Side, number>;
    for (const side of (i % 2 ? ['plain', 'sandboxed'] : ['sandboxed', 'plain']) as Side[]) {
      const h = hub(side);
      const t0 = performance.now();
      await h.listTools('crm');
      pair[side] = performance.now() - t0;
      await h.close();
    }
    if (i === 0) continue; // the first of each side warms the disk cache
    for (const side of ['plain', 'sandboxed'] as Side[]) cold[side].push(pair[side]);
    coldPairs.push(pair.sandboxed / pair.plain);
  }
  const hubs: Record<Side, McpHub> = { plain: hub('plain'), sandboxed: hub('sandboxed') };
  for (const h of Object.values(hubs)) for (let i = 0; i < WARMUP_CALLS; i++) await call(h);
  const calls: Record<Side, number[]> = { plain: [], sandboxed: [] };
  const callPairs: number[] = [];
  for (let done = 0, k = 0; done < CALLS; done += CHUNK, k++) {
    const chunk: Record<Side, number[]> = { plain: [], sandboxed: [] };
    for (const side of (k % 2 ? ['plain', 'sandboxed'] : ['sandboxed', 'plain']) as Side[]) {
      for (let i = 0; i < CHUNK; i++) {
        const t0 = performance.now();
        await call(hubs[side]);
        chunk[side].push(performance.now() - t0);
      }
      calls[side].push(...chunk[side]);
    }
    callPairs.push(median(chunk.sandboxed) / median(chunk.plain));
  }
  await Promise.all(Object.values(hubs).map((h) => h.close()));
  const rows = [
    { what: 'cold start p50 (ms)', plain: median(cold.plain), sandboxed: median(cold.sandboxed), pairs: coldPairs, goal: GOALS.cold },
    { what: 'call p50 (ms)', plain: median(calls.plain), sandboxed: median(calls.sandboxed), pairs: callPairs, goal: GOALS.call },
  ];
  console.log('\n== MCP server sandbox: sandboxed vs unsandboxed (same hub, example CRM)');
  for (const r of rows) {
    const ratio = median(r.pairs);
    const spread = Math.round((100 * median(r.pairs.map((x) => Math.abs(x - ratio)))) / ratio);
    console.log(
      `${r.what.padEnd(22)} unsandboxed ${String(round(r.plain, 3)).padStart(8)}  sandboxed ${String(round(r.sandboxed, 3)).padStart(8)}  ratio ${round(ratio, 3)}x ±${spread} %  (goal <= ${r.goal}x: ${ratio <= r.goal ? 'met' : 'NOT met'})`,
    );
  }
  console.log(`(${COLD_RUNS} cold starts and ${CALLS} calls per side, ${callPairs.length} call chunks; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')})`);
}

try {
  await main();
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
