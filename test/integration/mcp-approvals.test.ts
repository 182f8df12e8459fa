// Owner approvals on real SQLite: server consent (what a server runs) and tool pins persist
// in the data dir per bot; the governed MCP enforces them around any McpPort.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApprovalsStore, type ApprovalsStoreSync } from '../../src-main/adapters/store/approvals-store';
import { StoreOpenError, openStore } from '../../src-main/adapters/store/sqlite-store';
import { definitionHash, partHashes, pinOf } from '../../src-main/core/mcp-catalog';
import { ConsentRequiredError, ToolDisabledError, createGovernedMcp, type ConsentMode, type GovernedMcp } from '../../src-main/runtime/governed-mcp';
import type { McpPort, ToolDefinition } from '../../src-main/runtime/ports';
import { WorkspaceConfigSchema, type WorkspaceConfig } from '../../src-main/shared/workspace-config';
import { consentText, type ConsentText } from '../../src-main/shared/consent-texts';

let dir: string;
const opened: ApprovalsStoreSync[] = [];
const approvalsIn = (dataDir = dir) => {
  const store = openApprovalsStore(dataDir);
  opened.push(store);
  return store;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowbot-approvals-'));
});
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What the owner reviewed: the named tools as the catalogue shows them now, with their hashes. */
const reviewed = async (mcp: GovernedMcp, ...names: string[]) => {
  const { tools } = await mcp.catalog('crm');
  return names.map((name) => ({ name, definitionHash: tools.find((x) => x.name === name)!.definitionHash }));
};

const t = (name: string, extra: Partial<ToolDefinition> = {}): ToolDefinition => ({
  name,
  description: `The ${name} tool.`,
  inputSchema: { type: 'object', properties: {} },
  ...extra,
});

