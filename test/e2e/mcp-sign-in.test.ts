// Browser sign-in of a remote MCP server in the settings screen, in headless Chromium against
// the real web host: the owner adds a server by its URL alone and approves it; its 401 shows as
// "needs sign-in" (not as a failed server); "Sign in" opens the sign-in page through BROWSER
// (the studio's environment: a follower that goes through the authorization server's redirect
// to the studio's loopback listener, as a browser after "Allow"); the card then says who
// signed in where, the tools are listed; "Sign out" revokes the tokens and asks for a sign-in
// again. The protected server is built from the SDK's mcpAuthRouter/requireBearerAuth
// (test/fixtures/oauth/authorization-server.ts). Screenshots: test-output/screenshots/sign-in-*.png.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN_SECRET_NAME } from '../../src-main/adapters/oauth/sign-in-record';
import type { KeytarLike } from '../../src-main/adapters/secrets/keytar-secrets';
import { SECRETS_SERVICE, secretAccount } from '../../src-main/core/secret-account';
import { DEFAULT_STUDIO_BOT } from '../../src-main/app/studio-service';
import { startAuthSetup, type AuthSetup } from '../fixtures/oauth/authorization-server';
import { filesUnder, findLeaks, requireTestKeyring } from '../support/keychain';
import { launchBrowser, openMcpSettings, screenshot, startStudio, textOf, visible, type Studio } from './support/studio';

requireTestKeyring();

const keytar = createRequire(import.meta.url)('keytar') as KeytarLike;
const SERVER = 'helpdesk';
const account = secretAccount({ bot: DEFAULT_STUDIO_BOT, scope: SERVER, name: SIGN_IN_SECRET_NAME });
let setup: AuthSetup;
let browser: Browser;
let studio: Studio;
let page: Page;

beforeAll(async () => {
  setup = await startAuthSetup();
  browser = await launchBrowser();
  const follower = resolve('test/fixtures/oauth/browser-follower.mjs');
  studio = await startStudio({ crm: false, env: { ...process.env, BROWSER: `${process.execPath} ${follower}` } });
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  page.on('pageerror', (error) => console.error('page error:', error));
});
afterAll(async () => {
  await page?.close();
  await browser?.close();
  await studio?.close();
  await setup?.stop();
  await keytar.deletePassword(SECRETS_SERVICE, account);
});

const signInState = (card: ReturnType<Page['getByTestId']>) => card.getByTestId('sign-in').getAttribute('data-state').catch(() => null);

describe('signing in to a remote MCP server', () => {
  it('add by URL, sign in with the browser, tools listed, sign out', { timeout: 180_000 }, async () => {
    await openMcpSettings(page, studio.host.url);
    await page.getByTestId('add-server').click();
    await page.getByTestId('server-name').fill(SERVER);
    await page.getByTestId('server-kind-url').check();
    await page.getByTestId('server-url').fill(setup.mcpUrl);
    await page.getByTestId('server-save').click();

    const card = page.getByTestId(`server-${SERVER}`);
    await visible(card.getByTestId('approve-server'));
    await card.getByTestId('approve-server').click();

    // Its 401 says "sign in", not "could not start".
    await expect.poll(() => signInState(card), { timeout: 60_000 }).toBe('needs-sign-in');
    expect(await textOf(card.getByTestId('server-state'))).toBe('Needs sign-in');
    expect(await card.getByTestId('server-problem').count()).toBe(0);
    expect(await card.getByTestId('server-error').count()).toBe(0);
    expect(await textOf(card.getByTestId('sign-in-needed'))).toContain('Sign in to use this server.');
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'sign-in-needed');

    await card.getByTestId('sign-in-button').click();
    await expect.poll(() => signInState(card), { timeout: 60_000 }).toBe('signed-in');
    expect(await textOf(card.getByTestId('signed-in'))).toContain(`Signed in at ${setup.issuer}`);
    expect(await textOf(card.getByTestId('signed-in-expiry'))).toContain('Access renews by itself');
    await visible(card.getByTestId('tool-whoami'));
    await visible(card.getByTestId('tool-echo'));
    await expect.poll(() => textOf(card.getByTestId('server-state')), { timeout: 30_000 }).toBe('Running');
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'sign-in-signed-in');

    // The tokens are in the keychain, nowhere in the studio's data folder.
    expect(await keytar.getPassword(SECRETS_SERVICE, account)).toContain('access_token');
    expect(findLeaks([...setup.tokens.keys()], { files: filesUnder(studio.dataDir) })).toEqual([]);

    await card.getByTestId('sign-out').click();
    await expect.poll(() => signInState(card), { timeout: 30_000 }).toBe('needs-sign-in');
    expect(setup.revocations.length).toBeGreaterThan(0);
    expect(await keytar.getPassword(SECRETS_SERVICE, account)).toBeNull();
    await screenshot(page, 'sign-in-signed-out');
  });
});
