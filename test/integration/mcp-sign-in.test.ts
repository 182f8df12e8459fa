// The browser sign-in of a remote MCP server (MCP authorization, OAuth 2.1 + PKCE), end to
// end with real parts: an authorization server and a protected MCP server built from the SDK's
// server-side auth pieces (test/fixtures/oauth/authorization-server.ts), the real keychain
// (gnome-keyring in a private D-Bus session), the real hub, and a "browser" (BROWSER pointed at
// a script that follows the redirects to our loopback listener).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createHttpTransport } from '../../src-main/adapters/mcp/http-transport';
import { createMcpHub, McpServerError, type McpHub } from '../../src-main/adapters/mcp/mcp-hub';
import { createMcpSignIn, type McpSignIn } from '../../src-main/adapters/oauth/mcp-sign-in';
import { openAuthorizationUrl } from '../../src-main/adapters/oauth/open-authorization-url';
import { SignInFailedError } from '../../src-main/adapters/oauth/sign-in-errors';
import { SIGN_IN_SECRET_NAME, SignInRecordSchema } from '../../src-main/adapters/oauth/sign-in-record';
import { createKeytarSecrets, type KeytarLike } from '../../src-main/adapters/secrets/keytar-secrets';
import { SECRETS_SERVICE, secretAccount } from '../../src-main/core/secret-account';
import { openWorkspace, type Workspace } from '../../src-main/app/workspace';
import type { ValueResolver } from '../../src-main/runtime/ports';
import type { HttpServerConfig } from '../../src-main/shared/workspace-config';
import { startAuthSetup, type AuthSetup } from '../fixtures/oauth/authorization-server';
import { startHttpMcpServer } from '../fixtures/http-mcp-server';
import { envWithoutDbus, filesUnder, findLeaks, flowbot, requireTestKeyring } from '../support/keychain';

requireTestKeyring();

const keytar = createRequire(import.meta.url)('keytar') as KeytarLike;
const secrets = createKeytarSecrets();
const FOLLOWER = resolve('test/fixtures/oauth/browser-follower.mjs');
const tag = randomBytes(4).toString('hex');
const dirs: string[] = [];
const accounts: string[] = [];
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});
afterAll(async () => {
  for (const account of accounts) await keytar.deletePassword(SECRETS_SERVICE, account);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowbot-sign-in-'));
  dirs.push(dir);
  return dir;
}

/** A bot name unique to this run, and the keychain account its sign-in of `server` lives in. */
function botFor(name: string, server = 'crm'): { bot: string; account: string } {
  const bot = `${name}-${tag}`;
  const account = secretAccount({ bot, scope: server, name: SIGN_IN_SECRET_NAME });
  accounts.push(account);
  return { bot, account };
}

/** The environment the "browser" runs in: BROWSER is our follower; it logs every page it visits. */
function browserEnv(dir: string): { env: Record<string, string | undefined>; log: () => { url?: string; status?: number; done?: number; text?: string }[] } {
  const file = join(dir, 'browser.log');
  return {
    env: { ...process.env, BROWSER: `${process.execPath} ${FOLLOWER}`, FOLLOWER_LOG: file },
    log: () => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, never>) : []),
  };
}

async function authSetup(opts?: Parameters<typeof startAuthSetup>[0]): Promise<AuthSetup> {
  const setup = await startAuthSetup(opts);
  cleanup.push(() => setup.stop());
  return setup;
}

async function workspaceFor(setup: AuthSetup, bot: string): Promise<{ ws: Workspace; dataDir: string }> {
  const dataDir = tempDir();
  const ws = await openWorkspace({ bot, config: { mcpServers: { crm: { url: setup.mcpUrl, tools: { echo: 'read', whoami: 'read' } } } }, dataDir, secrets });
  cleanup.push(() => ws.close());
  return { ws, dataDir };
}

async function signIn(signInService: McpSignIn, dir: string, server = 'crm') {
  const started = await signInService.startSignIn(server);
  const browser = browserEnv(dir);
  await started.openInBrowser(browser.env);
  return { started, status: await started.finished, browser };
}

const noSecrets: ValueResolver = async (value) => {
  if (typeof value === 'string') return value;
  throw new Error('no secrets in this test');
};

