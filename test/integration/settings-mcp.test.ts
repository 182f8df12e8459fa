// The MCP part of the settings through the API, against real servers: add, edit, rename and
// remove servers; consent before anything starts; status with serverInfo, instructions and
// stderr (also of a server that crashes at start); the owner's tool classes; importing a
// pasted config of another MCP client.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiOutput } from '../../src-main/shared/api-contract';
import { formatConsentText } from '../../src-main/shared/consent-texts';
import { crmServer } from '../support/crm-workspace';
import { openTestStudio, reviewedTools, type TestStudio } from '../support/studio-api';

let t: TestStudio;
beforeEach(() => {
  t = openTestStudio();
});
afterEach(() => t.close());

/** The example CRM server as the settings form sends it (the form does not send tool classes). */
const crm = () => {
  const { tools: _classes, ...server } = crmServer(t.root, {});
  return server;
};
const settingsFile = () => JSON.parse(readFileSync(join(t.dataDir, 'settings.json'), 'utf8'));
const servers = async () => (await t.ok('settings.get')).config.mcpServers;

async function approve(server: string): Promise<void> {
  const { command } = await t.ok('mcp.serverStatus', { server });
  await t.ok('mcp.approveServer', { server, command });
}

describe('adding, editing and removing servers', () => {
  it('adds, refuses a second server of the same name, edits keeping the tool classes, renames and removes', async () => {
    expect(await t.ok('mcp.saveServer', { name: 'crm', server: crm() })).toEqual({ saved: 'crm' });
    expect(await t.call('mcp.saveServer', { name: 'crm', server: crm() })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'There is already an MCP server named "crm": choose another name, or edit that one.' },
    });
    await t.ok('mcp.setToolClass', { server: 'crm', tool: 'get_order_status', class: 'read' });
    await t.ok('mcp.saveServer', { name: 'crm', previousName: 'crm', server: { ...crm(), args: [...crm().args, '--verbose'] } });
    expect((await servers()).crm).toMatchObject({ args: [...crm().args, '--verbose'], tools: { get_order_status: 'read' } });

    await t.ok('mcp.saveServer', { name: 'remote', server: { url: 'https://mcp.example.com/mcp', headers: { 'X-Team': 'support' } } });
    await t.ok('mcp.saveServer', { name: 'shop-crm', previousName: 'crm', server: crm() });
    // Renamed in place (the order people see stays), the classes kept.
    expect(Object.keys(await servers())).toEqual(['shop-crm', 'remote']);
    expect((await servers())['shop-crm'].tools).toEqual({ get_order_status: 'read' });
    expect(t.events.filter((e) => e.event === 'settings.changed').length).toBeGreaterThanOrEqual(4);

    expect(await t.ok('mcp.removeServer', { name: 'remote' })).toEqual({ removed: 'remote', secretsDeleted: 0 });
    expect(Object.keys(settingsFile().bots.default.workspace.mcpServers)).toEqual(['shop-crm']);
    expect(await t.call('mcp.removeServer', { name: 'remote' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('refuses a server config that is not one, naming the field', async () => {
    const bad = await t.call('mcp.saveServer', { name: 'crm', server: { command: '', args: ['x'] } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('input.server.command: must not be empty') } });
    const badName = await t.call('mcp.saveServer', { name: 'my crm', server: crm() });
    expect(badName).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('input.name') } });
  });

  it('refuses the reserved name "llm" (it would read the model\'s keychain secrets), in any case, for a new server and a rename', async () => {
    for (const name of ['llm', 'LLM']) {
      expect(await t.call('mcp.saveServer', { name, server: crm() })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', message: expect.stringContaining(`input.name: the server name "${name}" is reserved`) },
      });
    }
    await t.ok('mcp.saveServer', { name: 'crm', server: crm() });
    expect(await t.call('mcp.saveServer', { name: 'llm', previousName: 'crm', server: crm() })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(Object.keys(await servers())).toEqual(['crm']);
  });
});

