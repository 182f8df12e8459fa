// Helpers for the editor's end-to-end tests: a web host on a fresh data folder (with a small
// MCP catalogue), headless Chromium, and screenshots under test-output/screenshots/.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ApiOutput } from '../../../src-main/shared/api-contract';
import { startWebHost, type WebHost } from '../../../src-main/web/web-host';

export const CHROMIUM = '/usr/bin/chromium';
export const REPO = resolve(import.meta.dirname, '../../..');
export const RENDERER_DIR = join(REPO, 'out', 'renderer');
export const SCREENSHOTS = join(REPO, 'test-output', 'screenshots');
export const canRun = existsSync(CHROMIUM) && existsSync(join(RENDERER_DIR, 'index.html'));

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A CRM-like catalogue: one read tool and one write tool with an input schema. */
export const CATALOG: ApiOutput<'mcp.catalog'> = {
  servers: [
    {
      name: 'crm',
      status: 'ok',
      tools: [
        {
          name: 'get_order_status',
          title: 'Look up an order',
          description: 'Finds the status of an order by its number.',
          inputSchema: { type: 'object', properties: { orderId: { type: 'string', description: 'The order number' } }, required: ['orderId'] },
          suggestedClass: 'read',
          effectiveClass: 'read',
          status: 'approved',
        },
        {
          name: 'create_ticket',
          title: 'Create a support ticket',
          description: 'Opens a ticket in the CRM.',
          inputSchema: {
            type: 'object',
            properties: {
              subject: { type: 'string', description: 'One line about the problem' },
              priority: { type: 'string', enum: ['low', 'normal', 'high'] },
              notify: { type: 'boolean' },
            },
            required: ['subject', 'priority'],
          },
          suggestedClass: 'write',
          effectiveClass: 'write',
          status: 'approved',
        },
      ],
    },
  ],
};

export interface Studio {
  host: WebHost;
  dataDir: string;
  flowsDir: string;
  flowFile(id: string): string;
  readFlow(id: string): unknown;
  close(): Promise<void>;
}

export async function startStudio(options: { catalog?: boolean } = {}): Promise<Studio> {
  const root = mkdtempSync(join(tmpdir(), 'flowbot-e2e-'));
  const dataDir = join(root, 'data');
  const flowsDir = join(dataDir, 'flows');
  mkdirSync(flowsDir, { recursive: true });
  const host = await startWebHost({
    dataDir,
    rendererDir: RENDERER_DIR,
    templatesDir: join(REPO, 'flows'),
    // The MCP side replaced by a fixed catalogue: these tests are about the editor, not about
    // starting servers (test/integration covers that).
    ...(options.catalog === false ? {} : { mcp: { catalog: async () => CATALOG, approveServer: async () => {}, approveTools: async (_server: string, tools: string[]) => tools } }),
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