/** The sign-in service and a hub over the same clock, for renewing before expiry. */
function hubWithClock(setup: AuthSetup, bot: string, clock = { now: Date.now() }, extra: Partial<HttpServerConfig> = {}, resolveValue = noSecrets): { hub: McpHub; signIn: McpSignIn } {
  const servers: Record<string, HttpServerConfig> = { crm: { url: setup.mcpUrl, ...extra } };
  let hub!: McpHub;
  const signIn = createMcpSignIn({ bot, servers: () => servers, secrets, resolveValue, now: () => clock.now, onChange: (s) => hub.disconnect(s) });
  hub = createMcpHub({
    servers,
    resolveValue,
    cwd: process.cwd(),
    httpTransport: (name, cfg) => createHttpTransport(name, cfg, { resolveValue, signIn: signIn.connection(name)! }),
  });
  cleanup.push(() => hub.close());
  return { hub, signIn };
}

async function storedRecord(account: string) {
  const text = await keytar.getPassword(SECRETS_SERVICE, account);
  return text === null ? undefined : SignInRecordSchema.parse(JSON.parse(text));
}

describe('browser sign-in of a remote MCP server', () => {
  it('a server added by URL alone says it needs a sign-in; after signing in with the browser its tools are listed and called', async () => {
    const setup = await authSetup();
    const { bot, account } = botFor('first');
    const { ws } = await workspaceFor(setup, bot);

    expect(await ws.signIn.status('crm')).toEqual({ server: 'crm', state: 'unknown' });
    const refused = await ws.mcp.listTools('crm').then(() => undefined, (e: unknown) => e);
    expect(refused).toBeInstanceOf(McpServerError);
    expect((refused as McpServerError).kind).toBe('sign_in');
    expect((refused as McpServerError).message).toContain('needs you to sign in');
    // The server card's headline, as the catalogue keys the studio words in its language.
    expect(ws.hub.status('crm').lastError?.summaryText).toEqual([{ key: 'signIn.needsSignIn', params: { server: 'crm' } }]);
    expect(await ws.signIn.status('crm')).toMatchObject({ state: 'needs-sign-in', issuer: setup.issuer });
    // Nothing was registered or stored by the failed connection: only a sign-in does that.
    expect(setup.clients.size).toBe(0);
    expect(await keytar.getPassword(SECRETS_SERVICE, account)).toBeNull();

    const { started, status, browser } = await signIn(ws.signIn, tempDir());
    const url = new URL(started.authorizationUrl);
    expect(`${url.origin}${url.pathname}`).toBe(new URL('/authorize', setup.issuer).href);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('resource')).toBe(setup.mcpUrl);
    expect(url.searchParams.get('scope')).toBe('mcp:tools'); // the server's scopes_supported
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    // The browser's page says so (the follower writes its last line after our answer arrived).
    await vi.waitFor(() => expect(browser.log().at(-1)).toMatchObject({ done: 200, text: expect.stringContaining('You are signed in') }));

    expect(status).toMatchObject({ server: 'crm', state: 'signed-in', issuer: setup.issuer, scope: 'mcp:tools' });
    expect(status.expiresAt).toBeGreaterThan(Date.now());
    expect([...setup.clients.values()].map((c) => c.token_endpoint_auth_method)).toEqual(['none']);
    expect(setup.tokenRequests).toEqual([{ grantType: 'authorization_code', clientId: [...setup.clients.keys()][0], resource: setup.mcpUrl }]);
    // The listener took its one answer and is gone.
    await expect(fetch(started.redirectUrl)).rejects.toThrow();

    expect((await ws.mcp.listTools('crm')).map((t) => t.name).sort()).toEqual(['admin_report', 'echo', 'whoami']);
    expect((await ws.mcp.callTool('crm', 'echo', { text: 'hello' })).text).toBe('hello');
    expect(setup.mcpRequests.filter((r) => r.status < 300).every((r) => r.token !== undefined)).toBe(true);
  });

  it('keeps the tokens only in the keychain, keyed to the issuing authorization server', async () => {
    const setup = await authSetup();
    const { bot, account } = botFor('keychain');
    const { ws, dataDir } = await workspaceFor(setup, bot);
    await ws.mcp.listTools('crm').catch(() => undefined);
    await signIn(ws.signIn, tempDir());
    await ws.mcp.callTool('crm', 'whoami', {});
    const issued = [...setup.tokens.keys()];
    expect(issued.length).toBe(2);

    const record = await storedRecord(account);
    expect(record?.tokens).toMatchObject({ issuer: setup.issuer });
    expect(record?.client).toMatchObject({ issuer: setup.issuer });
    expect(record?.url).toBe(setup.mcpUrl);
    expect(issued).toContain(record?.tokens?.access_token);
    expect(issued).toContain(record?.tokens?.refresh_token);
    // Nothing of them in the data folder (flowbot.db, approvals, anything else).
    const files = filesUnder(dataDir);
    expect(files.length).toBeGreaterThan(0);
    expect(findLeaks(issued, { files })).toEqual([]);
  });

  it('renews the access token before it expires, and again after the server rejects it', async () => {
    const setup = await authSetup({ lifetimeSeconds: 3600 });
    const { bot } = botFor('refresh');
    const clock = { now: Date.now() };
    const { hub, signIn: service } = hubWithClock(setup, bot, clock);
    await hub.listTools('crm').catch(() => undefined);
    await signIn(service, tempDir());
    await hub.callTool('crm', 'whoami', {});
    const first = setup.mcpRequests.at(-1)!.token!;

    // 59 minutes later by our clock: within the margin, so the token is renewed before it is sent.
    clock.now += 3540_000;
    const before = setup.mcpRequests.length;
    await hub.callTool('crm', 'echo', { text: 'later' });
    expect(setup.tokenRequests.map((r) => r.grantType)).toEqual(['authorization_code', 'refresh_token']);
    const after = setup.mcpRequests.slice(before);
    expect(after.every((r) => r.status < 300 && r.token !== first)).toBe(true);
    expect(setup.tokenRequests.at(-1)!.resource).toBe(setup.mcpUrl);

    // The server ends the token early: the 401 leads to a refresh and the call goes through.
    const second = setup.mcpRequests.at(-1)!.token!;
    setup.expire(second);
    const result = await hub.callTool('crm', 'echo', { text: 'again' });
    expect(result.text).toBe('again');
    expect(setup.tokenRequests.map((r) => r.grantType)).toEqual(['authorization_code', 'refresh_token', 'refresh_token']);
    expect(setup.mcpRequests.some((r) => r.status === 401 && r.token === second)).toBe(true);
    expect(setup.mcpRequests.at(-1)).toMatchObject({ status: 200 });
    expect(await service.status('crm')).toMatchObject({ state: 'signed-in' });
  });

  it('a revoked refresh token leaves "sign in again"; signing in again works', async () => {
    const setup = await authSetup();
    const { bot, account } = botFor('revoked');
    const clock = { now: Date.now() };
    const { hub, signIn: service } = hubWithClock(setup, bot, clock);
    await hub.listTools('crm').catch(() => undefined);
    await signIn(service, tempDir());
    await hub.callTool('crm', 'whoami', {});
    for (const [value] of setup.tokens) setup.revoke(value); // access and refresh token revoked at the server

    const refused = await hub.callTool('crm', 'echo', { text: 'x' }).then(() => undefined, (e: unknown) => e);
    expect((refused as McpServerError).kind).toBe('sign_in');
    expect((refused as McpServerError).message).toContain('needs you to sign in again');
    const status = await service.status('crm');
    expect(status).toMatchObject({ state: 'sign-in-again', issuer: setup.issuer });
    expect(status.reason).toMatch(/no longer accepts the saved sign-in/);
    expect(status.reasonText).toEqual([{ key: 'signIn.refreshRefused' }]); // the studio words it in its language
    const record = await storedRecord(account);
    expect(record?.tokens).toBeUndefined();
    expect(record?.signInAgain).toBe('refreshRefused');

    const again = await signIn(service, tempDir());
    expect(again.status).toMatchObject({ state: 'signed-in' });
    expect((await hub.callTool('crm', 'echo', { text: 'back' })).text).toBe('back');
  });

  it('refuses an answer whose state is not the one we sent; the code is never exchanged', async () => {
    const setup = await authSetup();
    const { bot } = botFor('state');
    const { ws } = await workspaceFor(setup, bot);
    setup.forgeStateOnce = 'forged-by-someone-else';
    const started = await ws.signIn.startSignIn('crm');
    const browser = browserEnv(tempDir());
    await started.openInBrowser(browser.env);
    const failed = await started.finished.then(() => undefined, (e: unknown) => e);
    expect(failed).toBeInstanceOf(SignInFailedError);
    expect((failed as SignInFailedError).kind).toBe('wrong_state');
    expect((failed as SignInFailedError).message).toContain('did not belong to the sign-in the studio started');
    await vi.waitFor(() => expect(browser.log().at(-1)).toMatchObject({ done: 400, text: expect.stringContaining('Sign-in failed') }));
    expect(setup.tokenRequests).toEqual([]);
    expect(await ws.signIn.status('crm')).toMatchObject({ state: 'needs-sign-in' });
    await expect(fetch(started.redirectUrl)).rejects.toThrow();
  });

  it('never opens an authorization URL that is not https (or http on loopback)', async () => {
    const setup = await authSetup();
    const { bot } = botFor('unsafe');
    const { ws } = await workspaceFor(setup, bot);
    for (const endpoint of ['http://auth.example.com/authorize', 'file:///etc/passwd']) {
      setup.authorizationEndpoint = endpoint;
      const refused = await ws.signIn.startSignIn('crm').then(() => undefined, (e: unknown) => e);
      expect(refused).toBeInstanceOf(SignInFailedError);
      expect((refused as SignInFailedError).kind).toBe('unsafe_url');
      expect((refused as SignInFailedError).message).toContain('only https addresses');
    }
    // The opener itself refuses such URLs and never runs BROWSER.
    const dir = tempDir();
    const browser = browserEnv(dir);
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'http://auth.example.com/authorize', 'https://user:pw@auth.example.com/']) {
      await expect(openAuthorizationUrl(url, browser.env)).rejects.toThrow(/was refused/);
    }
    expect(browser.log()).toEqual([]);
  });

  it('signing out revokes the tokens at the authorization server and deletes the keychain item', async () => {
    const setup = await authSetup();
    const { bot, account } = botFor('signout');
    const { ws } = await workspaceFor(setup, bot);
    await ws.mcp.listTools('crm').catch(() => undefined);
    await signIn(ws.signIn, tempDir());
    await ws.mcp.callTool('crm', 'whoami', {});
    const record = await storedRecord(account);

    const status = await ws.signIn.signOut('crm');
    expect(status).toMatchObject({ state: 'needs-sign-in' });
    expect(setup.revocations).toEqual([record?.tokens?.refresh_token, record?.tokens?.access_token]);
    expect(setup.liveAccessTokens()).toEqual([]);
    expect(await keytar.getPassword(SECRETS_SERVICE, account)).toBeNull();
    const refused = await ws.mcp.callTool('crm', 'whoami', {}).then(() => undefined, (e: unknown) => e);
    expect((refused as McpServerError).kind).toBe('sign_in');
  });

  it('a 403 insufficient_scope asks for a new sign-in with the scope the server named (step-up)', async () => {
    const setup = await authSetup();
    const { bot } = botFor('stepup');
    const { hub, signIn: service } = hubWithClock(setup, bot);
    await hub.listTools('crm').catch(() => undefined);
    await signIn(service, tempDir());
    expect((await hub.callTool('crm', 'echo', { text: 'plain' })).text).toBe('plain');

    const refused = await hub.callTool('crm', 'admin_report', {}).then(() => undefined, (e: unknown) => e);
    expect((refused as McpServerError).kind).toBe('sign_in');
    expect((refused as McpServerError).message).toContain('asks for more access (mcp:tools admin)');
    expect(await service.status('crm')).toMatchObject({ state: 'sign-in-again', reason: expect.stringContaining('mcp:tools admin') });

    await signIn(service, tempDir());
    expect(setup.authorizations.at(-1)!.scopes).toEqual(['mcp:tools', 'admin']);
    expect((await hub.callTool('crm', 'admin_report', {})).text).toBe('report');
    expect(await service.status('crm')).toMatchObject({ state: 'signed-in', scope: 'mcp:tools admin' });
  });

  it('stops asking for more access after two sign-ins that did not get it', async () => {
    const setup = await authSetup();
    setup.neverGrant = 'admin';
    const { bot } = botFor('stepup-limit');
    const { hub, signIn: service } = hubWithClock(setup, bot);
    await hub.listTools('crm').catch(() => undefined);
    await signIn(service, tempDir());
    const messages: string[] = [];
    for (let round = 0; round < 3; round++) {
      const refused = await hub.callTool('crm', 'admin_report', {}).then(() => undefined, (e: unknown) => e);
      messages.push((refused as McpServerError).message);
      if (round < 2) await signIn(service, tempDir());
    }
    expect(messages.slice(0, 2).every((m) => m.includes('asks for more access'))).toBe(true);
    expect(messages[2]).toContain('still refuses the call after you granted the access it asked for');
    expect(setup.authorizations.length).toBe(3);
  });

  it('uses a pre-registered client from the config (no registration; its secret never stored)', async () => {
    const secret = `pre-${randomBytes(8).toString('hex')}`;
    const setup = await authSetup({ preRegistered: [{ client_id: 'flowbot-desktop', client_secret: secret, redirect_uris: ['http://127.0.0.1/callback'], token_endpoint_auth_method: 'client_secret_post' }] });
    const { bot, account } = botFor('prereg');
    const resolve: ValueResolver = async (value, ref) => {
      if (typeof value === 'object' && 'env' in value && value.env === 'CRM_CLIENT_SECRET') return secret;
      throw new Error(`${ref.field}: unexpected`);
    };
    const { hub, signIn: service } = hubWithClock(setup, bot, undefined, { signIn: { clientId: 'flowbot-desktop', clientSecret: { env: 'CRM_CLIENT_SECRET' } } }, resolve);
    await hub.listTools('crm').catch(() => undefined);
    await signIn(service, tempDir());
    expect((await hub.callTool('crm', 'whoami', {})).text).toBe('flowbot-desktop');
    expect(setup.clients.size).toBe(1);
    expect(setup.tokenRequests.map((r) => r.clientId)).toEqual(['flowbot-desktop']);
    const stored = (await keytar.getPassword(SECRETS_SERVICE, account)) ?? '';
    expect(stored).toContain('access_token');
    expect(stored).not.toContain(secret);
  });

  it('identifies itself with a client ID metadata document URL when the authorization server supports it', async () => {
    const setup = await authSetup({ clientIdMetadataDocuments: true });
    const { bot } = botFor('cimd');
    const documentUrl = 'https://flowbot.example/oauth/client.json';
    const { hub, signIn: service } = hubWithClock(setup, bot, undefined, { signIn: { clientMetadataUrl: documentUrl } });
    await hub.listTools('crm').catch(() => undefined);
    const { started } = await signIn(service, tempDir());
    expect(new URL(started.authorizationUrl).searchParams.get('client_id')).toBe(documentUrl);
    expect(setup.clients.size).toBe(0); // no dynamic registration
    expect((await hub.callTool('crm', 'whoami', {})).text).toBe(documentUrl);
  });

  it('a remote server that needs no sign-in still works without any keychain', async () => {
    const plain = await startHttpMcpServer();
    cleanup.push(() => plain.stop());
    const dir = tempDir();
    const config = join(dir, 'workspace.json');
    writeFileSync(config, JSON.stringify({ mcpServers: { plain: { url: plain.url } } }));
    const ran = await flowbot(['mcp', 'tools', '--config', config, '--data-dir', join(dir, 'data'), '--json'], { env: envWithoutDbus() });
    expect(ran.code, ran.stderr).toBe(0);
    const [server] = (JSON.parse(ran.stdout.trim().split('\n')[0]!) as { servers: { name: string; status: string; tools: { name: string }[] }[] }).servers;
    expect(server).toMatchObject({ name: 'plain', status: 'ok' });
    expect(server!.tools.map((t) => t.name).sort()).toEqual(['echo', 'whoami']);
  });

  it('signs in to a 2025-03-26 server that is its own authorization server (no protected resource metadata)', async () => {
    const setup = await authSetup({ legacy: true });
    const { bot } = botFor('legacy');
    const { hub, signIn: service } = hubWithClock(setup, bot);
    const refused = await hub.listTools('crm').then(() => undefined, (e: unknown) => e);
    expect((refused as McpServerError).kind).toBe('sign_in');
    const { started, status } = await signIn(service, tempDir());
    expect(new URL(started.authorizationUrl).origin).toBe(new URL(setup.mcpUrl).origin);
    expect(status).toMatchObject({ state: 'signed-in' });
    expect((await hub.callTool('crm', 'echo', { text: 'old' })).text).toBe('old');
  });
});
