// Diagnostic for bench/mcp.ts (not part of `npm run bench`): where does a batch of 50
// concurrent calls spend its time on each side? Stamps, on the monotonic clock that both
// processes share (process.hrtime), from the batch's start:
//   client: the event loop's first free moment (setImmediate), the first and last request
//           written to the server's stdin, the first and last response handed to the SDK,
//           the moment every caller had its result;
//   server: (with PROBE_SERVER=1, bench/mcp/server-probe.mjs preloaded into the CRM server)
//           its first stdin read and how many requests that read carried, its first and last
//           response written.
// The SDK's Protocol and stdio transport are hooked, so every side is stamped by the same code.
//   npx tsx bench/mcp/probe.ts                       client stamps, all sides
//   PROBE_SERVER=1 npx tsx bench/mcp/probe.ts        plus the server's stamps
//   PROBE_SIDE=hub PROBE_BATCHES=2000 node --cpu-prof --import tsx bench/mcp/probe.ts
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { Protocol } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { SupervisedStdioTransport } from '../../src-main/adapters/mcp/stdio-transport';
import { openApprovalsStore } from '../../src-main/adapters/store/approvals-store';
import { openBare, openGoverned, openHub, workspaceConfig, type ServerSpec, type Session, type SideName } from './clients';
import { fmt, median } from './stats';

const IN_FLIGHT = 50;
const BATCHES = Number(process.env.PROBE_BATCHES ?? '200');
const only = process.env.PROBE_SIDE as SideName | undefined;
const withServer = process.env.PROBE_SERVER === '1';
const now = (): number => Number(process.hrtime.bigint()) / 1e6;

let sends: number[] = [];
let responses: number[] = [];
let chunks = 0;
let recording = false;

type Send = StdioClientTransport['send'];
for (const proto of [StdioClientTransport.prototype, SupervisedStdioTransport.prototype]) {
  const orig = proto.send as Send;
  proto.send = function (this: StdioClientTransport, ...args: Parameters<Send>) {
    const p = orig.apply(this, args);
    if (recording) sends.push(now());
    return p;
  } as Send;
}
const transportProto = StdioClientTransport.prototype as unknown as { processReadBuffer: () => void };
const origProcess = transportProto.processReadBuffer;
transportProto.processReadBuffer = function (this: unknown) {
  if (recording) chunks++;
  origProcess.call(this);
};
const protocol = Protocol.prototype as unknown as { _onresponse: (r: unknown) => void };
const origOnResponse = protocol._onresponse;
protocol._onresponse = function (this: unknown, r: unknown) {
  if (recording) responses.push(now());
  origOnResponse.call(this, r);
};

const tmp = mkdtempSync(join(os.tmpdir(), 'flowbot-bench-mcp-probe-'));
const baseSpec = { script: fileURLToPath(new URL('../../examples/crm-server/index.js', import.meta.url)), crmDataDir: join(tmp, 'crm'), cwd: tmp };
const statsFile = (side: SideName) => join(tmp, `${side}.json`);
const specFor = (side: SideName): ServerSpec =>
  withServer
    ? { ...baseSpec, nodeArgs: ['--import', fileURLToPath(new URL('./server-probe.mjs', import.meta.url))], env: { PROBE_STATS_FILE: statsFile(side) } }
    : baseSpec;
const approvals = openApprovalsStore(join(tmp, 'data'));

interface Batch {
  t0: number;
  end: number;
  loopFree: number;
  firstSend: number;
  lastSend: number;
  firstResp: number;
  lastResp: number;
  respChunks: number;
  callP50: number;
}

