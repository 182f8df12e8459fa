// The editor in Portuguese (Brazil) and Spanish: the studio follows the browser's language (or
// the owner's pick, kept in localStorage), and the editor's own words, the step cards and the
// validator's problems all come in that language. Screenshots: test-output/screenshots/.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, startStudio, type Studio } from './support/studio';

let browser: Browser;
let studio: Studio | undefined;
let page: Page | undefined;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await page?.close();
  await studio?.close();
  studio = undefined;
});

const textOf = (p: Page, testId: string) => p.getByTestId(testId).first().textContent();

/** A blank flow with one empty message step: the checker reports it in the UI language. */
async function blankFlowWithEmptyMessage(p: Page, name: string): Promise<void> {
  await p.getByTestId('new-flow').click();
  await p.getByTestId('new-flow-name').fill(name);
  await p.getByTestId('template-blank').check();
  await p.getByTestId('create-flow').click();
  await expect.poll(() => p.getByTestId('editor').isVisible(), { timeout: 10_000 }).toBe(true);
  await p.getByTestId('palette-message').click();
  await expect.poll(() => p.locator('[data-testid="problem"][data-code="MESSAGE_EMPTY"]').count(), { timeout: 10_000 }).toBe(1);
}

describe('the editor in the UI language', () => {
  it('follows a Portuguese browser: flows list, palette, cards, problems', async () => {
    studio = await startStudio({ crm: false });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'pt-BR' });
    await page.goto(studio.host.url);
    await expect.poll(() => page!.getByRole('heading', { name: 'Os seus fluxos' }).isVisible(), { timeout: 10_000 }).toBe(true);
    await blankFlowWithEmptyMessage(page, 'Pedidos de bolo');

    expect(await page.locator('#palette-title').textContent()).toBe('Etapas');
    expect(await page.getByTestId('palette-message').textContent()).toContain('Enviar uma mensagem');
    expect(await textOf(page, 'problem-summary')).toContain('a corrigir');
    const problem = await page.locator('[data-testid="problem"][data-code="MESSAGE_EMPTY"]').textContent();
    expect(problem).toMatch(/^A etapa de mensagem ".+" não tem texto, então o cliente receberia uma mensagem vazia\./);
    await screenshot(page, 'editor-pt-BR');
  });

  it('follows the owner\'s pick (Spanish) over the browser\'s language', async () => {
    studio = await startStudio({ crm: false });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    await page.addInitScript(() => localStorage.setItem('flowbot.uiLanguage', 'es'));
    await page.goto(studio.host.url);
    await expect.poll(() => page!.getByRole('heading', { name: 'Tus flujos' }).isVisible(), { timeout: 10_000 }).toBe(true);
    await blankFlowWithEmptyMessage(page, 'Pedidos de tarta');

    expect(await page.locator('#palette-title').textContent()).toBe('Pasos');
    const problem = await page.locator('[data-testid="problem"][data-code="MESSAGE_EMPTY"]').textContent();
    expect(problem).toMatch(/^El paso de mensaje ".+" no tiene texto, así que el cliente recibiría un mensaje vacío\./);
    await page.getByTestId('sim-toggle').click();
    await expect.poll(() => page!.getByTestId('simulator').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.locator('.sim-title').textContent()).toBe('Simulador');
    await screenshot(page, 'editor-es');
  });
});
