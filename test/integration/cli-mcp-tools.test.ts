// `flowbot mcp tools` through the real CLI against the example CRM server, configured as in
// examples/workspace.json (same tools and classes; paths made absolute, data in a temp dir), and
// the reference servers (everything, memory, filesystem) in their sandboxes.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-process';

let dir: string;
let configPath: string;
const example = JSON.parse(readFileSync('examples/workspace.json', 'utf8'));
const crmCommand = () =>
  `${process.execPath} ${resolve('examples/crm-server/index.js')} [env: CRM_DATA_DIR=${join(dir, 'crm')}] [sandbox grants: read and write ${join(dir, 'crm')}]`;

function writeConfig(name: string, servers: Record<string, unknown>): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ ...example, $schema: undefined, mcpServers: servers }));
  return path;
}
const crmServer = () => ({
  ...example.mcpServers.crm,
  command: process.execPath,
  args: [resolve('examples/crm-server/index.js')],
  env: { CRM_DATA_DIR: join(dir, 'crm') },
  // Sandboxed (issue 19): its data folder is granted, as examples/workspace.json grants .crm-data.
  sandbox: { folders: [{ path: join(dir, 'crm'), access: 'write' }] },
});
const tools = (config: string, ...extra: string[]) =>
  runCli(['mcp', 'tools', '--config', config, ...(extra.includes('--data-dir') ? [] : ['--data-dir', join(dir, 'data')]), ...extra]);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowbot-mcp-tools-'));
  configPath = writeConfig('workspace.json', { crm: crmServer() });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('flowbot mcp tools', () => {
  it('--json: the DESIGN §6 shape, with the command line and flags, classes as the example config says', async () => {
    const { code, events, stderr } = await tools(configPath, '--json');
    expect(code, stderr).toBe(0);
    expect(events).toHaveLength(1);
    const report = events[0] as unknown as { servers: Record<string, unknown>[] };
    expect(Object.keys(report)).toEqual(['servers']);
    expect(report.servers).toHaveLength(1);
    const crm = report.servers[0] as { tools: Record<string, unknown>[] };
    expect(Object.keys(crm)).toEqual(['name', 'status', 'command', 'tools']);
    expect(crm).toMatchObject({ name: 'crm', status: 'ok', command: crmCommand() });
    for (const tool of crm.tools) {
      expect(Object.keys(tool)).toEqual(['name', 'title', 'description', 'suggestedClass', 'effectiveClass', 'status', 'flags', 'definitionHash']);
      expect(typeof tool.description).toBe('string');
      expect(tool.definitionHash).toMatch(/^[0-9a-f]{64}$/); // what `mcp approve --hash` takes
    }
    expect(crm.tools.map((t) => [t.name, t.title, t.suggestedClass, t.effectiveClass, t.status, t.flags])).toEqual([
      ['get_order_status', 'Get order status', 'read', 'read', 'approved', []],
      ['search_customers', 'Search customers', 'read', 'read', 'approved', []],
      ['create_ticket', 'Create support ticket', 'write', 'write', 'approved', []],
      ['update_address', 'Update customer address', 'write', 'write', 'approved', []],
      ['book_appointment', 'Book appointment', 'write', 'write', 'approved', []],
    ]);
    expect(crm.tools[0]!.description).toBe('Look up an order by its id (for example "A100") and return its status and expected delivery date.');
  });

  it('owner classes decide: unlisted tools are unapproved writes, a read over a write hint is flagged', async () => {
    const config = writeConfig('partial.json', { crm: { ...crmServer(), tools: { get_order_status: 'read', create_ticket: 'read' } } });
    const { code, events } = await tools(config, '--json', '--data-dir', join(dir, 'data-partial'));
    expect(code).toBe(0);
    const list = (events[0] as unknown as { servers: { tools: Record<string, unknown>[] }[] }).servers[0]!.tools;
    const of = (name: string) => list.find((t) => t.name === name)!;
    expect(of('search_customers')).toMatchObject({ status: 'unapproved', suggestedClass: 'read', effectiveClass: 'write' });
    expect(of('create_ticket')).toMatchObject({ status: 'approved', suggestedClass: 'write', effectiveClass: 'read' });
    expect(of('create_ticket').flags).toEqual([expect.objectContaining({ code: 'OWNER_READ_SERVER_WRITE' })]);
  });

  it('a server that fails to start is reported with its error; the others are still listed; exit 1', async () => {
    const config = writeConfig('two.json', {
      broken: { command: process.execPath, args: [resolve('test/fixtures/mcp-servers/exits-at-start.js')] },
      crm: crmServer(),
      missing: { command: 'flowbot-no-such-command' },
    });
    const { code, events } = await tools(config, '--json');
    expect(code).toBe(1);
    const servers = (events[0] as unknown as { servers: Record<string, unknown>[] }).servers;
    expect(servers.map((s) => [s.name, s.status])).toEqual([['broken', 'error'], ['crm', 'ok'], ['missing', 'error']]);
    expect(servers[0]).toMatchObject({ tools: [], command: `${process.execPath} ${resolve('test/fixtures/mcp-servers/exits-at-start.js')}` });
    expect(servers[0]!.error).toContain('MCP server "broken"');
    expect(servers[0]!.error).toContain('fatal: database unreachable');
    expect(servers[2]!.error).toBe('MCP server "missing": the command "flowbot-no-such-command" was not found. Check mcpServers.missing.command.');
    expect((servers[1]!.tools as unknown[]).length).toBe(5);

    const text = await tools(config);
    expect(text.code).toBe(1);
    const out = text.events.map((e) => e.text).join('\n');
    expect(out).toContain('broken: ERROR');
    expect(out).toContain(`crm: ok — ${crmCommand()}`);
    expect(out).toMatch(/TOOL\s+STATUS\s+CLASS\s+SERVER SAYS\s+TITLE/);
    expect(out).toMatch(/get_order_status\s+approved\s+read\s+read\s+Get order status/);
  });

  it('--server lists one server; bad input exits 2', async () => {
    const config = writeConfig('two-ok.json', { crm: crmServer(), broken: { command: 'flowbot-no-such-command' } });
    const one = await tools(config, '--json', '--server', 'crm');
    expect(one.code).toBe(0);
    expect((one.events[0] as unknown as { servers: { name: string }[] }).servers.map((s) => s.name)).toEqual(['crm']);

    const unknown = await tools(config, '--server', 'erp');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('There is no MCP server called "erp"');
    expect(unknown.stderr).toContain('(configured: crm, broken)');

    const noConfig = await runCli(['mcp', 'tools']);
    expect(noConfig.code).toBe(2);
    expect(noConfig.stderr).toContain('mcp needs --config WS');

    const broken = await runCli(['mcp', 'tools', '--config', 'test/fixtures/bad-input/broken.workspace.json', '--data-dir', join(dir, 'data')]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('broken.workspace.json');

    const sub = await runCli(['mcp', 'list']);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain('mcp needs "tools", "approve", "login" or "logout", not "list"');
  });

  it('no servers: an empty list', async () => {
    const { code, events } = await tools(writeConfig('none.json', {}), '--json');
    expect(code).toBe(0);
    expect(events).toEqual([{ servers: [] }]);
  });

  it('the reference servers, each in its sandbox: server-everything, server-memory and server-filesystem with their granted folders', async () => {
    const bin = (pkg: string) => {
      const manifest = JSON.parse(readFileSync(resolve('node_modules', pkg, 'package.json'), 'utf8')) as { bin: string | Record<string, string> };
      return resolve('node_modules', pkg, typeof manifest.bin === 'string' ? manifest.bin : Object.values(manifest.bin)[0]!);
    };
    const files = join(dir, 'files');
    const memory = join(dir, 'memory');
    const config = writeConfig('reference.json', {
      everything: { command: process.execPath, args: [bin('@modelcontextprotocol/server-everything')] },
      memory: { command: process.execPath, args: [bin('@modelcontextprotocol/server-memory')], env: { MEMORY_FILE_PATH: join(memory, 'memory.jsonl') }, sandbox: { folders: [{ path: memory, access: 'write' }] } },
      files: { command: process.execPath, args: [bin('@modelcontextprotocol/server-filesystem'), files], sandbox: { folders: [{ path: files, access: 'write' }] } },
    });
    mkdirSync(files, { recursive: true });
    const { code, events, stderr } = await tools(config, '--json');
    expect(code, stderr).toBe(0);
    const servers = (events[0] as unknown as { servers: { name: string; status: string; command: string; tools: { name: string }[] }[] }).servers;
    expect(servers.map((s) => [s.name, s.status])).toEqual([['everything', 'ok'], ['memory', 'ok'], ['files', 'ok']]);
    expect(servers.find((s) => s.name === 'everything')!.tools.map((t) => t.name)).toContain('echo');
    expect(servers.find((s) => s.name === 'memory')!.tools.map((t) => t.name)).toContain('read_graph');
    expect(servers.find((s) => s.name === 'files')!.tools.map((t) => t.name)).toContain('list_allowed_directories');
    expect(servers.find((s) => s.name === 'files')!.command).toContain(`[sandbox grants: read and write ${files}]`);
  });
});
