// `flowbot mcp login SERVER --config WS` and `flowbot mcp logout SERVER` through the real CLI
// against a remote MCP server protected by an SDK-built authorization server
// (test/fixtures/oauth/authorization-server.ts): before a sign-in, `mcp tools` and `chat` say
// which command signs in; `login` follows the browser sign-in (BROWSER is the redirect
// follower) and the tokens land in the keychain only; `mcp tools` and `chat` then use them;
// `logout` revokes them at the service and deletes them.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN_SECRET_NAME } from '../../src-main/adapters/oauth/sign-in-record';
import type { KeytarLike } from '../../src-main/adapters/secrets/keytar-secrets';
import { SECRETS_SERVICE, secretAccount } from '../../src-main/core/secret-account';
import { startAuthSetup, type AuthSetup } from '../fixtures/oauth/authorization-server';
import { runCli } from '../support/cli-process';
import { filesUnder, findLeaks, requireTestKeyring } from '../support/keychain';
import { flow, flowText, line, n } from '../unit/flow-builders';

requireTestKeyring();

const keytar = createRequire(import.meta.url)('keytar') as KeytarLike;
const bot = `cli-login-${randomBytes(4).toString('hex')}`;
const account = secretAccount({ bot, scope: 'remote', name: SIGN_IN_SECRET_NAME });
let dir: string;
let setup: AuthSetup;
let cfg: string;
let flowFile: string;
const dataDir = () => join(dir, 'data');
const common = () => ['--config', cfg, '--data-dir', dataDir(), '--bot', bot];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowbot-cli-login-'));
  setup = await startAuthSetup();
  cfg = join(dir, 'workspace.json');
  // The server by its URL alone: no client id, no token URL.
  writeFileSync(cfg, JSON.stringify({ mcpServers: { remote: { url: setup.mcpUrl, tools: { whoami: 'read', echo: 'read' } } } }));
  flowFile = join(dir, 'whoami.flow.json');
  writeFileSync(
    flowFile,
    flowText(flow([n.start(), n.tool('who', { server: 'remote', tool: 'whoami', saveAs: 'me' }), n.message('m', 'done'), n.end()], line('start', 'who', 'm', 'end'), { id: 'whoami' })),
  );
  // The CLI's "browser": follows the authorization server's redirect to the loopback listener.
  process.env.BROWSER = `${process.execPath} ${resolve('test/fixtures/oauth/browser-follower.mjs')}`;
});
afterAll(async () => {
  await keytar.deletePassword(SECRETS_SERVICE, account);
  await setup?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const textOf = (run: { events: { type: string; text?: unknown }[]; stderr: string }) =>
  run.events.map((e) => (e.type === 'text' ? String(e.text) : JSON.stringify(e))).join('\n') + run.stderr;

// Each test runs the CLI several times (a process each): a busy machine needs minutes.
describe('flowbot mcp login / logout', { timeout: 240_000 }, () => {
  it('before any sign-in, mcp tools and chat name the command that signs in', async () => {
    const tools = await runCli(['mcp', 'tools', ...common(), '--json']);
    expect(tools.code).toBe(1);
    const [server] = (tools.events[0] as unknown as { servers: { status: string; error: string }[] }).servers;
    expect(server!.status).toBe('error');
    expect(server!.error).toContain('needs you to sign in');
    expect(server!.error).toContain('flowbot mcp login remote');

    const chat = await runCli(['chat', flowFile, ...common(), '--json']);
    expect(chat.code).toBe(1);
    expect(textOf(chat)).toContain('flowbot mcp login remote');
    expect(setup.tokenRequests).toEqual([]);
  });

  it('login needs one server name', async () => {
    const { code, stderr } = await runCli(['mcp', 'login', '--config', cfg]);
    expect(code).toBe(2);
    expect(stderr).toContain('mcp login needs the name of one server: flowbot mcp login SERVER --config WS');
  });

  it('login signs in with the browser; the tokens are in the keychain only, and mcp tools and chat use them', async () => {
    const login = await runCli(['mcp', 'login', 'remote', ...common()]);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stderr).toContain(`${setup.issuer}authorize?`); // the address is printed, for a browser that does not start
    expect(textOf(login)).toContain(`Signed in to MCP server "remote" at ${setup.issuer}.`);
    expect(setup.tokenRequests.map((r) => r.grantType)).toEqual(['authorization_code']);

    const stored = await keytar.getPassword(SECRETS_SERVICE, account);
    expect(stored).toContain('access_token');
    const issued = [...setup.tokens.keys()];
    expect(findLeaks(issued, { files: filesUnder(dataDir()), texts: { stdout: textOf(login) } })).toEqual([]);

    const tools = await runCli(['mcp', 'tools', ...common(), '--json']);
    expect(tools.code, tools.stderr).toBe(0);
    const [server] = (tools.events[0] as unknown as { servers: { status: string; tools: { name: string }[] }[] }).servers;
    expect(server!.tools.map((t) => t.name)).toEqual(expect.arrayContaining(['echo', 'whoami']));

    const chat = await runCli(['chat', flowFile, ...common(), '--json']);
    expect(chat.code, chat.stderr).toBe(0);
    expect(chat.events).toContainEqual(expect.objectContaining({ type: 'tool_call', server: 'remote', tool: 'whoami', status: 'executed' }));
    expect(setup.mcpRequests.filter((r) => r.status === 200).every((r) => r.token && issued.includes(r.token))).toBe(true);
  });

  it('logout revokes the tokens at the service and deletes them; mcp tools then asks for a login again', async () => {
    const logout = await runCli(['mcp', 'logout', 'remote', ...common()]);
    expect(logout.code, logout.stderr).toBe(0);
    expect(textOf(logout)).toContain('Signed out of MCP server "remote"');
    expect(setup.revocations.length).toBeGreaterThan(0);
    expect(await keytar.getPassword(SECRETS_SERVICE, account)).toBeNull();

    const tools = await runCli(['mcp', 'tools', ...common(), '--json']);
    expect(tools.code).toBe(1);
    expect(JSON.stringify(tools.events)).toContain('flowbot mcp login remote');
  });

  it('logout without --config deletes a stored sign-in from the keychain; with nothing stored it says so (exit 1)', async () => {
    expect((await runCli(['mcp', 'login', 'remote', ...common()])).code).toBe(0);
    const forget = await runCli(['mcp', 'logout', 'remote', '--bot', bot]);
    expect(forget.code, forget.stderr).toBe(0);
    expect(textOf(forget)).toContain('It was not revoked at the service: give --config WS to do that too.');
    expect(await keytar.getPassword(SECRETS_SERVICE, account)).toBeNull();

    const again = await runCli(['mcp', 'logout', 'remote', '--bot', bot]);
    expect(again.code).toBe(1);
    expect(textOf(again)).toContain(`There was no sign-in of MCP server "remote" (bot "${bot}") in the keychain.`);
  });
});
