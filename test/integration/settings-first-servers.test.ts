// A newcomer's first MCP servers, through the settings API with the real parts (the example CRM
// over stdio, SQLite, the simulator): "Add the example shop" in one call, then its tools listed
// and a read tool run in a simulated conversation; the example workspace pasted into "Import
// from another app" is asked about (relative paths), never resolved against the studio's own
// folder; a server whose file is missing says so in plain words, the stack trace kept as detail.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src-main/shared/run-event';
import { formatConsentText } from '../../src-main/shared/consent-texts';
import { openTestStudio, type TestStudio } from '../support/studio-api';

const EXAMPLES = resolve('examples');
const EXAMPLE_WORKSPACE = readFileSync(join(EXAMPLES, 'workspace.json'), 'utf8');
const EXAMPLE_CLASSES = JSON.parse(EXAMPLE_WORKSPACE).mcpServers.crm.tools;

let t: TestStudio;
beforeEach(() => {
  t = openTestStudio({ examplesDir: EXAMPLES });
});
afterEach(() => t.close());

const servers = async () => (await t.ok('settings.get')).config.mcpServers;
const settingsFile = () => join(t.dataDir, 'settings.json');

/** The next simulator event of `sessionId` that `match` accepts (awaited, not polled). */
function nextSimEvent(sessionId: string, match: (e: RunEvent) => boolean): Promise<RunEvent> {
  return new Promise((done) => {
    const off = t.studio.service.on((e) => {
      if (e.event === 'sim.event' && e.payload.sessionId === sessionId && match(e.payload.event)) {
        off();
        done(e.payload.event);
      }
    });
  });
}

describe('Add the example shop', () => {
  it('adds the bundled CRM with its tools classified and its data in the bot\'s folder; its tools list and a read runs in the simulator', async () => {
    const script = join(EXAMPLES, 'crm-server', 'index.js');
    const dataFolder = join(t.dataDir, 'bots', 'default', 'example-shop');
    const added = await t.ok('mcp.addExampleShop');
    expect(added).toEqual({ added: 'crm', command: `${process.execPath} ${script} [env: CRM_DATA_DIR=${dataFolder}] [sandbox grants: read and write ${dataFolder}]`, commandText: expect.any(Object) });
    expect(formatConsentText(added.commandText!, 'es')).toBe(`${process.execPath} ${script} [variables de entorno: CRM_DATA_DIR=${dataFolder}] [permisos del entorno aislado: leer y escribir ${dataFolder}]`);
    // Sandboxed (issue 19): the data folder is hidden from servers; the shop is granted its own.
    const sandbox = { folders: [{ path: dataFolder, access: 'write' }] };
    expect((await servers()).crm).toEqual({ command: process.execPath, args: [script], env: { CRM_DATA_DIR: dataFolder }, sandbox, tools: EXAMPLE_CLASSES });
    // One click: what it runs is approved with it (the app's own program); the tools wait for the owner.
    expect(await t.ok('mcp.serverStatus', { server: 'crm' })).toMatchObject({ consent: 'approved' });

    const { servers: catalog } = await t.ok('mcp.catalog');
    expect(catalog).toEqual([expect.objectContaining({ name: 'crm', status: 'ok' })]);
    const tools = catalog[0].tools as { name: string; definitionHash: string; effectiveClass: string; status: string }[];
    expect(tools.map((x) => x.name).sort()).toEqual(Object.keys(EXAMPLE_CLASSES).sort());
    await t.ok('mcp.approveTools', { server: 'crm', tools: tools.map(({ name, definitionHash }) => ({ name, definitionHash })) });
    const approved = (await t.ok('mcp.catalog')).servers[0].tools as { name: string; effectiveClass: string }[];
    expect(Object.fromEntries(approved.map((x) => [x.name, x.effectiveClass]))).toEqual(EXAMPLE_CLASSES);

    // A read tool through the studio: the order-status template, simulated.
    const flowId = (await t.ok('flows.create', { name: 'Where is my order', templateId: 'order-status' })).id as string;
    const { sessionId } = await t.ok('sim.start', { flowId });
    const lookup = nextSimEvent(sessionId, (e) => e.type === 'tool_call');
    expect(await t.ok('sim.send', { sessionId, text: 'A100' })).toEqual({ accepted: true });
    expect(await lookup).toMatchObject({ type: 'tool_call', server: 'crm', tool: 'get_order_status', status: 'executed', result: { orderId: 'A100', status: 'shipped' } });

    // Its data lives in the bot's data folder, not in the app's files.
    expect(existsSync(join(dataFolder, 'crm.json'))).toBe(true);
    expect(existsSync(join(EXAMPLES, 'crm-server', 'crm.json'))).toBe(false);
    expect(existsSync(join(EXAMPLES, '.crm-data'))).toBe(false);

    expect(await t.call('mcp.addExampleShop')).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'This bot already has an MCP server named "crm". Remove or rename it first, then add the example shop.' },
    });
  });

  it('says plainly when the app does not ship the example', async () => {
    await t.close();
    t = openTestStudio({ examplesDir: join(tmpdir(), 'flowbot-no-examples-here') });
    expect(await t.call('mcp.addExampleShop')).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/^The example shop is not part of this installation \(.*index\.js is missing\)\.$/) },
    });
    expect(existsSync(settingsFile())).toBe(false);
  });
});

