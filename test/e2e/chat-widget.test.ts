// The web chat page in Chromium, served by the studio's web host (the HTTP chat routes mounted
// before the page's GET-only rule, after its Host check) for the active bot, which answers with
// the flow chosen for WhatsApp (the support-ticket flow over the example CRM). The page opens a
// visitor session (no API key in the page), talks as its own customer, speaks the browser's
// language and runs under its strict CSP (no violation reported). The editor's build is not
// needed: a fixture renderer stands in for it.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSettingsStore } from '../../src-main/adapters/settings/settings-store';
import { createWhatsAppSettingsStore } from '../../src-main/adapters/settings/whatsapp-settings';
import { createHttpChatSettingsStore } from '../../src-main/adapters/settings/http-chat-settings';
import { DEFAULT_STUDIO_BOT } from '../../src-main/app/studio-service';
import { openWorkspace } from '../../src-main/app/workspace';
import { WorkspaceConfigSchema } from '../../src-main/shared/workspace-config';
import { WIDGET_CSP } from '../../src-main/web/chat-widget-page';
import { startWebHost, type WebHost } from '../../src-main/web/web-host';
import { crmServer } from '../support/crm-workspace';
import { CHROMIUM, REPO, visible } from './support/studio';

let root: string;
let host: WebHost;
let browser: Browser;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'flowbot-chat-widget-'));
  const dataDir = join(root, 'data');
  mkdirSync(join(dataDir, 'flows'), { recursive: true });
  copyFileSync(join(REPO, 'flows', 'support-ticket.flow.json'), join(dataDir, 'flows', 'support-ticket.flow.json'));
  const rendererDir = join(root, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Flowbot Studio</title>');
  // The owner approved the CRM (as the CLI records a config file's approval), chose the flow for WhatsApp and switched the web chat on.
  const config = WorkspaceConfigSchema.parse({ mcpServers: { crm: crmServer(root, { get_order_status: 'read', search_customers: 'read', create_ticket: 'write' }) } });
  createSettingsStore({ dataDir }).saveWorkspace(DEFAULT_STUDIO_BOT, config);
  const workspace = await openWorkspace({ bot: DEFAULT_STUDIO_BOT, config, dataDir, consent: 'config-approves' });
  try {
    await workspace.mcp.listTools('crm');
  } finally {
    await workspace.close();
  }
  createWhatsAppSettingsStore({ dataDir }).update(DEFAULT_STUDIO_BOT, { flowId: 'support-ticket' });
  createHttpChatSettingsStore({ dataDir }).update(DEFAULT_STUDIO_BOT, { widget: true });
  host = await startWebHost({ dataDir, rendererDir, templatesDir: join(REPO, 'flows'), log: () => undefined });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  rmSync(root, { recursive: true, force: true });
});

/** A raw request with the Host header as given (the web host checks it before any route). */
function raw(path: string, hostHeader: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: host.port, path, method: 'POST', headers: { Host: hostHeader, 'Content-Type': 'application/json' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end('{"text":"hi"}');
  });
}

describe('the web chat page in Chromium', () => {
  it('opens a session, chats with the bot in the browser’s language, under its CSP', async () => {
    const page = await browser.newPage({ locale: 'pt-BR' });
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    const response = await page.goto(`http://127.0.0.1:${host.port}/chat/${DEFAULT_STUDIO_BOT}`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toBe(WIDGET_CSP);
    await visible(page.getByRole('heading', { name: 'Fale conosco' }));
    await expect.poll(() => page.getByRole('status').textContent()).toBe('');

    await page.getByRole('textbox').fill('oi');
    await page.getByRole('button', { name: 'Enviar' }).click();
    await visible(page.locator('.msg.bot').filter({ hasText: 'customer number' }));
    await page.getByRole('textbox').fill('c1');
    await page.getByRole('button', { name: 'Enviar' }).click();
    await visible(page.locator('.msg.bot').filter({ hasText: 'Ana Souza' }));
    expect(await page.locator('.msg.customer').allTextContents()).toEqual(['oi', 'c1']);
    expect(violations).toEqual([]);
    await page.close();
  });

  it('the chat API is behind the web host’s Host check and needs the bot’s key, not the studio token', async () => {
    expect(await raw(`/api/v1/bots/${DEFAULT_STUDIO_BOT}/conversations/x/messages`, 'evil.example:80')).toBe(403);
    expect(await raw(`/api/v1/bots/${DEFAULT_STUDIO_BOT}/conversations/x/messages`, `127.0.0.1:${host.port}`)).toBe(401);
    expect(await raw(`/api/v1/bots/another-bot/conversations/x/messages`, `127.0.0.1:${host.port}`)).toBe(404);
  });
});