describe('consent, status and stderr', () => {
  it('shows the exact command before anything starts, then status, serverInfo and instructions once approved', async () => {
    await t.ok('mcp.saveServer', { name: 'crm', server: crm() });
    const before = await t.ok('mcp.serverStatus', { server: 'crm' });
    expect(before).toMatchObject({ server: 'crm', consent: 'new', state: 'idle', transport: 'stdio', stderr: '' });
    expect(before.command).toBe(`${process.execPath} ${resolve('examples/crm-server/index.js')} [env: CRM_DATA_DIR=${join(t.root, 'crm')}] [sandbox grants: read and write ${join(t.root, 'crm')}]`);
    expect(await t.call('mcp.connect', { server: 'crm' })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('needs your approval') } });
    expect(existsSync(join(t.root, 'crm', 'crm.json'))).toBe(false); // nothing ran

    await approve('crm');
    const ready = await t.ok('mcp.connect', { server: 'crm' });
    expect(ready).toMatchObject({
      consent: 'approved',
      state: 'ready',
      pid: expect.any(Number),
      serverInfo: { name: 'flowbot-example-crm', title: 'Example CRM', version: '1.0.0' },
      instructions: expect.stringContaining('A small CRM'),
    });
    expect(ready.stderr).toContain(`[flowbot] process ${ready.pid} started`);
    expect(t.events).toContainEqual({ event: 'mcp.serverChanged', payload: { bot: 'default', server: 'crm', type: 'ready' } });
  });

  it('reports a server that dies at start: state, exit code and its stderr', async () => {
    await t.ok('mcp.saveServer', { name: 'broken', server: { command: process.execPath, args: [resolve('test/fixtures/mcp-servers/exits-at-start.js')] } });
    await approve('broken');
    const status = await t.ok('mcp.connect', { server: 'broken' });
    expect(['restarting', 'failed', 'circuit_open']).toContain(status.state);
    expect(status.stderr).toContain('fatal: database unreachable');
    expect(status.lastExit).toEqual({ code: 3, signal: null });
    expect(status.lastError.message).toContain('fatal: database unreachable');
    expect(t.events).toContainEqual({ event: 'mcp.serverChanged', payload: { bot: 'default', server: 'broken', type: 'crashed' } });
    // Reading the status again does not start it.
    const again = await t.ok('mcp.serverStatus', { server: 'broken' });
    expect(again.stderr).toContain('fatal: database unreachable');
  });

  it('an unknown server is NOT_FOUND', async () => {
    expect(await t.call('mcp.serverStatus', { server: 'nope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('no MCP server "nope"') } });
  });
});

describe('tool classes', () => {
  it('suggested vs effective: a read the owner chose counts once approved; toggling back makes it a write', async () => {
    await t.ok('mcp.saveServer', { name: 'crm', server: crm() });
    await approve('crm');
    const tool = async (name: string) => (await t.ok('mcp.catalog')).servers[0].tools.find((x: { name: string }) => x.name === name);
    expect(await tool('search_customers')).toMatchObject({ suggestedClass: 'read', effectiveClass: 'write', status: 'unapproved' });
    expect(await t.ok('mcp.setToolClass', { server: 'crm', tool: 'search_customers', class: 'read' })).toEqual({ tools: { search_customers: 'read' } });
    expect(await tool('search_customers')).toMatchObject({ effectiveClass: 'write', status: 'unapproved' });
    await t.ok('mcp.approveTools', await reviewedTools(t.ok, 'crm', ['search_customers']));
    expect(await tool('search_customers')).toMatchObject({ effectiveClass: 'read', status: 'approved' });
    await t.ok('mcp.setToolClass', { server: 'crm', tool: 'search_customers', class: 'write' });
    expect(await tool('search_customers')).toMatchObject({ effectiveClass: 'write', status: 'approved' });
    expect(settingsFile().bots.default.workspace.mcpServers.crm.tools).toEqual({ search_customers: 'write' });
  });
});

describe('importing another client\'s config', () => {
  const claude = JSON.stringify({
    mcpServers: {
      files: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/me/docs'], autoApprove: ['read_file'] },
      github: { command: 'docker', args: ['run', '-i', 'ghcr.io/github/github-mcp-server'], env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', GITHUB_HOST: 'github.com' } },
    },
  }, null, 2);

  it('previews what will be added, without echoing values that look like secrets', async () => {
    const { servers: preview }: ApiOutput<'mcp.importPreview'> = await t.ok('mcp.importPreview', { text: claude });
    // The consent line also comes as catalogue keys, for the owner's language (English: `command`).
    expect(preview.map((s) => formatConsentText(s.commandText!, 'en'))).toEqual(preview.map((s) => s.command));
    expect(formatConsentText(preview[1]!.commandText!, 'pt-BR')).toBe(
      'docker run -i ghcr.io/github/github-mcp-server [variáveis de ambiente: GITHUB_HOST=github.com, GITHUB_PERSONAL_ACCESS_TOKEN=<valor oculto: parece um segredo>]',
    );
    expect(preview.map(({ commandText: _, ...s }) => s)).toEqual([
      {
        name: 'files',
        command: 'npx -y @modelcontextprotocol/server-filesystem /home/me/docs',
        transport: 'stdio',
        clash: false,
        fields: [],
        notes: ['its auto-approved tools are not taken over: you approve each tool here'],
        relativePaths: [],
        // The folder it serves, read-write; the registry of its first download only as a note.
        proposedGrant: { folders: [{ path: '/home/me/docs', access: 'write' }] },
        packageRegistry: ['registry.npmjs.org'],
      },
      {
        name: 'github',
        command: 'docker run -i ghcr.io/github/github-mcp-server [env: GITHUB_HOST=github.com, GITHUB_PERSONAL_ACCESS_TOKEN=<value hidden: it looks like a secret>]',
        transport: 'stdio',
        clash: false,
        fields: [
          { name: 'GITHUB_PERSONAL_ACCESS_TOKEN', kind: 'env', looksSecret: true },
          { name: 'GITHUB_HOST', kind: 'env', looksSecret: false, value: 'github.com' },
        ],
        notes: [],
        relativePaths: [],
        proposedGrant: { docker: true },
      },
    ]);
    expect(JSON.stringify(preview)).not.toContain('ghp_');
  });

  it('previews references by name and flags variables that change which code runs (issue 12 item 5)', async () => {
    const pasted = JSON.stringify({
      mcpServers: {
        notes: { command: 'node', args: ['notes.js'], env: { NODE_OPTIONS: '--import=data:text/javascript,evil()', GH: { env: 'GITHUB_TOKEN' }, KEY: { secret: 'notes-key' } } },
        remote: { url: 'https://mcp.example.com/mcp', headers: { Authorization: { env: 'OPENAI_API_KEY' } } },
      },
    });
    const { servers: preview } = await t.ok('mcp.importPreview', { text: pasted });
    expect(preview[0]).toMatchObject({
      command:
        "node notes.js [env: GH=<the studio's environment variable GITHUB_TOKEN>, KEY=<keychain secret notes-key>, NODE_OPTIONS='--import=data:text/javascript,evil()'] [warning: NODE_OPTIONS can make the program load or run other code than the command shows]",
      fields: [
        { name: 'NODE_OPTIONS', kind: 'env', looksSecret: false, value: '--import=data:text/javascript,evil()', changesCode: true },
        { name: 'GH', kind: 'env', looksSecret: false, reference: { env: 'GITHUB_TOKEN' } },
        { name: 'KEY', kind: 'env', looksSecret: false, reference: { secret: 'notes-key' } },
      ],
    });
    expect(preview[1]).toMatchObject({ fields: [{ name: 'Authorization', kind: 'header', looksSecret: false, reference: { env: 'OPENAI_API_KEY' } }] });
    // A server named like the model's keychain scope is refused before anything is added.
    const llm = await t.call('mcp.importPreview', { text: JSON.stringify({ mcpServers: { llm: { command: 'node', env: { K: { secret: 'apiKey' } } } } }) });
    expect(llm).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('mcpServers.llm: the server name "llm" is reserved') } });
  });

  it('accepts the bare map, flags a clash and refuses to import over it', async () => {
    await t.ok('mcp.saveServer', { name: 'files', server: crm() });
    const bare = JSON.stringify({ files: { command: 'npx', args: ['x'] }, notes: { command: 'node', args: ['notes.js'] } });
    const { servers: preview } = await t.ok('mcp.importPreview', { text: bare });
    expect(preview.map((s: { name: string; clash: boolean }) => [s.name, s.clash])).toEqual([['files', true], ['notes', false]]);
    expect(await t.call('mcp.import', { text: bare })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('already has MCP server named "files"') },
    });
    expect(Object.keys(await servers())).toEqual(['files']);
  });

  it('refuses bad JSON with line and column, and a bad entry with its field', async () => {
    const broken = '{\n  "mcpServers": {\n    "files": { "command": "npx", }\n  }\n}';
    expect(await t.call('mcp.importPreview', { text: broken })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/^The pasted text is not valid JSON: line 3, column \d+: /) },
    });
    expect(await t.call('mcp.importPreview', { text: '{"mcpServers": {"files": {"command": 42}}}' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'mcpServers.files.command: expected text' },
    });
    expect(await t.call('mcp.importPreview', { text: '{"mcpServers": {"my files": {"command": "npx"}}}' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('mcpServers["my files"]: a server name here uses letters') },
    });
  });

  it('never stores a secret-looking value in plain text without being told', async () => {
    const refused = await t.call('mcp.import', { text: claude });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('These values look like secrets: GITHUB_PERSONAL_ACCESS_TOKEN of "github"') },
    });
    expect(existsSync(join(t.dataDir, 'settings.json'))).toBe(false);

    // Told to keep it plain: stored as given (the owner's explicit choice).
    const out = await t.ok('mcp.import', { text: claude, keepPlain: [{ server: 'github', name: 'GITHUB_PERSONAL_ACCESS_TOKEN' }] });
    expect(out).toEqual({ added: ['files', 'github'], secretsStored: 0 });
    expect((await servers()).github.env.GITHUB_PERSONAL_ACCESS_TOKEN).toBe('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
    expect((await servers()).files).toEqual({ command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/me/docs'] });
  });

  it('stores the sandbox grant the owner ticked as the server\'s sandbox, part of what is approved (issue 19)', async () => {
    const pasted = JSON.stringify({
      mcpServers: {
        files: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/me/docs', '/home/me/photos'] },
        notes: { command: 'node', args: ['/opt/notes/index.js'], env: { NOTES_URL: 'https://notes.example.com/api' }, sandbox: { network: 'all' } },
        memory: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] },
      },
    });
    const { servers: preview } = await t.ok('mcp.importPreview', { text: pasted });
    expect(preview.map((s: { name: string; proposedGrant?: unknown; packageRegistry?: unknown }) => [s.name, s.proposedGrant, s.packageRegistry])).toEqual([
      ['files', { folders: [{ path: '/home/me/docs', access: 'write' }, { path: '/home/me/photos', access: 'write' }] }, ['registry.npmjs.org']],
      // The pasted 'all' is offered (unticked by the dialog), not stored unless sent back.
      ['notes', { network: 'all' }, undefined],
      ['memory', {}, ['registry.npmjs.org']],
    ]);
    expect(preview[1].command).toBe('node /opt/notes/index.js [env: NOTES_URL=https://notes.example.com/api]');

    // The owner unticked /home/me/photos and the whole network, ticked the registry for the first download.
    const grants = [
      { server: 'files', grant: { folders: [{ path: '/home/me/docs', access: 'write' }], network: { hosts: ['registry.npmjs.org'] } } },
      { server: 'notes', grant: { folders: [], network: 'none' } },
    ];
    expect(await t.ok('mcp.import', { text: pasted, grants })).toEqual({ added: ['files', 'notes', 'memory'], secretsStored: 0 });
    const stored = await servers();
    expect(stored.files).toEqual({ ...JSON.parse(pasted).mcpServers.files, sandbox: grants[0]!.grant });
    // An empty choice (and no choice) is the default sandbox: no `sandbox` stored, the pasted one dropped.
    expect(stored.notes).toEqual({ command: 'node', args: ['/opt/notes/index.js'], env: { NOTES_URL: 'https://notes.example.com/api' } });
    expect(stored.memory).toEqual({ command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] });

    // The grant is in the line the owner approves (and so in its fingerprint).
    const files = await t.ok('mcp.serverStatus', { server: 'files' });
    expect(files).toMatchObject({ consent: 'new' });
    expect(files.command).toBe('npx -y @modelcontextprotocol/server-filesystem /home/me/docs /home/me/photos [sandbox grants: read and write /home/me/docs, network to registry.npmjs.org]');
    await t.ok('mcp.approveServer', { server: 'files', command: files.command });
    expect(await t.ok('mcp.serverStatus', { server: 'files' })).toMatchObject({ consent: 'approved' });
    // Without the registry host: another grant, asked again.
    await t.ok('mcp.saveServer', { name: 'files', previousName: 'files', server: { ...stored.files, sandbox: { folders: grants[0]!.grant.folders } } });
    expect(await t.ok('mcp.serverStatus', { server: 'files' })).toMatchObject({ consent: 'changed' });
  });

  it('refuses a grant for an unknown or remote server, a server listed twice, or a grant that is not one, naming the server', async () => {
    const pasted = JSON.stringify({ mcpServers: { files: { command: 'npx', args: ['@modelcontextprotocol/server-filesystem', '/srv/docs'] }, remote: { url: 'https://mcp.example.com/mcp' } } });
    const folder = { folders: [{ path: '/srv/docs', access: 'write' }] };
    const refused = async (grants: unknown[]) => {
      const out = await t.call('mcp.import', { text: pasted, grants });
      expect(out).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(existsSync(join(t.dataDir, 'settings.json'))).toBe(false);
      return out.error!.message as string;
    };
    expect(await refused([{ server: 'fiels', grant: folder }])).toBe('mcp.import: a sandbox grant is for "fiels", which is not a server of the pasted config. Nothing was imported.');
    expect(await refused([{ server: 'remote', grant: {} }])).toBe('mcp.import: "remote" is a remote (url) server: it runs elsewhere and has no sandbox to grant. Nothing was imported.');
    expect(await refused([{ server: 'files', grant: folder }, { server: 'files', grant: {} }])).toBe('mcp.import: the sandbox grant of "files" is sent twice. Nothing was imported.');
    expect(await refused([{ server: 'files', grant: { folders: [{ path: '/srv/docs', access: 'all' }] } }])).toMatch(/^mcp\.import: the sandbox grant of "files" is not valid: sandbox\.folders\[0\]\.access: .*Nothing was imported\.$/);
    expect(await refused([{ server: 'files', grant: { network: 'some' } }])).toContain('the sandbox grant of "files" is not valid: sandbox.network');
    expect(await refused([{ server: 'files', grant: { folders: [], sudo: true } }])).toContain('the sandbox grant of "files" is not valid');
    expect(await refused([{ server: 'files', grant: { folders: [{ path: '/srv/docs', access: 'read' }, { path: '/srv/docs', access: 'write' }] } }])).toBe(
      'mcp.import: the sandbox grant of "files" lists the folder "/srv/docs" twice. Nothing was imported.',
    );
    expect(await t.ok('mcp.import', { text: pasted, grants: [{ server: 'files', grant: folder }] })).toEqual({ added: ['files', 'remote'], secretsStored: 0 });
    expect((await servers()).files.sandbox).toEqual(folder);
  });

  it('never stores a pasted OAuth client secret in plain text', async () => {
    const remote = JSON.stringify({
      mcpServers: { remote: { url: 'https://mcp.example.com/mcp', auth: { type: 'oauth2', tokenUrl: 'https://auth.example.com/token', clientId: 'app', clientSecret: 'cs-live-1234567890' } } },
    });
    expect(await t.call('mcp.import', { text: remote })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('an OAuth client secret in plain text ("remote")') },
    });
    expect(existsSync(join(t.dataDir, 'settings.json'))).toBe(false);
  });
});