describe('importing the example workspace (relative paths)', () => {
  it('lists the relative paths and refuses the import without a folder: nothing is resolved against the studio\'s folder', async () => {
    const { servers: preview } = await t.ok('mcp.importPreview', { text: EXAMPLE_WORKSPACE });
    expect(preview).toEqual([
      expect.objectContaining({
        name: 'crm',
        // Its pasted sandbox is the proposal, not part of the line until the owner sends it back.
        command: 'node crm-server/index.js [env: CRM_DATA_DIR=.crm-data]',
        proposedGrant: { folders: [{ path: '.crm-data', access: 'write' }] },
        relativePaths: [
          { where: 'args[0]', value: 'crm-server/index.js' },
          { where: 'env.CRM_DATA_DIR', value: '.crm-data' },
        ],
      }),
    ]);
    const refused = await t.call('mcp.import', { text: EXAMPLE_WORKSPACE });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(refused.error!.message).toBe(
      'The pasted config names files by a relative path ("crm-server/index.js" (crm), ".crm-data" (crm)), and pasted text does not say which folder they are in. ' +
        'Enter the folder they are relative to (usually the folder of the config file you copied it from), or write full paths in the text. Nothing was imported.',
    );
    expect(existsSync(settingsFile())).toBe(false);

    expect(await t.call('mcp.import', { text: EXAMPLE_WORKSPACE, folder: 'examples' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('The folder "examples" is not a full path') },
    });
    const nowhere = join(t.root, 'nowhere');
    expect(await t.call('mcp.import', { text: EXAMPLE_WORKSPACE, folder: nowhere })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: `The folder "${nowhere}" does not exist on this computer (or is not a folder).` },
    });
    expect(existsSync(settingsFile())).toBe(false);
  });

  it('with the folder named: the paths become absolute, the server runs there and starts', async () => {
    // The example's folder, copied (its node_modules linked) so its data stays in the test's folder.
    const folder = mkdtempSync(join(tmpdir(), 'flowbot-pasted-'));
    try {
      cpSync(join(EXAMPLES, 'crm-server'), join(folder, 'crm-server'), { recursive: true });
      symlinkSync(resolve('node_modules'), join(folder, 'node_modules'), 'dir');
      const script = join(folder, 'crm-server', 'index.js');

      const { servers: preview } = await t.ok('mcp.importPreview', { text: EXAMPLE_WORKSPACE, folder });
      expect(preview[0]).toMatchObject({ relativePaths: [], command: `node ${script} [env: CRM_DATA_DIR=.crm-data] [cwd: ${folder}]`, proposedGrant: { folders: [{ path: '.crm-data', access: 'write' }] } });
      const grants = [{ server: 'crm', grant: preview[0].proposedGrant }];
      expect(await t.ok('mcp.import', { text: EXAMPLE_WORKSPACE, folder, grants })).toEqual({ added: ['crm'], secretsStored: 0 });
      expect((await servers()).crm).toEqual({ command: 'node', args: [script], env: { CRM_DATA_DIR: '.crm-data' }, cwd: folder, sandbox: { folders: [{ path: '.crm-data', access: 'write' }] }, tools: EXAMPLE_CLASSES });

      const { command } = await t.ok('mcp.serverStatus', { server: 'crm' });
      await t.ok('mcp.approveServer', { server: 'crm', command });
      expect(await t.ok('mcp.connect', { server: 'crm' })).toMatchObject({ state: 'ready', serverInfo: { name: 'flowbot-example-crm' } });
      const tools = (await t.ok('mcp.catalog')).servers[0].tools as { name: string; definitionHash: string }[];
      await t.ok('mcp.approveTools', { server: 'crm', tools: tools.map(({ name, definitionHash }) => ({ name, definitionHash })) });
      expect(existsSync(join(folder, '.crm-data', 'crm.json'))).toBe(true);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('a server that cannot start, in plain words', () => {
  it('node with a missing file: the headline names the program and the file; the stack trace stays in the details', async () => {
    const missing = join(t.root, 'crm-server', 'index.js');
    await t.ok('mcp.saveServer', { name: 'shop', server: { command: process.execPath, args: [missing] } });
    const { command } = await t.ok('mcp.serverStatus', { server: 'shop' });
    await t.ok('mcp.approveServer', { server: 'shop', command });
    const status = await t.ok('mcp.connect', { server: 'shop' });
    expect(['restarting', 'circuit_open', 'failed']).toContain(status.state);
    expect(status.lastError.summary).toMatch(new RegExp(`^The program \`node\` could not find the file \`${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\`\\.`));
    expect(status.lastError.summary).not.toContain('node:internal');
    // The technical account and the stderr are still there, for "Details".
    expect(status.lastError.message).toContain('Cannot find module');
    expect(status.stderr).toContain('Cannot find module');
  });

  it('a program that is not installed', async () => {
    await t.ok('mcp.saveServer', { name: 'nope', server: { command: 'flowbot-no-such-program-x1', args: [] } });
    const { command } = await t.ok('mcp.serverStatus', { server: 'nope' });
    await t.ok('mcp.approveServer', { server: 'nope', command });
    const status = await t.ok('mcp.connect', { server: 'nope' });
    expect(status).toMatchObject({
      state: 'failed',
      lastError: { kind: 'not_found', summary: 'The program `flowbot-no-such-program-x1` is not installed on this computer (or not where Flowbot looks for programs).' },
    });
  });
});
