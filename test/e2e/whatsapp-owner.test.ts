// The owner in the loop and opening hours as an owner uses them, in headless Chromium against the
// real web host, with the scripted socket in place of WhatsApp, the real keychain, SQLite and the
// example CRM: a conversation waiting for a human comes to the top of the WhatsApp screen, marked;
// the opening-hours editor keeps what was set across a reload and says what is wrong.
// Screenshots: test-output/screenshots/whatsapp-owner-*.png, settings-opening-hours*.png.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeytarSecrets } from '../../src-main/adapters/secrets/keytar-secrets';
import { authKeyAccount } from '../../src-main/adapters/whatsapp/encrypted-auth-state';
import { DEFAULT_STUDIO_BOT } from '../../src-main/app/studio-service';
import { scriptedSockets, textMessage } from '../fixtures/scripted-wa-socket';
import { requireTestKeyring } from '../support/keychain';
import { apiCall, launchBrowser, REPO, screenshot, startStudio, visible, type Studio } from './support/studio';

requireTestKeyring();

const ALICE = '31611111111@s.whatsapp.net';
const BEN = '44201111111@s.whatsapp.net';
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

const rows = () => page.getByTestId('wa-conversation').evaluateAll((items) => items.map((b) => `${b.getAttribute('data-jid')}${b.getAttribute('data-waiting') ? ' waiting' : ''}`));

describe('the owner in the loop', () => {
  it('a customer waiting for a human is at the top, marked, and announced', async () => {
    await page.getByTestId('open-whatsapp').click();
    await visible(page.getByTestId('wa-flow'));
    await page.getByTestId('wa-flow').selectOption('order-status');
    // Chosen once the studio checked the flow against the CRM's tools (its server starts first).
    await expect.poll(async () => (await apiCall(page, 'whatsapp.status', {})).flowId, { timeout: 30_000 }).toBe('order-status');
    await page.getByTestId('wa-connect').click();
    await expect.poll(() => sockets.sockets.length, { timeout: 15_000 }).toBe(1);
    sockets.last().open();
    await expect.poll(() => page.getByTestId('wa-state').textContent(), { timeout: 15_000 }).toBe('Connected');

    sockets.last().upsert([textMessage(BEN, 'hi', { pushName: 'Ben' })]);
    await expect.poll(() => sockets.last().sent.filter((m) => m.jid === BEN).length, { timeout: 15_000 }).toBe(2);
    await apiCall(page, 'whatsapp.takeOver', { jid: BEN });
    sockets.last().upsert([textMessage(BEN, 'Can a person help me?', { pushName: 'Ben' })]);
    // The notice: a toast in the studio (the desktop app also shows a system notification).
    await visible(page.getByText('Ben is waiting for your answer.', { exact: false }));
    // Alice writes after Ben: the most recent, yet Ben, who waits, stays on top.
    sockets.last().upsert([textMessage(ALICE, 'hi', { pushName: 'Alice' })]);
    await expect.poll(rows, { timeout: 15_000 }).toEqual([`${BEN} waiting`, ALICE]);
    await expect.poll(() => page.getByTestId('wa-waiting').textContent()).toBe('Waiting for you');
    await screenshot(page, 'whatsapp-owner-waiting-first');

    // Let the bot answer again: nobody waits any more.
    await page.locator(`[data-testid="wa-conversation"][data-jid="${BEN}"]`).click();
    await page.getByTestId('wa-release').click();
    await expect.poll(() => page.getByTestId('wa-waiting').count(), { timeout: 15_000 }).toBe(0);
  });

  it('keeps the takeover minutes and the owner’s number', async () => {
    await page.getByTestId('wa-takeover-minutes').fill('45');
    await page.getByTestId('wa-notify-number').fill('+31 6 9999 9999');
    await page.getByTestId('wa-owner-loop-save').click();
    await visible(page.getByText('Saved.', { exact: true }));
    await page.reload();
    await expect.poll(() => page.getByTestId('wa-takeover-minutes').inputValue(), { timeout: 15_000 }).toBe('45');
    expect(await page.getByTestId('wa-notify-number').inputValue()).toBe('+31 6 9999 9999');
  });
});

describe('opening hours in Settings → Bots', () => {
  it('sets the hours, the zone and a closed day; saved, they are there after a reload', async () => {
    await page.getByTestId('back').click();
    await page.getByTestId('open-settings').click();
    await page.getByTestId('settings-nav-bots').click();
    const editor = page.getByTestId('bot-opening-hours');
    await visible(editor);
    await page.getByTestId('hours-enabled').check();
    await page.getByTestId('hours-zone').selectOption('Europe/Lisbon');
    await page.getByTestId('hours-mon-0-from').fill('08:30');
    await page.getByTestId('hours-add-sat').click();
    await page.getByTestId('hours-sat-0-to').fill('13:00');
    await page.getByTestId('hours-closed-date').fill('2026-12-25');
    await page.getByTestId('hours-add-closed').click();
    await page.getByTestId('hours-away').check();

    // A range that opens and closes at once: said, and nothing saved.
    await page.getByTestId('hours-tue-0-to').fill('09:00');
    await page.getByTestId('hours-save').click();
    await expect.poll(() => page.getByTestId('hours-problem').textContent()).toBe('Tuesday, range 1: it opens and closes at the same time.');
    expect((await apiCall(page, 'settings.get', {})).config.openingHours).toBeUndefined();
    await screenshot(page, 'settings-opening-hours-problem');

    await page.getByTestId('hours-tue-0-to').fill('17:00');
    await page.getByTestId('hours-save').click();
    await visible(page.getByText('Opening hours saved.'));
    await page.reload();
    await visible(editor);
    await expect.poll(() => page.getByTestId('hours-zone').inputValue(), { timeout: 15_000 }).toBe('Europe/Lisbon');
    expect(await page.getByTestId('hours-mon-0-from').inputValue()).toBe('08:30');
    expect(await page.getByTestId('hours-sat-0-from').inputValue()).toBe('09:00');
    expect(await page.getByTestId('hours-sat-0-to').inputValue()).toBe('13:00');
    expect(await page.getByTestId('hours-closed').textContent()).toContain('2026-12-25');
    expect(await page.getByTestId('hours-away').isChecked()).toBe(true);
    expect((await apiCall(page, 'settings.get', {})).config.openingHours).toMatchObject({
      timeZone: 'Europe/Lisbon',
      weekly: { mon: [{ from: '08:30', to: '17:00' }], sat: [{ from: '09:00', to: '13:00' }] },
      closed: ['2026-12-25'],
      awayMessage: 'on',
    });
    await screenshot(page, 'settings-opening-hours');
  });
});