describe('approvals store (SQLite, flowbot.db)', () => {
  it('keeps server consents and tool pins across reopening, per bot and server', () => {
    const a = approvalsIn();
    a.approveServer('shop', 'crm', 'f1', 1000);
    a.pinTools('shop', 'crm', [pinOf(t('get_order')), { tool: 'legacy', definitionHash: 'h' }], 1001);
    a.close();

    const b = approvalsIn();
    expect(b.serverApproval('shop', 'crm')).toEqual({ fingerprint: 'f1', approvedAt: 1000 });
    expect(b.toolPins('shop', 'crm')).toEqual([
      { tool: 'get_order', definitionHash: definitionHash(t('get_order')), approvedAt: 1001, parts: partHashes(t('get_order')) },
      { tool: 'legacy', definitionHash: 'h', approvedAt: 1001 },
    ]);
    // Another bot, another server: nothing approved.
    expect(b.serverApproval('clinic', 'crm')).toBeUndefined();
    expect(b.toolPins('clinic', 'crm')).toEqual([]);
    expect(b.toolPins('shop', 'erp')).toEqual([]);
  });

  it('a new approval replaces the old one (re-pinning, a new command line)', () => {
    const a = approvalsIn();
    a.approveServer('shop', 'crm', 'f1', 1);
    a.approveServer('shop', 'crm', 'f2', 2);
    a.pinTools('shop', 'crm', [{ tool: 'x', definitionHash: 'old' }], 1);
    a.pinTools('shop', 'crm', [{ tool: 'x', definitionHash: 'new' }], 2);
    expect(a.serverApproval('shop', 'crm')).toEqual({ fingerprint: 'f2', approvedAt: 2 });
    expect(a.toolPins('shop', 'crm')).toEqual([{ tool: 'x', definitionHash: 'new', approvedAt: 2 }]);
  });

  it('shares the data dir file with the conversation store, opened in either order', () => {
    const first = approvalsIn();
    first.approveServer('default', 'crm', 'f', 1);
    const store = openStore(dir); // the conversation store migrates a file that already has our tables
    store.appendAudit({ time: 1, conversationId: 'c', flowId: 'f', nodeId: 'n', server: 'crm', tool: 't', args: {}, status: 'executed', durationMs: 1, confirmationId: null });
    expect(store.verifyAudit()).toEqual({ ok: true, count: 1 });
    store.close();
    first.close();

    const other = mkdtempSync(join(tmpdir(), 'flowbot-approvals-'));
    try {
      openStore(other).close();
      const second = approvalsIn(other);
      second.pinTools('default', 'crm', [{ tool: 'a', definitionHash: 'h' }], 1);
      expect(second.toolPins('default', 'crm')).toHaveLength(1);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
    expect(approvalsIn().serverApproval('default', 'crm')?.fingerprint).toBe('f');
  });

  it('a data dir that cannot be used is a StoreOpenError naming it', () => {
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    expect(() => openApprovalsStore(file)).toThrow(StoreOpenError);
    writeFileSync(join(dir, 'flowbot.db'), 'this is not a database, just some text that is long enough to be a header');
    expect(() => openApprovalsStore(dir)).toThrow(/Cannot use the data folder/);
  });
});

/** An in-memory MCP server side: what was started and called, and a tool list to change. */
function fakeServer(tools: ToolDefinition[]) {
  const log: string[] = [];
  const port: McpPort = {
    async listTools(server) {
      log.push(`list ${server}`);
      return tools.map((x) => ({ ...x }));
    },
    async callTool(server, tool, args) {
      log.push(`call ${server}.${tool}`);
      return { isError: false, content: [], text: JSON.stringify(args) };
    },
    async close() {},
  };
  return { port, log, tools };
}

const workspace = (crm: Record<string, unknown>): WorkspaceConfig =>
  WorkspaceConfigSchema.parse({ mcpServers: { crm: { command: 'node', args: ['crm.js'], env: { CRM_DATA_DIR: '/data' }, ...crm } } });

function governed(config: WorkspaceConfig, server: ReturnType<typeof fakeServer>, mode: ConsentMode, bot = 'default', unsandboxed?: ConsentText) {
  let now = 1000;
  return createGovernedMcp({ inner: server.port, bot, config, approvals: approvalsIn(), mode, clock: { now: () => now++ }, ...(unsandboxed ? { unsandboxed } : {}) });
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Error,
  );
}

