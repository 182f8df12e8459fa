// The kill test: 50 crash/restart cycles under concurrent calls, with the server in its OS
// sandbox (issue 19) as the app and the CLI run it. Every call settles (a result, or a clear
// error), the circuit stays closed because the crashes are spread out, no process is left
// behind (neither the server nor its bwrap: checked in /proc, nor a start's temp folder), and the
// server works at the end.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { McpServerError } from '../../src-main/adapters/mcp/mcp-hub';
import { alive, delay, hubFactory, node, processesWith, settleWithin, waitFor } from '../fixtures/mcp-servers/harness';

const { open, closeAll } = hubFactory();
afterEach(closeAll);
const dataDir = mkdtempSync(join(tmpdir(), 'flowbot-mcp-kill-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const CYCLES = 50;
/** Generous: a settled call never comes near it; only a hung call reaches it. */
const SETTLE_BOUND_MS = 15_000;
const policy = { baseDelayMs: 5, factor: 2, maxDelayMs: 50, maxCrashes: 5, windowMs: 200 };
/** Waited after each cycle, so that maxCrashes crashes always span more than the window. */
const SPACING_MS = Math.ceil(policy.windowMs / (policy.maxCrashes - 1)) + 5;

it(`${CYCLES} crash/restart cycles under concurrent calls leave no hung call, no orphan, and a working server`, async () => {
  const hub = open({ x: node('crash-on-demand.js') }, { restart: policy, sandbox: { settings: { dataDirs: [dataDir], workRoot: join(dataDir, 'mcp-servers') } } });
  const pids = new Set<number>();
  const outcomes = { resolved: 0, exited: 0, other: [] as string[] };

  await hub.connect('x');
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const pid = hub.pid('x');
    if (pid !== undefined) pids.add(pid);
    // Calls in flight when the crash comes, quick ones, a tool list, the crash itself...
    const calls: Promise<unknown>[] = [
      hub.callTool('x', 'work', { ms: 30_000 }),
      hub.callTool('x', 'work', { ms: 30_000 }),
      hub.callTool('x', 'work', { ms: 0 }),
      hub.listTools('x'),
      hub.callTool('x', 'crash', {}),
    ];
    // ...and calls that arrive while it is down or restarting: they wait for the new process.
    await delay(cycle % 3 === 0 ? 0 : 5);
    calls.push(hub.callTool('x', 'work', { ms: 1 }), hub.listTools('x'));

    const settled = await Promise.all(calls.map((c) => settleWithin(c, SETTLE_BOUND_MS)));
    for (const s of settled) {
      expect(s, `cycle ${cycle}: a call hung`).not.toBe('hung');
      if (s === 'hung') continue;
      if (s.ok) outcomes.resolved++;
      else if (s.error instanceof McpServerError && s.error.kind === 'exited' && s.error.message.includes('exit code 9')) outcomes.exited++;
      else outcomes.other.push(s.error instanceof Error ? `${(s.error as McpServerError).kind}: ${s.error.message}` : String(s.error));
    }
    await delay(SPACING_MS);
  }

  // Every crash was followed by a restart; the circuit never opened.
  expect(outcomes.other).toEqual([]);
  expect(hub.eventsOf('crashed').length).toBe(CYCLES);
  expect(hub.eventsOf('circuit_open')).toEqual([]);
  expect(outcomes.exited).toBeGreaterThanOrEqual(CYCLES * 3); // the two long calls and the crash call, each cycle

  // A working server at the end.
  const last = await hub.callTool('x', 'work', { ms: 0 });
  expect(last.text).toMatch(/^done by \d+$/); // its pid inside the sandbox's own PID namespace
  for (const e of hub.eventsOf('ready')) if (e.type === 'ready' && e.detail.pid) pids.add(e.detail.pid);
  expect(pids.size).toBe(CYCLES + 1);

  // Only the current process is alive; after close, none is.
  const current = hub.pid('x')!;
  expect([...pids].filter((p) => p !== current && alive(p))).toEqual([]);
  expect(hub.status('x').sandbox).toEqual({ on: true });
  await hub.close();
  expect([...pids].filter(alive)).toEqual([]);
  await waitFor(() => processesWith(join(dataDir, 'mcp-servers')).length === 0, 'no sandbox process left', 5_000);
  // Each start had a temp folder of its own: none is left.
  await waitFor(() => readdirSync(tmpdir()).every((n) => !n.startsWith(`flowbot-mcp-${process.pid}-`)), 'no temp folder left', 5_000);
}, 300_000);
