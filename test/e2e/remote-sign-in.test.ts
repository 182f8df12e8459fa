// The studio served to other machines, as an owner uses it from a browser: Chromium opens the
// public https address (a self-signed certificate made here, the name mapped to this machine),
// lands on the sign-in page, is refused with a wrong password, signs in, sees the studio working
// over its API WebSocket, then signs out. Screenshots: test-output/screenshots/remote-*.png.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../src-main/web/web-host';
import { GENERATED_PASSWORD_COST, setWebPassword } from '../../src-main/web/remote/password-file';
import { ACCESS_TEXTS } from '../../src-main/web/remote/texts';
import { CHROMIUM, launchBrowser, RENDERER_DIR, REPO, screenshot, visible } from './support/studio';

const PUBLIC = 'studio.test';
const PASSWORD = 'the owner types this once';

let root: string;
let host: WebHost;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'flowbot-e2e-remote-'));
  const dataDir = join(root, 'data');
  mkdirSync(join(dataDir, 'flows'), { recursive: true });
  const pems = await generate([{ name: 'commonName', value: PUBLIC }], { keyType: 'ec', curve: 'P-256', extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: PUBLIC }] }] });
  writeFileSync(join(root, 'cert.pem'), pems.cert);
  writeFileSync(join(root, 'key.pem'), pems.private);
  await setWebPassword(dataDir, PASSWORD, { cost: GENERATED_PASSWORD_COST });
  host = await startWebHost({
    dataDir,
    rendererDir: RENDERER_DIR,
    templatesDir: join(REPO, 'flows'),
    host: '127.0.0.1',
    remote: { publicHosts: [PUBLIC], tls: { certFile: join(root, 'cert.pem'), keyFile: join(root, 'key.pem') }, onAccessEvent: () => {} },
    log: () => {},
  });
  await launchBrowser().then((b) => b.close()); // fails (never skips) when Chromium or the build is missing
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--host-resolver-rules=MAP ${PUBLIC} 127.0.0.1`],
  });
  context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US', viewport: { width: 1280, height: 860 } });
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await host?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the studio off loopback', () => {
  it('signs in through the page, shows the studio, and signs out', async () => {
    expect(host.url).toBe(`https://${PUBLIC}:${host.port}/`);
    await page.goto(host.url);
    expect(new URL(page.url()).pathname).toBe('/signin');
    await screenshot(page, 'remote-sign-in');

    await page.getByLabel(ACCESS_TEXTS.en.passwordLabel).fill('not the password at all');
    await page.getByRole('button', { name: ACCESS_TEXTS.en.submit }).click();
    await visible(page.getByText(ACCESS_TEXTS.en.wrongPassword));
    expect(await context.cookies()).toEqual([]);

    await page.getByLabel(ACCESS_TEXTS.en.passwordLabel).fill(PASSWORD);
    await page.getByRole('button', { name: ACCESS_TEXTS.en.submit }).click();
    await visible(page.getByRole('heading', { name: 'Your flows' }));
    expect(new URL(page.url()).pathname).toBe('/');
    const [cookie, ...others] = await context.cookies();
    expect(others).toEqual([]);
    expect(cookie).toMatchObject({ name: '__Host-flowbot-session', domain: PUBLIC, path: '/', httpOnly: true, secure: true, sameSite: 'Strict' });
    // The list came over the signed-in API WebSocket (the data folder has no flows yet).
    await visible(page.getByRole('heading', { name: 'No flows yet' }));
    expect(await page.evaluate(() => document.cookie)).toBe(''); // HttpOnly: no script reads it
    await screenshot(page, 'remote-studio');

    await page.goto(`https://${PUBLIC}:${host.port}/signout`);
    await page.getByRole('button', { name: ACCESS_TEXTS.en.signOutButton }).click();
    await visible(page.getByText(ACCESS_TEXTS.en.signedOut));
    expect(await context.cookies()).toEqual([]);
    await page.goto(host.url);
    expect(new URL(page.url()).pathname).toBe('/signin');
  });
});
