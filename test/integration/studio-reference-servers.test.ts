// The published reference servers through the studio (issue 19): added in the settings API as
// an owner adds them, approved with the consent line that names their grants, started in their
// OS sandbox by the studio's own hub, and called by a flow in the simulator. server-memory and
// server-filesystem work in the folders granted to them; the filesystem server's second folder,
// only named in its arguments, stays hidden.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunEvent } from '../../src-main/shared/run-event';
import { openTestStudio, reviewedTools, type TestStudio } from '../support/studio-api';

let t: TestStudio;
beforeAll(() => {
  t = openTestStudio();
});
afterAll(() => t.close());

/** node + the package's bin file, as a user's config names it. */
function published(pkg: string): { command: string; args: string[] } {
  const require = createRequire(path.resolve('package.json'));
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: string | Record<string, string> };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : Object.values(manifest.bin)[0]!;
  return { command: process.execPath, args: [path.resolve(path.dirname(manifestPath), bin)] };
}

/** Every event of a simulated conversation until it waits or ends. */
function conversation(sessionId: string): Promise<RunEvent[]> {
  const seen: RunEvent[] = [];
  return new Promise((done) => {
    const off = t.studio.service.on((e) => {
      if (e.event !== 'sim.event' || e.payload.sessionId !== sessionId) return;
      seen.push(e.payload.event);
      if (e.payload.event.type === 'end' || e.payload.event.type === 'error') {
        off();
        done(seen);
      }
    });
  });
}

it('server-everything, server-memory and server-filesystem run sandboxed in the studio and answer a flow', async () => {
  const served = path.join(t.root, 'shop-files');
  const notGranted = path.join(t.root, 'private');
  const memory = path.join(t.root, 'memory');
  for (const dir of [served, notGranted, memory]) mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(served, 'menu.txt'), 'pão de queijo: 6');
  writeFileSync(path.join(notGranted, 'secret.txt'), 'NOT FOR THE SERVER');
  const files = published('@modelcontextprotocol/server-filesystem');
  const servers = {
    everything: published('@modelcontextprotocol/server-everything'),
    memory: { ...published('@modelcontextprotocol/server-memory'), env: { MEMORY_FILE_PATH: path.join(memory, 'memory.jsonl') }, sandbox: { folders: [{ path: memory, access: 'write' }] } },
    files: { ...files, args: [...files.args, served, notGranted], sandbox: { folders: [{ path: served, access: 'read' }] } },
  };
  for (const [name, server] of Object.entries(servers)) {
    await t.ok('mcp.saveServer', { name, server });
    const { command } = await t.ok('mcp.serverStatus', { server: name });
    if (name === 'files') expect(command).toContain(`[sandbox grants: read ${served}]`);
    await t.ok('mcp.approveServer', { server: name, command });
  }
  const reads = { everything: 'echo', memory: 'read_graph', files: 'read_text_file' } as const;
  for (const [server, tool] of Object.entries(reads)) {
    await t.ok('mcp.setToolClass', { server, tool, class: 'read' });
    await t.ok('mcp.approveTools', await reviewedTools(t.ok, server, [tool]));
  }
  const { servers: catalog } = await t.ok('mcp.catalog');
  expect(Object.fromEntries(catalog.map((s: { name: string; status: string }) => [s.name, s.status]))).toEqual({ everything: 'ok', memory: 'ok', files: 'ok' });

  // A flow calls one read tool of each, then the hidden folder's file.
  const flowId = (await t.ok('flows.create', { name: 'Reference servers' })).id as string;
  const doc = await t.ok('flows.get', { id: flowId });
  const tool = (id: string, server: string, name: string, args: Record<string, string>, y: number) => ({
    id,
    type: 'tool',
    position: { x: 0, y },
    data: { server, tool: name, args, saveAs: id },
  });
  const steps = [
    tool('echo', 'everything', 'echo', { message: 'olá' }, 100),
    tool('graph', 'memory', 'read_graph', {}, 200),
    tool('menu', 'files', 'read_text_file', { path: path.join(served, 'menu.txt') }, 300),
    tool('secret', 'files', 'read_text_file', { path: path.join(notGranted, 'secret.txt') }, 400),
  ];
  const end = { id: 'bye', type: 'end', position: { x: 0, y: 500 }, data: {} };
  const chain = ['start', ...steps.map((s) => s.id), 'bye'];
  const edges = chain.slice(1).flatMap((target, i) => [
    { id: `n${i}`, source: chain[i]!, sourceHandle: 'next', target },
    ...(i > 0 ? [{ id: `x${i}`, source: chain[i]!, sourceHandle: 'error', target }] : []),
  ]);
  const flow = { ...doc.flow, nodes: [doc.flow.nodes.find((n: { type: string }) => n.type === 'start'), ...steps, end], edges };
  expect((await t.ok('flows.save', { flow })).problems).toEqual([]);

  const { sessionId } = await t.ok('sim.start', { flowId });
  const events = await conversation(sessionId);
  const calls = Object.fromEntries(events.filter((e) => e.type === 'tool_call').map((e) => [e.nodeId, e]));
  expect(calls.echo).toMatchObject({ status: 'executed', result: 'Echo: olá' });
  expect(calls.graph).toMatchObject({ status: 'executed', result: { entities: [], relations: [] } });
  expect(calls.menu).toMatchObject({ status: 'executed', result: { content: 'pão de queijo: 6' } });
  // The folder it was only told about does not exist in its sandbox: it drops it, and the read fails.
  expect(calls.secret).toMatchObject({ status: 'error' });
  expect(JSON.stringify(calls.secret)).not.toContain('NOT FOR THE SERVER');

  for (const server of Object.keys(servers)) expect((await t.ok('mcp.serverStatus', { server })).sandbox).toMatchObject({ on: true });
});