async function batch(s: Session): Promise<Batch> {
  sends = [];
  responses = [];
  chunks = 0;
  const lat: number[] = [];
  recording = true;
  const t0 = now();
  let loopFree = 0;
  setImmediate(() => (loopFree = now() - t0));
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      const issued = now();
      await s.call();
      lat.push(now() - issued);
    }),
  );
  const end = now();
  recording = false;
  return {
    t0,
    end,
    loopFree,
    firstSend: Math.min(...sends) - t0,
    lastSend: Math.max(...sends) - t0,
    firstResp: Math.min(...responses) - t0,
    lastResp: Math.max(...responses) - t0,
    respChunks: chunks,
    callP50: median(lat),
  };
}

interface ServerSide {
  firstRead: number;
  firstReadRequests: number;
  reads: number;
  firstWrite: number;
  lastWrite: number;
}

function serverSide(events: [number, 'r' | 'w', number][], b: Batch): ServerSide {
  const inBatch = events.filter(([t]) => t >= b.t0 && t <= b.end);
  const reads = inBatch.filter((e) => e[1] === 'r');
  const writes = inBatch.filter((e) => e[1] === 'w');
  return {
    firstRead: (reads[0]?.[0] ?? Number.NaN) - b.t0,
    firstReadRequests: reads[0]?.[2] ?? Number.NaN,
    reads: reads.length,
    firstWrite: (writes[0]?.[0] ?? Number.NaN) - b.t0,
    lastWrite: (writes[writes.length - 1]?.[0] ?? Number.NaN) - b.t0,
  };
}

async function main(): Promise<void> {
  const sides: SideName[] = only ? [only] : ['bare', 'hub', 'governed'];
  const sessions: Session[] = [];
  for (const side of sides) {
    const spec = specFor(side);
    const config = workspaceConfig(spec);
    sessions.push(side === 'bare' ? await openBare(spec) : side === 'hub' ? await openHub(spec, config) : await openGoverned(spec, config, approvals));
  }
  const batches = new Map<SideName, Batch[]>(sides.map((s) => [s, []]));
  try {
    for (let i = 0; i < 3000; i++) for (const s of sessions) await s.call();
    for (let i = 0; i < 30; i++) for (const s of sessions) await batch(s);
    for (let b = 0; b < BATCHES; b++) {
      for (let k = 0; k < sessions.length; k++) {
        const s = sessions[(b + k) % sessions.length]!;
        batches.get(s.side)!.push(await batch(s));
      }
    }
  } finally {
    await Promise.allSettled(sessions.map((s) => s.close()));
    approvals.close();
  }
  const col = (x: number, w = 9) => fmt(x, 3).padStart(w);
  console.log(`Medians over ${BATCHES} batches of ${IN_FLIGHT} concurrent calls per side; ms from the batch's start.`);
  console.log(`${'client'.padEnd(10)}${['loop free', '1st send', 'last send', '1st resp', 'last resp', 'all done', 'call p50', 'resp chunks'].map((h) => h.padStart(12)).join('')}`);
  for (const [side, bs] of batches) {
    const m = (k: keyof Batch) => col(median(bs.map((b) => b[k])), 12);
    console.log(`${side.padEnd(10)}${m('loopFree')}${m('firstSend')}${m('lastSend')}${m('firstResp')}${m('lastResp')}${col(median(bs.map((b) => b.end - b.t0)), 12)}${m('callP50')}${m('respChunks')}`);
  }
  if (withServer) {
    console.log(`\n${'server'.padEnd(10)}${['1st read', 'its reqs', 'reads', '1st write', 'last write'].map((h) => h.padStart(12)).join('')}`);
    for (const [side, bs] of batches) {
      const events = JSON.parse(readFileSync(statsFile(side), 'utf8')) as [number, 'r' | 'w', number][];
      const ss = bs.map((b) => serverSide(events, b));
      const m = (k: keyof ServerSide) => col(median(ss.map((x) => x[k])), 12);
      console.log(`${side.padEnd(10)}${m('firstRead')}${m('firstReadRequests')}${m('reads')}${m('firstWrite')}${m('lastWrite')}`);
    }
  }
  rmSync(tmp, { recursive: true, force: true });
}

await main();
