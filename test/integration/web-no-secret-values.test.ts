// No secret value is ever sent to the browser (issue 16: the studio is reachable from other
// machines): a keychain secret reaches the MCP server that declares it, and the server is
// careless on purpose (its title, instructions, tool title and description, its last words on
// stderr quote it), yet no API answer and no event carries it. The keychain is the real adapter
// over an in-memory keychain library (the double sits at the library's wire).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeytarSecrets, type KeytarLike } from '../../src-main/adapters/secrets/keytar-secrets';
import { createStudio, type Studio } from '../../src-main/app/studio';

const SERVER = resolve('test/fixtures/mcp-servers/says-its-token.js');
const TOKEN = `tok_${randomBytes(12).toString('hex')}`;

function memoryKeytar(): KeytarLike {
  const values = new Map<string, string>();
  const key = (service: string, account: string) => `${service}\u0000${account}`;
  return {
    getPassword: async (service, account) => values.get(key(service, account)) ?? null,
    setPassword: async (service, account, password) => void values.set(key(service, account), password),
    deletePassword: async (service, account) => values.delete(key(service, account)),
    findCredentials: async (service) =>
      [...values].filter(([k]) => k.startsWith(`${service}\u0000`)).map(([k, password]) => ({ account: k.split('\u0000')[1] as string, password })),
  };
}

let root: string;
let studio: Studio;
const sent: unknown[] = [];

async function call(method: string, input: unknown = {}): Promise<any> {
  const result = await studio.dispatcher.dispatch(method as never, input);
  sent.push(result);
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.output;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'flowbot-no-secret-values-'));
  studio = createStudio({
    dataDir: join(root, 'data'),
    templatesDir: resolve('flows'),
    secrets: createKeytarSecrets({ load: async () => memoryKeytar() }),
    watchFiles: false,
    log: () => {},
  });
  studio.service.events.on((event) => sent.push(event));
});

afterAll(async () => {
  await studio?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('no secret value reaches the browser', () => {
  it('whatever the MCP server says about itself', async () => {
    await call('secrets.set', { scope: 'talker', name: 'api-token', value: TOKEN });
    await call('secrets.set', { scope: 'quitter', name: 'api-token', value: TOKEN });
    const env = { API_TOKEN: { secret: 'api-token' } };
    await call('mcp.saveServer', { name: 'talker', server: { command: process.execPath, args: [SERVER], env, tools: { lookup: 'read' } } });
    await call('mcp.saveServer', { name: 'quitter', server: { command: process.execPath, args: [SERVER, 'exit'], env } });
    const first = await call('mcp.catalog');
    for (const server of first.servers) await call('mcp.approveServer', { server: server.name, command: server.command });

    const catalog = await call('mcp.catalog');
    expect(catalog.servers.find((s: { name: string }) => s.name === 'talker').status).toBe('ok');
    expect(catalog.servers.find((s: { name: string }) => s.name === 'quitter').status).toBe('error');
    await call('mcp.connect', { server: 'talker' });
    await call('mcp.connect', { server: 'quitter' });
    const talker = await call('mcp.serverStatus', { server: 'talker' });
    expect(talker.instructions).toContain('Use the key');
    await call('mcp.serverStatus', { server: 'quitter' });
    await call('settings.get');
    await call('secrets.status');
    await call('bots.list');

    const everything = JSON.stringify(sent);
    expect(everything).toContain('Looks things up with'); // the words are shown, the value is not
    expect(everything).not.toContain(TOKEN);
  });
});