describe('consent to what a server runs (mode "ask", the app)', () => {
  it('nothing starts before the owner approves exactly that command line', async () => {
    const server = fakeServer([t('get_order')]);
    const mcp = governed(workspace({}), server, 'ask');
    const err = await rejection(mcp.listTools('crm'));
    expect(err).toBeInstanceOf(ConsentRequiredError);
    expect(err).toMatchObject({ server: 'crm', reason: 'new', description: 'node crm.js [env: CRM_DATA_DIR=/data]' });
    expect(err.message).toBe('MCP server "crm" needs your approval before it starts. It would run: node crm.js [env: CRM_DATA_DIR=/data]');
    await expect(mcp.callTool('crm', 'get_order', {})).rejects.toThrow(ConsentRequiredError);
    expect(server.log).toEqual([]); // never started
    expect(await mcp.consent('crm')).toMatchObject({ state: 'new', description: 'node crm.js [env: CRM_DATA_DIR=/data]' });

    await mcp.approveServer('crm');
    expect((await mcp.consent('crm')).state).toBe('approved');
    await mcp.listTools('crm');
    expect(server.log).toEqual(['list crm']);
  });

  it('changing an argument, an env name or an env value (or its reference) needs consent again', async () => {
    const server = fakeServer([t('get_order')]);
    await governed(workspace({}), server, 'ask').approveServer('crm');
    await governed(workspace({}), server, 'ask').listTools('crm');

    const args = await rejection(governed(workspace({ args: ['crm.js', '--debug'] }), server, 'ask').listTools('crm'));
    expect(args).toMatchObject({ reason: 'changed', description: 'node crm.js --debug [env: CRM_DATA_DIR=/data]' });
    expect(args.message).toContain('changed what it runs since you approved it');

    const envName = await rejection(governed(workspace({ env: { CRM_DATA_DIR: '/data', NODE_OPTIONS: '--require /tmp/x.js' } }), server, 'ask').listTools('crm'));
    expect(envName).toMatchObject({
      reason: 'changed',
      description: "node crm.js [env: CRM_DATA_DIR=/data, NODE_OPTIONS='--require /tmp/x.js'] [warning: NODE_OPTIONS can make the program load or run other code than the command shows]",
    });

    // Values count too (issue 12 item 5): a different value, or a reference instead of one, asks again.
    for (const env of [{ CRM_DATA_DIR: '/other/data' }, { CRM_DATA_DIR: { env: 'FROM_CI' } }, { CRM_DATA_DIR: { secret: 'dir' } }]) {
      await expect(governed(workspace({ env }), server, 'ask').listTools('crm')).rejects.toMatchObject({ reason: 'changed' });
    }
    expect(server.log).toEqual(['list crm']);

    // Approving the changed line makes it the approved one (and the old one needs consent again).
    await governed(workspace({ args: ['crm.js', '--debug'] }), server, 'ask').approveServer('crm');
    await governed(workspace({ args: ['crm.js', '--debug'] }), server, 'ask').listTools('crm');
    await expect(governed(workspace({}), server, 'ask').listTools('crm')).rejects.toMatchObject({ reason: 'changed' });
  });

  it('a changed sandbox grant withdraws consent, and the owner reads the grant (issue 19)', async () => {
    const server = fakeServer([t('get_order')]);
    await governed(workspace({}), server, 'ask').approveServer('crm');
    await governed(workspace({}), server, 'ask').listTools('crm');
    const grants = [
      { folders: [{ path: '/srv/orders', access: 'read' }] },
      { folders: [{ path: '/srv/orders', access: 'write' }] },
      { network: 'all' },
      { network: { hosts: ['api.example.com'] } },
      { docker: true },
    ];
    for (const sandbox of grants) {
      await expect(governed(workspace({ sandbox }), server, 'ask').listTools('crm')).rejects.toMatchObject({ reason: 'changed' });
    }
    const err = await rejection(governed(workspace({ sandbox: { folders: [{ path: '/srv/orders', access: 'write' }], network: { hosts: ['api.example.com'] }, docker: true } }), server, 'ask').listTools('crm'));
    expect(err).toMatchObject({
      description: 'node crm.js [env: CRM_DATA_DIR=/data] [sandbox grants: read and write /srv/orders, network to api.example.com, the Docker socket (control of this computer)]',
    });
    // Approving a grant, then widening it, asks again.
    await governed(workspace({ sandbox: { network: { hosts: ['api.example.com'] } } }), server, 'ask').approveServer('crm');
    await governed(workspace({ sandbox: { network: { hosts: ['api.example.com'] } } }), server, 'ask').listTools('crm');
    await expect(governed(workspace({ sandbox: { network: { hosts: ['api.example.com', 'evil.example'] } } }), server, 'ask').listTools('crm')).rejects.toMatchObject({ reason: 'changed' });
    expect(server.log).toEqual(['list crm', 'list crm']);
  });

  it('where no sandbox can be made, the owner consents to running the server unsandboxed (issue 19)', async () => {
    const server = fakeServer([t('get_order')]);
    await governed(workspace({}), server, 'ask').approveServer('crm');
    const noBwrap = consentText('sandbox.unavailable.missing', { programs: ['bubblewrap'] });
    const err = await rejection(governed(workspace({}), server, 'ask', 'default', noBwrap).listTools('crm'));
    expect(err).toMatchObject({ reason: 'changed' });
    expect((err as ConsentRequiredError).description).toContain('runs WITHOUT a sandbox (bubblewrap not installed (Debian/Ubuntu: apt-get install bubblewrap socat ripgrep))');
    await governed(workspace({}), server, 'ask', 'default', noBwrap).approveServer('crm');
    await governed(workspace({}), server, 'ask', 'default', noBwrap).listTools('crm');
    // Once the sandbox is there again, the sandboxed approval is a different one.
    expect((await governed(workspace({}), server, 'ask').consent('crm')).state).toBe('changed');
  });

  it('consent is per bot', async () => {
    const server = fakeServer([t('get_order')]);
    await governed(workspace({}), server, 'ask', 'shop').approveServer('crm');
    await governed(workspace({}), server, 'ask', 'shop').listTools('crm');
    await expect(governed(workspace({}), server, 'ask', 'clinic').listTools('crm')).rejects.toMatchObject({ reason: 'new' });
  });

  it('the CLI ("config-approves") records the config as the approval, per bot', async () => {
    const server = fakeServer([t('get_order')]);
    await governed(workspace({}), server, 'config-approves', 'shop').listTools('crm');
    expect((await governed(workspace({}), server, 'ask', 'shop').consent('crm')).state).toBe('approved');
    expect((await governed(workspace({}), server, 'ask', 'clinic').consent('crm')).state).toBe('new');
    // A changed config file is a new approval, recorded on use.
    await governed(workspace({ args: ['crm.js', '-v'] }), server, 'config-approves', 'shop').callTool('crm', 'get_order', {});
    expect((await governed(workspace({ args: ['crm.js', '-v'] }), server, 'ask', 'shop').consent('crm')).state).toBe('approved');
    expect((await governed(workspace({}), server, 'ask', 'shop').consent('crm')).state).toBe('changed');
  });
});

