// Settings → Bots: a bot exported as a bundle file and imported again through the screen, in
// headless Chromium against the real web host (npm test's D-Bus session with gnome-keyring: the
// preview asks the keychain which secrets are set). The preview lists the flows, the MCP server
// with its command line and the secret still to set; nothing is imported before "Import".
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSettingsStore } from '../../src-main/adapters/settings/settings-store';
import { requireTestKeyring } from '../support/keychain';
import { apiCall, launchBrowser, screenshot, startStudio, textOf, visible, type Studio } from './support/studio';

requireTestKeyring();

const tag = randomBytes(3).toString('hex');
const SECRET = `CRM_TOKEN_${tag}`;
let browser: Browser;
let studio: Studio;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  studio = await startStudio();
  const settings = createSettingsStore({ dataDir: studio.dataDir });
  const config = settings.workspace('default');
  const crm = config.mcpServers.crm!;
  settings.saveWorkspace('default', { ...config, mcpServers: { crm: { ...crm, env: { ...('env' in crm ? crm.env : {}), CRM_TOKEN: { secret: SECRET } } } } });
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  page.on('pageerror', (error) => console.error('page error:', error));
});
afterAll(async () => {
  await page?.close();
  await browser?.close();
  await studio?.close();
});

describe('Settings → Bots: export and import a bot', () => {
  it('exports the bot as a file, and the import preview lists the flows, the server and the missing secret', async () => {
    await page.goto(studio.host.url);
    await visible(page.getByRole('heading', { name: 'Your flows' }));
    await apiCall(page, 'flows.create', { name: 'Order status', templateId: 'order-status' });
    await page.getByTestId('open-settings').click();
    await visible(page.getByTestId('bots-panel'));

    const pending = page.waitForEvent('download');
    await page.getByTestId('export-bot-default').click();
    const download = await pending;
    expect(download.suggestedFilename()).toBe('default.flowbot-bot.json');
    const text = readFileSync((await download.path())!, 'utf8');
    expect(JSON.parse(text)).toMatchObject({ format: 'flowbot-bot-bundle', version: 1, secrets: [{ scope: 'crm', name: SECRET }] });

    await page.getByTestId('import-bot-input').setInputFiles({ name: download.suggestedFilename(), mimeType: 'application/json', buffer: Buffer.from(text) });
    const preview = page.getByTestId('bundle-preview');
    await visible(preview);
    // A bot "default" is here: nothing is replaced unless the owner says so.
    expect(await page.getByTestId('bundle-import').isDisabled()).toBe(true);
    await page.getByTestId('bundle-as').fill(`moved-${tag}`);
    await expect.poll(() => page.getByTestId('bundle-import').isDisabled()).toBe(false);
    expect(await textOf(page.getByTestId('bundle-flows'))).toContain('Order status');
    expect(await textOf(page.getByTestId('bundle-servers'))).toContain('crm-server/index.js');
    expect(await textOf(page.getByTestId('bundle-secrets'))).toContain(SECRET);
    await screenshot(page, 'settings-bot-import-preview');

    await page.getByTestId('bundle-import').click();
    await visible(page.getByTestId(`bot-moved-${tag}`));
    const stored = JSON.parse(readFileSync(join(studio.dataDir, 'settings.json'), 'utf8'));
    expect(stored.activeBot).toBe(`moved-${tag}`);
    expect(stored.bots[`moved-${tag}`].workspace.mcpServers.crm.env.CRM_TOKEN).toEqual({ secret: SECRET });
  });
});
