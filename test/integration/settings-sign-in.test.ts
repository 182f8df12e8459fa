// The sign-in part of the settings API (mcp.signInStatus, mcp.signIn, mcp.signOut and the
// mcp.signInChanged event) through the studio's dispatcher, as the web host and the desktop
// app carry it: inputs validated like every method; a program on this computer, an unknown or
// unapproved server refused saying why; in the web host without BROWSER the studio leaves the
// page to the editor's tab (`opened: false`), and the sign-in finishes once that page is
// followed. Real parts: an SDK-built authorization server and protected MCP server, the keychain.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN_SECRET_NAME } from '../../src-main/adapters/oauth/sign-in-record';
import type { KeytarLike } from '../../src-main/adapters/secrets/keytar-secrets';
import { SECRETS_SERVICE, secretAccount } from '../../src-main/core/secret-account';
import { DEFAULT_STUDIO_BOT } from '../../src-main/app/studio-service';
import { startAuthSetup, type AuthSetup } from '../fixtures/oauth/authorization-server';
import { requireTestKeyring } from '../support/keychain';
import { openTestStudio, type TestStudio } from '../support/studio-api';

requireTestKeyring();

const keytar = createRequire(import.meta.url)('keytar') as KeytarLike;
const SERVER = 'shopdesk';
let setup: AuthSetup;
let t: TestStudio;

beforeAll(async () => {
  setup = await startAuthSetup();
  // The web host's studio with no BROWSER: sign-in pages are the page's to open.
  t = openTestStudio({ env: {} });
  await t.ok('mcp.saveServer', { name: SERVER, server: { url: setup.mcpUrl } });
  await t.ok('mcp.saveServer', { name: 'local', server: { command: process.execPath, args: ['-e', '0'] } });
});
afterAll(async () => {
  await t?.close();
  await setup?.stop();
  await keytar.deletePassword(SECRETS_SERVICE, secretAccount({ bot: DEFAULT_STUDIO_BOT, scope: SERVER, name: SIGN_IN_SECRET_NAME }));
});

/** What the editor's new tab does with the page: the authorization server approves at once and redirects to the loopback listener. */
async function followInBrowser(url: string): Promise<number> {
  let next = url;
  for (let hop = 0; hop < 10; hop++) {
    const res = await fetch(next, { redirect: 'manual' });
    const location = res.headers.get('location');
    await res.body?.cancel();
    if (res.status < 300 || res.status >= 400 || !location) return res.status;
    next = new URL(location, next).href;
  }
  throw new Error('too many redirects');
}

const signInEvents = () => t.events.filter((e) => e.event === 'mcp.signInChanged').map((e) => e.payload);

describe('the sign-in API', () => {
  it('validates its input like every method', async () => {
    expect((await t.call('mcp.signIn', { server: '../etc' })).error?.code).toBe('INVALID_INPUT');
    expect((await t.call('mcp.signInStatus', { server: SERVER, token: 'x' })).error?.code).toBe('INVALID_INPUT');
    expect((await t.call('mcp.signOut', {})).error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('server') });
  });

  it('refuses, saying why: an unknown server, a program on this computer, a server not approved yet', async () => {
    expect((await t.call('mcp.signIn', { server: 'nope' })).error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining(`servers: ${SERVER}, local`) });
    expect(await t.ok('mcp.signInStatus', { server: 'local' })).toEqual({ server: 'local', state: 'not-needed' });
    expect((await t.call('mcp.signIn', { server: 'local' })).error).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('runs on this computer'),
      text: { key: 'signIn.notRemote', params: { server: 'local' } },
    });
    expect((await t.call('mcp.signIn', { server: SERVER })).error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(`Approve what MCP server "${SERVER}" connects to`) });
    expect(setup.clients.size).toBe(0);
  });

  it('a server added by URL alone: its 401 means "needs sign-in"; the page opens in the tab; then signed in, tools listed; sign out', async () => {
    const consent = await t.ok('mcp.serverStatus', { server: SERVER });
    await t.ok('mcp.approveServer', { server: SERVER, command: consent.command });
    expect(await t.ok('mcp.signInStatus', { server: SERVER })).toMatchObject({ state: 'unknown' });
    const before = (await t.ok('mcp.catalog')).servers.find((s: { name: string }) => s.name === SERVER);
    expect(before).toMatchObject({ status: 'error', error: expect.stringContaining('needs you to sign in') });
    expect(await t.ok('mcp.signInStatus', { server: SERVER })).toMatchObject({ state: 'needs-sign-in', issuer: setup.issuer });

    const started = await t.ok('mcp.signIn', { server: SERVER });
    expect(started.opened).toBe(false); // no BROWSER: the editor opens it in a new tab
    expect(started.authorizationUrl.startsWith(`${setup.issuer}authorize?`)).toBe(true);
    expect(await followInBrowser(started.authorizationUrl)).toBe(200);
    await expect.poll(() => signInEvents(), { timeout: 30_000 }).toContainEqual({ bot: DEFAULT_STUDIO_BOT, server: SERVER, state: 'signed-in' });

    const status = await t.ok('mcp.signInStatus', { server: SERVER });
    expect(status).toMatchObject({ server: SERVER, state: 'signed-in', issuer: setup.issuer });
    expect(status.expiresAt).toBeGreaterThan(Date.now());
    expect(JSON.stringify(status)).not.toMatch(/at-|rt-/); // no token in what the page gets
    const after = (await t.ok('mcp.catalog')).servers.find((s: { name: string }) => s.name === SERVER);
    expect(after.status).toBe('ok');
    expect(after.tools.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(['echo', 'whoami']));

    expect(await t.ok('mcp.signOut', { server: SERVER })).toMatchObject({ state: 'needs-sign-in' });
    expect(setup.revocations.length).toBeGreaterThan(0);
    expect(signInEvents().at(-1)).toEqual({ bot: DEFAULT_STUDIO_BOT, server: SERVER, state: 'needs-sign-in' });
  });
});