describe('tool pinning and classes', () => {
  const classes = { tools: { get_order: 'read', create_ticket: 'write' } };

  it('the CLI pins the tools the config classifies on first sight; others stay unapproved (write)', async () => {
    const server = fakeServer([t('get_order', { annotations: { readOnlyHint: true } }), t('create_ticket'), t('export_all')]);
    const mcp = governed(workspace(classes), server, 'config-approves');
    expect(mcp.classify('crm', 'get_order')).toBe('write'); // never listed yet
    const catalog = await mcp.catalog('crm');
    expect(catalog.command).toBe('node crm.js [env: CRM_DATA_DIR=/data]');
    expect(catalog.tools.map((x) => [x.name, x.status, x.suggestedClass, x.effectiveClass])).toEqual([
      ['get_order', 'approved', 'read', 'read'],
      ['create_ticket', 'approved', 'write', 'write'],
      ['export_all', 'unapproved', 'write', 'write'],
    ]);
    expect(mcp.classify('crm', 'get_order')).toBe('read');
    expect(mcp.classify('crm', 'export_all')).toBe('write');
    expect(mcp.classify('crm', 'nope')).toBe('write');
    // An unapproved tool may still be called: as a write, the confirmation gate decides.
    await mcp.callTool('crm', 'export_all', {});
    expect(server.log).toContain('call crm.export_all');
  });

  it('a tool that changed is disabled until re-approved; the call never reaches the server', async () => {
    const server = fakeServer([t('get_order', { annotations: { readOnlyHint: true } }), t('create_ticket')]);
    await governed(workspace(classes), server, 'config-approves').listTools('crm');

    server.tools[0] = t('get_order', { description: 'Now with <IMPORTANT>instructions</IMPORTANT>', annotations: { readOnlyHint: true } });
    server.tools[1] = t('create_ticket', { inputSchema: { type: 'object', properties: { cc: { type: 'string' } } } });
    const mcp = governed(workspace(classes), server, 'config-approves');
    const catalog = await mcp.catalog('crm');
    expect(catalog.tools.map((x) => [x.name, x.status, x.effectiveClass, x.changes])).toEqual([
      ['get_order', 'changed', 'write', ['description']],
      ['create_ticket', 'changed', 'write', ['inputSchema']],
    ]);
    expect(catalog.tools[0]!.flags.map((f) => f.code)).toEqual(['DESCRIPTION_HAS_INSTRUCTIONS']);
    expect(mcp.classify('crm', 'get_order')).toBe('write');

    const err = await rejection(mcp.callTool('crm', 'create_ticket', { cc: 'x' }));
    expect(err).toBeInstanceOf(ToolDisabledError);
    expect(err.message).toBe(
      'The tool "create_ticket" on MCP server "crm" is disabled: its input schema changed since it was approved. ' +
        'Review it with `flowbot mcp tools --server crm` and re-approve it with `flowbot mcp approve --server crm --tool create_ticket` (or in the app\'s MCP settings).',
    );
    await expect(mcp.callTool('crm', 'get_order', {})).rejects.toThrow(/get_order.*disabled: its description changed/);
    expect(server.log.filter((l) => l.startsWith('call'))).toEqual([]);

    // First sight never re-pins a changed tool, not even in a new process.
    expect((await governed(workspace(classes), server, 'config-approves').catalog('crm')).tools.map((x) => x.status)).toEqual(['changed', 'changed']);

    // Re-approval pins the definitions the owner reviewed.
    expect(await mcp.approveTools('crm', await reviewed(mcp, 'get_order'))).toEqual(['get_order']);
    expect(mcp.classify('crm', 'get_order')).toBe('read');
    await mcp.callTool('crm', 'get_order', {});
    await expect(mcp.callTool('crm', 'create_ticket', {})).rejects.toThrow(ToolDisabledError);
    expect(await mcp.approveTools('crm', await reviewed(mcp, 'get_order', 'create_ticket'))).toEqual(['get_order', 'create_ticket']);
    await mcp.callTool('crm', 'create_ticket', {});
    await expect(mcp.approveTools('crm', [{ name: 'nope', definitionHash: 'f'.repeat(64) }])).rejects.toThrow('MCP server "crm" does not offer "nope". It offers: get_order, create_ticket.');
  });

  it('a tool the server starts offering later is listed again before a call; an unknown one is refused', async () => {
    const server = fakeServer([t('get_order')]);
    const mcp = governed(workspace(classes), server, 'config-approves');
    await mcp.listTools('crm');
    server.tools.push(t('brand_new'));
    await mcp.callTool('crm', 'brand_new', {});
    expect(server.log).toEqual(['list crm', 'list crm', 'call crm.brand_new']);
    await expect(mcp.callTool('crm', 'ghost', {})).rejects.toThrow('MCP server "crm" does not offer a tool named "ghost".');
  });

  it('"ask" mode pins nothing by itself: the owner approves each tool', async () => {
    const server = fakeServer([t('get_order')]);
    const mcp = governed(workspace(classes), server, 'ask');
    await mcp.approveServer('crm');
    expect((await mcp.catalog('crm')).tools[0]).toMatchObject({ status: 'unapproved', effectiveClass: 'write' });
    await mcp.approveTools('crm', await reviewed(mcp, 'get_order'));
    expect((await mcp.catalog('crm')).tools[0]).toMatchObject({ status: 'approved', effectiveClass: 'read' });
  });

  it('pins are per bot', async () => {
    const server = fakeServer([t('get_order')]);
    await governed(workspace(classes), server, 'config-approves', 'shop').listTools('crm');
    server.tools[0] = t('get_order', { title: 'Renamed' });
    expect((await governed(workspace(classes), server, 'config-approves', 'shop').catalog('crm')).tools[0]!.status).toBe('changed');
    // The other bot sees the tool for the first time: its config approves it as it is now.
    expect((await governed(workspace(classes), server, 'config-approves', 'clinic').catalog('crm')).tools[0]!.status).toBe('approved');
  });
});
