// The app's MCP approvals through the API (the web host and Electron use the same service):
// a configured server does not start until the owner approves its exact command line, and
// tools are reads only once the owner approved their definitions.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStudio, type Studio } from '../../src-main/app/studio';

let dataDir: string;
let studio: Studio;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'flowbot-studio-mcp-'));
  studio = createStudio({ dataDir, templatesDir: resolve('flows'), watchFiles: false });
});
afterEach(async () => {
  await studio.close();
  rmSync(dataDir, { recursive: true, force: true });
});

type Result = { ok: boolean; output?: any; error?: { code: string; message: string } };
const call = (method: string, input: unknown = {}) => studio.dispatcher.dispatch(method, input) as Promise<Result>;
const crm = () => ({
  command: process.execPath,
  args: [resolve('examples/crm-server/index.js')],
  env: { CRM_DATA_DIR: join(dataDir, 'crm') },
  tools: { get_order_status: 'read', create_ticket: 'write' },
});

describe('MCP approvals in the app', () => {
  it('asks before starting a server, binds the approval to the command shown, then lists and approves tools', async () => {
    expect(await call('settings.save', { config: { mcpServers: { crm: crm() } } })).toMatchObject({ ok: true });

    const first = await call('mcp.catalog');
    const [server] = first.output.servers;
    expect(server).toMatchObject({ name: 'crm', status: 'consent_required', consent: 'new', tools: [] });
    expect(server.command).toBe(`${process.execPath} ${resolve('examples/crm-server/index.js')} [env: CRM_DATA_DIR=${join(dataDir, 'crm')}]`);
    // Nothing ran: the CRM server never created its data file.
    expect(() => readFileSync(join(dataDir, 'crm', 'crm.json'))).toThrow();

    const stale = await call('mcp.approveServer', { server: 'crm', command: 'node something-else.js' });
    expect(stale).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('not what you approved'), text: { key: 'consent.changed', params: { server: 'crm' } } } });
    expect(await call('mcp.approveServer', { server: 'crm', command: server.command })).toMatchObject({ ok: true });

    const listed = (await call('mcp.catalog')).output.servers[0];
    expect(listed).toMatchObject({ status: 'ok', consent: 'approved' });
    const tool = (name: string) => listed.tools.find((t: { name: string }) => t.name === name);
    // The owner said read in the settings, but has not approved the definition yet: a write.
    expect(tool('get_order_status')).toMatchObject({ status: 'unapproved', suggestedClass: 'read', effectiveClass: 'write' });
    expect(tool('get_order_status').inputSchema).toMatchObject({ type: 'object', properties: { orderId: { type: 'string' } } });

    // The approval carries the hash of the definition shown: names alone are refused.
    expect(await call('mcp.approveTools', { server: 'crm', tools: ['get_order_status'] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const reviewed = { name: 'get_order_status', definitionHash: tool('get_order_status').definitionHash };
    expect(await call('mcp.approveTools', { server: 'crm', tools: [reviewed] })).toMatchObject({ ok: true, output: { approved: ['get_order_status'] } });
    const after = (await call('mcp.catalog')).output.servers[0];
    expect(after.tools.find((t: { name: string }) => t.name === 'get_order_status')).toMatchObject({ status: 'approved', effectiveClass: 'read' });
    expect(after.tools.find((t: { name: string }) => t.name === 'create_ticket')).toMatchObject({ status: 'unapproved', effectiveClass: 'write' });
  });

  it("the editor's checker knows the tools' required arguments once the catalogue is loaded", async () => {
    await call('settings.save', { config: { mcpServers: { crm: crm() } } });
    const { command } = (await call('mcp.catalog')).output.servers[0];
    await call('mcp.approveServer', { server: 'crm', command });
    expect((await call('mcp.catalog')).output.servers[0].status).toBe('ok');
    const flow = {
      schemaVersion: 1, id: 'cake', name: 'Cake order',
      nodes: [
        { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} },
        { id: 'look', type: 'tool', label: 'Look up the order', position: { x: 0, y: 100 }, data: { server: 'crm', tool: 'get_order_status', args: {} } },
        { id: 'end', type: 'end', position: { x: 0, y: 200 }, data: {} },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'look' }, { id: 'e2', source: 'look', target: 'end' }, { id: 'e3', source: 'look', sourceHandle: 'error', target: 'end' }],
    };
    const { problems } = (await call('flows.validate', { flow })).output;
    expect(problems.filter((p: { code: string }) => p.code === 'TOOL_ARG_MISSING')).toEqual([
      { code: 'TOOL_ARG_MISSING', severity: 'error', nodeId: 'look', field: 'data.args.orderId', message: expect.stringContaining('The step "Look up the order" leaves "Order id" empty'), text: expect.objectContaining({ params: expect.objectContaining({ step: 'Look up the order' }) }) },
    ]);
  });

  it('a changed command line needs approval again', async () => {
    await call('settings.save', { config: { mcpServers: { crm: crm() } } });
    const { command } = (await call('mcp.catalog')).output.servers[0];
    await call('mcp.approveServer', { server: 'crm', command });
    expect((await call('mcp.catalog')).output.servers[0].status).toBe('ok');

    await call('settings.save', { config: { mcpServers: { crm: { ...crm(), args: [...crm().args, '--verbose'] } } } });
    expect((await call('mcp.catalog')).output.servers[0]).toMatchObject({ status: 'consent_required', consent: 'changed', command: expect.stringContaining('--verbose') });
  });

  it('wrong payloads are refused with the field named', async () => {
    expect(await call('mcp.approveTools', { server: 'crm', tools: [] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('tools') } });
  });
});
