// The WhatsApp screen with customers WhatsApp addresses by LID (Baileys 7), in headless Chromium against the real web host, with the scripted socket (Baileys'
// real event shapes), the real keychain, SQLite and flows/order-status.flow.json.
// Screenshot: test-output/screenshots/whatsapp-lid-customers.png.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeytarSecrets } from '../../src-main/adapters/secrets/keytar-secrets';
import { createWhatsAppSettingsStore } from '../../src-main/adapters/settings/whatsapp-settings';
import { authKeyAccount } from '../../src-main/adapters/whatsapp/encrypted-auth-state';
import { DEFAULT_STUDIO_BOT } from '../../src-main/app/studio-service';
import { scriptedSockets, textMessage } from '../fixtures/scripted-wa-socket';
import { requireTestKeyring } from '../support/keychain';
import { ASK, GREET } from '../support/whatsapp-harness';
import { launchBrowser, REPO, screenshot, startStudio, type Studio } from './support/studio';

requireTestKeyring();

const ALICE_PN = '31611111111@s.whatsapp.net';
const ALICE_LID = '205837461538918@lid';
const BEN_LID = '99887766554433@lid';
let browser: Browser;
let studio: Studio;
let page: Page;
const sockets = scriptedSockets();

beforeAll(async () => {
  browser = await launchBrowser();
  studio = await startStudio({ whatsappSocketFactory: sockets.factory });
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
const row = (jid: string) => page.locator(`[data-testid="wa-conversation"][data-jid="${jid}"]`);

describe('LID customers on the WhatsApp screen', () => {
  it('shows a customer who wrote from their LID by name and number, once, whichever address they use', async () => {
    await page.getByTestId('open-whatsapp').click();
    await visible(page.getByRole('heading', { name: /^WhatsApp/ }));
    await expect.poll(() => page.getByTestId('wa-state').textContent(), { timeout: 15_000 }).toBe('Not connected');
    await page.getByTestId('wa-flow').selectOption('order-status');
    // Checked against the CRM's tools first (its server starts): may take a few seconds.
    await expect.poll(() => page.getByTestId('wa-flow').inputValue(), { timeout: 15_000 }).toBe('order-status');
    await expect.poll(() => createWhatsAppSettingsStore({ dataDir: studio.dataDir }).get(DEFAULT_STUDIO_BOT).flowId).toBe('order-status');
    await page.getByTestId('wa-connect').click();
    await expect.poll(() => sockets.sockets.length, { timeout: 15_000 }).toBe(1);
    sockets.last().open();
    await expect.poll(() => page.getByTestId('wa-state').textContent(), { timeout: 15_000 }).toBe('Connected');

    // Baileys 7: the chat is the LID, the key names the phone number beside it.
    await sockets.last().upsert([textMessage(ALICE_LID, 'hi', { pushName: 'Alice', alt: ALICE_PN })]);
    await visible(row(ALICE_LID));
    await expect.poll(() => row(ALICE_LID).textContent()).toContain('Alice (+31611111111)');
    expect(await row(ALICE_LID).textContent()).not.toContain('@lid');

    // The same person from the phone number: still one row.
    await sockets.last().upsert([textMessage(ALICE_PN, 'A100', { pushName: 'Alice' })]);
    await expect.poll(() => sockets.last().sent.length, { timeout: 15_000 }).toBe(4);
    await expect.poll(() => page.getByTestId('wa-conversation').count()).toBe(1);
    expect(sockets.last().sent.slice(0, 2)).toEqual([
      { jid: ALICE_LID, text: GREET },
      { jid: ALICE_LID, text: ASK },
    ]);

    // A LID that WhatsApp gave no number for: no opaque id shown as a number.
    await sockets.last().upsert([textMessage(BEN_LID, 'hi')]);
    await visible(row(BEN_LID));
    await expect.poll(() => row(BEN_LID).locator('strong').textContent()).toBe('Number not shared yet');
    await screenshot(page, 'whatsapp-lid-customers');
  });
});
