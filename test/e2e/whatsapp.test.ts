// The WhatsApp screen as an owner uses it, in headless Chromium against the real web host, with
// the scripted socket (Baileys' real event shapes) in place of WhatsApp, the real keychain
// (gnome-keyring), SQLite and the example CRM answering through flows/order-status.flow.json.
// Screenshots: test-output/screenshots/whatsapp-*.png.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { DisconnectReason } from 'baileys';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeytarSecrets } from '../../src-main/adapters/secrets/keytar-secrets';
import { createWhatsAppSettingsStore } from '../../src-main/adapters/settings/whatsapp-settings';
import { authKeyAccount } from '../../src-main/adapters/whatsapp/encrypted-auth-state';
import { DEFAULT_STUDIO_BOT } from '../../src-main/app/studio-service';
import { scriptedSockets, textMessage } from '../fixtures/scripted-wa-socket';
import { requireTestKeyring } from '../support/keychain';
import { ASK, BYE, GREET, orderReply } from '../support/whatsapp-harness';
import { launchBrowser, REPO, screenshot, startStudio, type Studio } from './support/studio';

requireTestKeyring();

const ALICE = '31611111111@s.whatsapp.net';
let browser: Browser;
let studio: Studio;
let page: Page;
const sockets = scriptedSockets();
/** The next socket cannot be made (the network is down): the factory throws this. */
let failNextSocket: Error | undefined;

beforeAll(async () => {
  browser = await launchBrowser();
  studio = await startStudio({
    whatsappSocketFactory: (auth, options) => {
      const failure = failNextSocket;
      failNextSocket = undefined;
      if (failure) throw failure;
      return sockets.factory(auth, options);
    },
  });
  copyFileSync(join(REPO, 'flows', 'order-status.flow.json'), studio.flowFile('order-status'));
  page = await browser.newPage({ viewport: { width: 1400, height: 950 } });
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.goto(studio.host.url);
  await page.getByRole('heading', { name: 'Your flows' }).waitFor({ timeout: 20_000 });
}, 120_000);
afterAll(async () => {
  await page?.close();
  await studio?.close();
  await browser?.close();
  await createKeytarSecrets().delete(authKeyAccount(DEFAULT_STUDIO_BOT));
});

const visible = (l: Locator) => expect.poll(() => l.isVisible(), { timeout: 15_000 }).toBe(true);
const state = () => page.getByTestId('wa-state');
const stateIs = (title: string) => expect.poll(() => state().textContent(), { timeout: 15_000 }).toBe(title);
const transcript = () => page.getByTestId('wa-transcript').locator('li').evaluateAll((lis) => lis.map((li) => `${li.getAttribute('data-role')}: ${li.querySelector('.wa-msg-text')?.textContent}`));

describe('the WhatsApp screen', () => {
  it('links the phone with the QR code from the socket, then shows connected', async () => {
    await page.getByTestId('open-whatsapp').click();
    await visible(page.getByRole('heading', { name: /^WhatsApp/ }));
    expect(await page.title()).toBe('WhatsApp · Flowbot Studio');
    // The header names the bot as the owner named it (its id stays in the tooltip).
    await expect.poll(() => page.getByTestId('wa-title').textContent()).toBe('WhatsApp · My bot');
    expect(await page.getByTestId('wa-title').getAttribute('title')).toBe(`Bot id: ${DEFAULT_STUDIO_BOT}`);
    await stateIs('Not connected');
    await screenshot(page, 'whatsapp-bot-name');
    expect(sockets.sockets).toHaveLength(0); // nothing connects before the owner asks
    await visible(page.getByTestId('wa-no-conversations'));

    await page.getByTestId('wa-flow').selectOption('order-status');
    await expect.poll(() => page.getByTestId('wa-flow').inputValue(), { timeout: 30_000 }).toBe('order-status');

    await page.getByTestId('wa-connect').click();
    await expect.poll(() => sockets.sockets.length, { timeout: 15_000 }).toBe(1);
    sockets.last().qr('2@scripted-qr-ref,abc,def');
    await stateIs('Waiting for your phone');
    const qr = page.getByTestId('wa-qr');
    await visible(qr);
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    // The image really decoded: a QR of 264 px.
    await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(200);
    await screenshot(page, 'whatsapp-qr');

    sockets.last().open();
    await stateIs('Connected');
    await expect.poll(() => qr.count()).toBe(0);
    await screenshot(page, 'whatsapp-connected');
  });

  it('shows a customer answered by the flow, live, in the transcript; take over and release', async () => {
    sockets.last().upsert([textMessage(ALICE, 'hi', { pushName: 'Alice' })]);
    const alice = page.locator(`[data-testid="wa-conversation"][data-jid="${ALICE}"]`);
    await visible(alice);
    await expect.poll(() => alice.textContent()).toContain('Alice (+31611111111)');
    await expect.poll(transcript, { timeout: 15_000 }).toEqual(['customer: hi', `bot: ${GREET}`, `bot: ${ASK}`]);

    sockets.last().upsert([textMessage(ALICE, 'A100', { pushName: 'Alice' })]);
    await expect.poll(transcript, { timeout: 15_000 }).toEqual(['customer: hi', `bot: ${GREET}`, `bot: ${ASK}`, 'customer: A100', `bot: ${orderReply('A100', 'shipped')}`, `bot: ${BYE}`]);
    expect(sockets.last().sent.map((m) => m.text)).toEqual([GREET, ASK, orderReply('A100', 'shipped'), BYE]);
    await screenshot(page, 'whatsapp-transcript');

    await page.getByTestId('wa-take-over').click();
    await expect.poll(() => alice.textContent()).toContain('You are answering');
    sockets.last().upsert([textMessage(ALICE, 'can a person help me?', { pushName: 'Alice' })]);
    await expect.poll(transcript, { timeout: 15_000 }).toContain('customer: can a person help me?');
    expect(sockets.last().sent).toHaveLength(4); // the bot stayed silent
    await screenshot(page, 'whatsapp-taken-over');
    await page.getByTestId('wa-release').click();
    await visible(page.getByTestId('wa-take-over'));
  });

  it('the pause switch, and logged out after WhatsApp closes with 401', async () => {
    await page.getByTestId('wa-paused').check();
    await stateIs('Connected, paused');
    const stored = () => createWhatsAppSettingsStore({ dataDir: studio.dataDir }).get(DEFAULT_STUDIO_BOT);
    await expect.poll(() => stored().paused).toBe(true);
    expect(stored().flowId).toBe('order-status');
    await page.getByTestId('wa-paused').uncheck();
    await stateIs('Connected');
    await expect.poll(() => stored().paused).toBe(false);

    sockets.last().close(DisconnectReason.loggedOut, 'Connection Failure');
    await stateIs('Logged out');
    await visible(page.getByTestId('wa-connect'));
    await screenshot(page, 'whatsapp-logged-out');
  });

  it('a connection that cannot be made leaves Connecting and says why and what to do', async () => {
    failNextSocket = new Error('getaddrinfo ENOTFOUND web.whatsapp.com');
    await page.getByTestId('wa-connect').click();
    await stateIs('Could not connect');
    expect(await page.getByTestId('wa-hint').textContent()).toBe(
      'WhatsApp could not be reached (getaddrinfo ENOTFOUND web.whatsapp.com). Check the internet connection, then press Connect again.',
    );
    await visible(page.getByTestId('wa-connect'));
    await screenshot(page, 'whatsapp-could-not-connect');
  });
});
