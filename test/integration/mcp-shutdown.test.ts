// No orphan server processes when the app or the CLI is stopped: SIGTERM and SIGINT close the
// servers gracefully before exiting; any other exit kills what is left.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliProcess } from '../support/cli-process';
import { flow, flowText, line, n } from '../unit/flow-builders';
import { alive, fixture, processesWith, root, waitFor } from '../fixtures/mcp-servers/harness';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowbot-mcp-shutdown-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts hub-host.ts; resolves once its servers run, with their pids. */
function startHost(mode: 'signal' | 'exit' | 'throw') {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture('hub-host.ts'), mode, join(dir, `host-${mode}`)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const pids = new Promise<number[]>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { pids: number[] }).pids);
    });
    void exited.then(() => reject(new Error(`hub-host exited early: ${err}`)));
  });
  return { child, pids, exited, stderr: () => err };
}

describe('a host process with the shutdown hooks', () => {
  for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    it(`${signal} stops every server gracefully, then exits with ${code}`, async () => {
      const host = startHost('signal');
      const pids = await host.pids;
      expect(pids.length).toBe(3);
      expect(pids.every(alive)).toBe(true);
      host.child.kill(signal);
      expect(await host.exited).toEqual({ code, signal: null });
      expect(host.stderr()).toContain(`hub-host: ${signal}, closing`);
      // Closed before the host exited: nothing is left, not even the one that ignores SIGTERM,
      // nor any sandbox (bwrap) process around them.
      expect(pids.filter(alive)).toEqual([]);
      expect(processesWith(join(dir, 'host-signal'))).toEqual([]);
    });
  }

  for (const mode of ['exit', 'throw'] as const) {
    it(`process ${mode === 'exit' ? 'exit without closing' : 'death by an uncaught exception'} still kills every server`, async () => {
      const host = startHost(mode);
      const pids = await host.pids;
      const { code } = await host.exited;
      expect(code).toBe(mode === 'exit' ? 0 : 1);
      await waitFor(() => pids.every((p) => !alive(p)) && processesWith(join(dir, `host-${mode}`)).length === 0, 'the servers and their sandboxes to be gone', 5_000);
    });
  }
});

describe('flowbot chat', () => {
  for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    it(`${signal} while waiting for the customer leaves no server running (exit ${code})`, async () => {
      // The server runs sandboxed (issue 19): it may write only to the folder granted to it, and
      // its pid inside is its sandbox's own, so the host's processes are found by command line.
      const out = join(dir, `out-${signal}`);
      const pidFile = join(out, 'env.json');
      const configPath = join(dir, `workspace-${signal}.json`);
      writeFileSync(configPath, JSON.stringify({
        mcpServers: { env: { command: process.execPath, args: [fixture('prints-env.js'), pidFile], tools: { env: 'read' }, sandbox: { folders: [{ path: out, access: 'write' }] } } },
      }));
      const flowFile = join(dir, 'ask-then-tool.flow.json');
      writeFileSync(flowFile, flowText(flow(
        [n.start(), n.ask('name', { question: 'What is your name?', saveAs: 'name' }), n.tool('env', { server: 'env', tool: 'env' }), n.end('done', 'Bye.')],
        [...line('start', 'name', 'env', 'done')],
        { id: 'ask-then-tool' },
      )));
      const cli = new CliProcess(['chat', flowFile, '--config', configPath, '--data-dir', join(dir, `data-${signal}`), '--json']);
      await cli.waitFor((e) => e.type === 'bot_message' && e.text === 'What is your name?');
      expect(JSON.parse(readFileSync(pidFile, 'utf8'))).toHaveProperty('pid');
      expect(processesWith(pidFile).length).toBeGreaterThan(0); // bwrap and the server inside
      cli.kill(signal);
      expect(await cli.exited).toEqual({ code, signal: null });
      expect(processesWith(pidFile)).toEqual([]);
    });
  }
});
