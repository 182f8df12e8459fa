// The Knowledge screen as an owner uses it, in headless Chromium against the real web host with
// the scripted model server (chat and embeddings): add a Markdown file and a broken PDF to a
// collection, see one indexed (with vectors) and the other failed with its reason, try a question
// and see the passage with its source, then talk to an AI step naming the collection in the
// simulator and see the passage it was given in the trace. Screenshots: knowledge-*.png.
import { writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../fixtures/scripted-llm-server';
import { apiCall, launchBrowser, screenshot, startStudio, textOf, visible, type Studio } from './support/studio';

const DELIVERY_MD = `# Delivery

## Sundays
We deliver on Sundays from 8:00 to 12:00 in the neighbourhoods of Vila Madalena and Pinheiros.

## Fees
Delivery costs R$ 7 for orders under R$ 50 and is free above.
`;

const FLOW = {
  schemaVersion: 1,
  id: 'bakery-questions',
  name: 'Bakery questions',
  nodes: [
    { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} },
    { id: 'ask', type: 'ask', position: { x: 0, y: 120 }, data: { question: 'What would you like to know?', saveAs: 'question', answer: { kind: 'text' } } },
    {
      id: 'answer',
      type: 'llm',
      label: 'Answer from the documents',
      position: { x: 0, y: 240 },
      data: { instructions: 'You answer questions of the bakery customers.', input: '{{question}}', tools: [], output: { mode: 'reply' }, knowledge: { collections: ['shop'], limit: 2 } },
    },
    { id: 'done', type: 'end', position: { x: 0, y: 360 }, data: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'ask' },
    { id: 'e2', source: 'ask', sourceHandle: 'next', target: 'answer' },
    { id: 'e3', source: 'answer', sourceHandle: 'next', target: 'done' },
  ],
};

let browser: Browser;
let studio: Studio;
let llm: ScriptedLlmServer;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  llm = await startScriptedLlmServer({ models: ['qwen3:4b', 'nomic-embed-text'] });
  studio = await startStudio({ crm: false });
  writeFileSync(studio.flowFile(FLOW.id), JSON.stringify(FLOW, null, 2));
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.goto(studio.host.url);
  await page.getByRole('heading', { name: 'Your flows' }).waitFor({ timeout: 15_000 });
  await apiCall(page, 'settings.save', { config: { llm: { provider: 'ollama', host: llm.url, model: 'qwen3:4b', embeddingModel: 'nomic-embed-text' }, mcpServers: {} } });
});
afterAll(async () => {
  await page?.close();
  await browser?.close();
  await studio?.close();
  await llm?.close();
});

const file = (name: string) => page.locator(`[data-testid="knowledge-file"][data-name="${name}"]`);

describe('knowledge', () => {
  it('indexes a file, reports a broken one, finds the passage, and shows it in the simulator trace', async () => {
    await page.getByTestId('open-knowledge').click();
    await visible(page.getByTestId('knowledge-empty'));
    await page.getByTestId('knowledge-collection-name').fill('shop');
    await page.getByTestId('knowledge-file-input').setInputFiles([
      { name: 'delivery.md', mimeType: 'text/markdown', buffer: Buffer.from(DELIVERY_MD) },
      { name: 'price-list.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7 this is not really a PDF') },
    ]);

    await expect.poll(() => file('delivery.md').getAttribute('data-status'), { timeout: 15_000 }).toBe('indexed');
    expect(Number((await textOf(file('delivery.md').getByTestId('knowledge-passages'))).match(/^\d+/)?.[0])).toBeGreaterThanOrEqual(2);
    expect(await textOf(file('delivery.md'))).toMatch(/with vectors?/); // the embeddings model was used
    await expect.poll(() => file('price-list.pdf').getAttribute('data-status'), { timeout: 15_000 }).toBe('failed');
    expect(await textOf(file('price-list.pdf'))).toContain('price-list.pdf');
    await screenshot(page, 'knowledge-01-files');

    await page.getByTestId('knowledge-query').fill('Do you deliver on Sundays?');
    await page.getByTestId('knowledge-search').click();
    const first = page.getByTestId('knowledge-hit').first();
    await visible(first);
    expect(await textOf(first)).toContain('We deliver on Sundays from 8:00 to 12:00');
    expect(await textOf(first)).toContain('shop › delivery.md › Delivery › Sundays');
    await screenshot(page, 'knowledge-02-search');

    // The AI step names the collection: the model is given the passage, and the trace shows it.
    llm.script({ content: 'Yes: on Sundays we deliver from 8:00 to 12:00.' });
    await page.getByTestId('back').click();
    await page.getByTestId(`open-${FLOW.id}`).click();
    await page.getByTestId('sim-toggle').click();
    await visible(page.getByTestId('simulator'));
    await expect.poll(() => page.getByTestId('chat-bot').last().textContent(), { timeout: 15_000 }).toContain('What would you like to know?');
    const input = page.getByTestId('sim-input');
    await input.fill('Do you deliver on Sundays?');
    await input.press('Enter');
    await expect.poll(() => page.getByTestId('chat-bot').last().textContent(), { timeout: 15_000 }).toContain('on Sundays we deliver from 8:00 to 12:00');
    const used = page.locator('[data-testid="trace-entry"][data-kind="knowledge"]');
    await visible(used);
    expect(await textOf(used.getByTestId('trace-passage').first())).toContain('We deliver on Sundays from 8:00 to 12:00');
    expect(await textOf(used)).toContain('delivery.md');
    const chat = llm.requests.filter((r) => r.path === '/api/chat').at(-1)!;
    expect(JSON.stringify(chat.body.messages)).toContain('We deliver on Sundays from 8:00 to 12:00');
    await screenshot(page, 'knowledge-03-trace');
  });
});
