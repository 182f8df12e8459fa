// The published reference servers from the registry (installed as dev dependencies), started
// the way users start them: node and the package's bin file; in their OS sandbox, as the app
// and the CLI run them (issue 19): server-memory and server-filesystem with a granted folder.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { McpServerConfig } from '../../src-main/shared/workspace-config';
import type { HubSandbox } from '../../src-main/adapters/mcp/mcp-hub';
import { hubFactory, root } from '../fixtures/mcp-servers/harness';

const { open, closeAll } = hubFactory();
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'flowbot-mcp-ref-'));
});
afterEach(closeAll);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sandbox = (): HubSandbox => ({ settings: { dataDirs: [path.join(dir, 'studio-data')], workRoot: path.join(dir, 'studio-data', 'mcp-servers') } });

/** node + the file named by the package's "bin" in its package.json. */
function published(pkg: string, env?: Record<string, string>): McpServerConfig {
  const require = createRequire(path.join(root, 'package.json'));
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: string | Record<string, string> };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : Object.values(manifest.bin)[0]!;
  return { command: process.execPath, args: [path.resolve(path.dirname(manifestPath), bin)], ...(env ? { env } : {}) };
}

describe('@modelcontextprotocol/server-everything', () => {
  it('lists its tools and answers echo and get-sum', async () => {
    const hub = open({ everything: published('@modelcontextprotocol/server-everything') }, { sandbox: sandbox() });
    const tools = await hub.listTools('everything');
    const names = tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['echo', 'get-sum']));
    expect(tools.find((t) => t.name === 'echo')).toMatchObject({
      title: 'Echo Tool',
      annotations: { readOnlyHint: true },
      inputSchema: { type: 'object', required: ['message'] },
    });

    expect(await hub.callTool('everything', 'echo', { message: 'hello from flowbot' })).toMatchObject({ isError: false, text: 'Echo: hello from flowbot' });
    expect((await hub.callTool('everything', 'get-sum', { a: 2, b: 40 })).text).toBe('The sum of 2 and 40 is 42.');
    // Invalid arguments come back as a tool error, not a crash.
    const bad = await hub.callTool('everything', 'get-sum', { a: 'two' });
    expect(bad.isError).toBe(true);
    expect(hub.status('everything')).toMatchObject({ state: 'ready', restarts: 0 });
    expect(hub.status('everything').stderr).toContain('Starting default (STDIO) server');
  });
});

describe('@modelcontextprotocol/server-memory', () => {
  it('create_entities then read_graph round-trips through its file', async () => {
    const file = path.join(dir, 'memory', 'memory.jsonl');
    const config = { ...published('@modelcontextprotocol/server-memory', { MEMORY_FILE_PATH: file }), sandbox: { folders: [{ path: path.dirname(file), access: 'write' as const }] } };
    const hub = open({ memory: config }, { sandbox: sandbox() });
    const entities = [{ name: 'Ana Souza', entityType: 'customer', observations: ['prefers WhatsApp', 'order A100'] }];
    const created = await hub.callTool('memory', 'create_entities', { entities });
    expect(created.isError).toBe(false);
    expect(created.structuredContent).toEqual({ entities });
    expect(existsSync(file)).toBe(true);

    // A fresh process reads it back from the file.
    await hub.disconnect('memory');
    const graph = await hub.callTool('memory', 'read_graph', {});
    expect(graph.structuredContent).toEqual({ entities, relations: [] });
    expect(hub.status('memory').sandbox).toEqual({ on: true });
  });
});

describe('@modelcontextprotocol/server-filesystem', () => {
  it('reads and writes in the folder granted to it; a folder only named in its arguments stays hidden', async () => {
    const served = path.join(dir, 'shop-files');
    const notGranted = path.join(dir, 'private');
    mkdirSync(served, { recursive: true });
    mkdirSync(notGranted, { recursive: true });
    writeFileSync(path.join(served, 'price-list.txt'), 'lamp: 30');
    writeFileSync(path.join(notGranted, 'secret.txt'), 'NOT FOR THE SERVER');
    const base = published('@modelcontextprotocol/server-filesystem');
    // The server is told it may use both folders; the owner granted only one.
    const config = { ...base, args: [...('args' in base ? (base.args ?? []) : []), served, notGranted], sandbox: { folders: [{ path: served, access: 'write' as const }] } };
    const hub = open({ files: config }, { sandbox: sandbox() });
    expect((await hub.listTools('files')).map((t) => t.name)).toEqual(expect.arrayContaining(['read_text_file', 'write_file', 'list_allowed_directories']));

    expect((await hub.callTool('files', 'read_text_file', { path: path.join(served, 'price-list.txt') })).text).toBe('lamp: 30');
    expect((await hub.callTool('files', 'write_file', { path: path.join(served, 'order.txt'), content: 'A100' })).isError).toBe(false);
    expect(readFileSync(path.join(served, 'order.txt'), 'utf8')).toBe('A100');

    const denied = await hub.callTool('files', 'read_text_file', { path: path.join(notGranted, 'secret.txt') });
    expect(denied.isError).toBe(true);
    expect(denied.text).not.toContain('NOT FOR THE SERVER');
    expect(hub.status('files').sandbox).toMatchObject({ on: true });
  });
});
