// Helpers for the editor's end-to-end tests: a web host on a fresh data folder (with a small
// MCP catalogue), headless Chromium, and screenshots under test-output/screenshots/.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { ApiInput, ApiMethod, ApiOutput } from '../../../src-main/shared/api-contract';
import { WorkspaceConfigSchema, type WorkspaceConfig } from '../../../src-main/shared/workspace-config';
import { createSettingsStore } from '../../../src-main/adapters/settings/settings-store';
import { DEFAULT_STUDIO_BOT } from '../../../src-main/app/studio-service';
import { openWorkspace } from '../../../src-main/app/workspace';
import { startWebHost, type WebHost } from '../../../src-main/web/web-host';
import type { SocketFactory } from '../../../src-main/adapters/whatsapp/socket';

export const CHROMIUM = '/usr/bin/chromium';
export const REPO = resolve(import.meta.dirname, '../../..');
export const RENDERER_DIR = join(REPO, 'out', 'renderer');
export const SCREENSHOTS = join(REPO, 'test-output', 'screenshots');

/** Fails (never skips) when the browser or the built editor is missing: npm test provides both. */
export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: npm test installs it (apt-get install chromium)`);
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error('The editor is not built: run "npm run build" (npm test builds it first)');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The example CRM server, classified as in examples/workspace.json; its data in the test's folder. */
function crmWorkspace(root: string): WorkspaceConfig {
  return WorkspaceConfigSchema.parse({
    mcpServers: {
      crm: {
        command: process.execPath,
        args: [join(REPO, 'examples/crm-server/index.js')],
        env: { CRM_DATA_DIR: join(root, 'crm') },
        tools: { get_order_status: 'read', search_customers: 'read', create_ticket: 'write', update_address: 'write', book_appointment: 'write' },
        // Its data folder is under /tmp, which the sandbox hides: granted (the tests read crm.json).
        sandbox: { folders: [{ path: join(root, 'crm'), access: 'write' }] },
      },
    },
  });
}

/**
 * The owner has already approved the CRM server and its tools (the settings screens come with a
 * later release): the same approvals the CLI records when it takes a config file as approval.
 */
async function approveAsOwner(dataDir: string, config: WorkspaceConfig): Promise<void> {
  createSettingsStore({ dataDir }).saveWorkspace(DEFAULT_STUDIO_BOT, config);
  const workspace = await openWorkspace({ bot: DEFAULT_STUDIO_BOT, config, dataDir, consent: 'config-approves' });
  try {
    await workspace.mcp.listTools('crm');
  } finally {
    await workspace.close();
  }
}

export interface Studio {
  host: WebHost;
  dataDir: string;
  flowsDir: string;
  flowFile(id: string): string;
  readFlow(id: string): unknown;
  close(): Promise<void>;
}

/** A web host on a fresh data folder; with the real example CRM server unless `crm: false`; WhatsApp over the given socket factory (the scripted one); `env`: where the studio reads BROWSER. */
export async function startStudio(options: { crm?: boolean; whatsappSocketFactory?: SocketFactory; env?: NodeJS.ProcessEnv } = {}): Promise<Studio> {
  const root = mkdtempSync(join(tmpdir(), 'flowbot-e2e-'));
  const dataDir = join(root, 'data');
  const flowsDir = join(dataDir, 'flows');
  mkdirSync(flowsDir, { recursive: true });
  if (options.crm !== false) await approveAsOwner(dataDir, crmWorkspace(root));
  const host = await startWebHost({
    dataDir,
    rendererDir: RENDERER_DIR,
    templatesDir: join(REPO, 'flows'),
    ...(options.whatsappSocketFactory ? { whatsappSocketFactory: options.whatsappSocketFactory } : {}),
    ...(options.env ? { env: options.env } : {}),
    log: () => {},
  });
  const flowFile = (id: string) => join(flowsDir, `${id}.flow.json`);
  return {
    host,
    dataDir,
    flowsDir,
    flowFile,
    readFlow: (id) => JSON.parse(readFileSync(flowFile(id), 'utf8')) as unknown,
    async close() {
      await host.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/**
 * One API call from inside the page, over its own WebSocket authenticated like the editor's
 * (the tab's access token, kept by public/early-socket.js when the page was opened with
 * host.url, offered as a subprotocol); test set-up only; events on it are skipped.
 */
export function apiCall<M extends ApiMethod>(page: Page, method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
  return page.evaluate(
    ({ method, input }) =>
      new Promise<unknown>((done, fail) => {
        const ws = new WebSocket(`ws://${location.host}/api`, ['flowbot-api', `flowbot-token.${sessionStorage.getItem('flowbot-access-token') ?? ''}`]);
        ws.onopen = () => ws.send(JSON.stringify({ id: 1, method, input }));
        ws.onmessage = (m) => {
          const reply = JSON.parse(String(m.data)) as { id?: number; ok: boolean; output?: unknown; error?: { message: string } };
          if (reply.id !== 1) return; // an event, not the answer
          ws.close();
          if (reply.ok) done(reply.output);
          else fail(new Error(reply.error?.message));
        };
        ws.onerror = () => fail(new Error('socket error'));
      }),
    { method, input },
  ) as Promise<ApiOutput<M>>;
}

/** Waits (up to 15 s: servers start as processes, and the machine may be busy) until the locator shows. */
export const visible = (l: Locator) => expect.poll(() => l.isVisible(), { timeout: 15_000 }).toBe(true);

/** The locator's text ('' when it has none). */
export const textOf = (l: Locator) => l.textContent().then((t) => t ?? '');

/** The flows list, then Settings → MCP servers. */
export async function openMcpSettings(p: Page, url: string): Promise<void> {
  await p.goto(url);
  await visible(p.getByRole('heading', { name: 'Your flows' }));
  await p.getByTestId('open-settings').click();
  await p.getByTestId('settings-nav-mcp').click();
  await visible(p.getByTestId('mcp-panel'));
}
