// The editor in Portuguese (Brazil) and Spanish: the studio follows the browser's language (or
// the owner's pick, kept in localStorage), and the editor's own words, the step cards and the
// validator's problems all come in that language; so does an MCP server's consent line, with its
// command and paths as they are; so does the simulator's refusal of a flow whose server waits for
// approval. Screenshots: test-output/screenshots/.
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, launchBrowser, screenshot, startStudio, type Studio } from './support/studio';

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

describe('an MCP server card in the UI language', () => {
  it('says what the owner approves in Portuguese: the words translated, the command and paths verbatim', async () => {
    studio = await startStudio({ crm: false });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'pt-BR' });
    await page.goto(studio.host.url);
    await expect.poll(() => page!.getByRole('heading', { name: 'Os seus fluxos' }).isVisible(), { timeout: 10_000 }).toBe(true);
    await apiCall(page, 'mcp.saveServer', {
      name: 'loja',
      server: {
        command: 'node',
        args: ['/srv/padaria/servidor.js'],
        env: { LOJA_DIR: '/srv/padaria/pedidos', LOJA_TOKEN: { secret: 'LOJA_TOKEN' } },
        sandbox: { folders: [{ path: '/srv/padaria/pedidos', access: 'write' }], network: { hosts: ['api.padaria.com.br'] } },
      },
    });
    await page.getByTestId('open-settings').click();
    await page.getByTestId('settings-nav-mcp').click();
    const line = page.getByTestId('server-loja').getByTestId('consent-command');
    await expect.poll(() => line.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await line.textContent()).toBe(
      'node /srv/padaria/servidor.js [variáveis de ambiente: LOJA_DIR=/srv/padaria/pedidos, LOJA_TOKEN=<segredo do chaveiro LOJA_TOKEN>]' +
        ' [permissões da sandbox: ler e gravar /srv/padaria/pedidos, rede só para api.padaria.com.br]',
    );
    await screenshot(page, 'settings-mcp-consent-pt-BR');
    // Approving sends the English line back (the canonical form): the server is approved.
    await page.getByTestId('server-loja').getByTestId('approve-server').click();
    await expect.poll(() => page!.getByTestId('server-loja').getByTestId('consent').count(), { timeout: 15_000 }).toBe(0);
  });
});

describe('a refusal in the UI language', () => {
  it('the simulator says in Portuguese why a flow cannot run yet: the server waiting for approval, and what it would run', async () => {
    studio = await startStudio({ crm: false });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'pt-BR' });
    await page.goto(studio.host.url);
    await expect.poll(() => page!.getByRole('heading', { name: 'Os seus fluxos' }).isVisible(), { timeout: 10_000 }).toBe(true);
    const crm = resolve('examples/crm-server/index.js');
    await apiCall(page, 'mcp.saveServer', { name: 'crm', server: { command: process.execPath, args: [crm], sandbox: { folders: [{ path: '/srv/padaria', access: 'read' }] } } });
    await page.getByTestId('new-flow').click();
    await page.getByTestId('new-flow-name').fill('Atendimento');
    await page.getByTestId('template-support-ticket').check();
    await page.getByTestId('create-flow').click();
    await expect.poll(() => page!.getByTestId('step-lookup').isVisible(), { timeout: 10_000 }).toBe(true);

    await page.getByTestId('sim-toggle').click();
    const problem = page.getByTestId('sim-problem');
    await expect.poll(() => problem.isVisible(), { timeout: 15_000 }).toBe(true);
    const words = (await problem.textContent())!;
    expect(words).toMatch(/^“Atendimento” não pode ser simulado até que (isto seja corrigido|estes \d+ problemas sejam corrigidos):/);
    expect(words).toContain(`• O servidor MCP "crm" precisa da sua aprovação antes de iniciar. Ele rodaria: ${process.execPath} ${crm} [permissões da sandbox: ler /srv/padaria]. Aprove-o em Configurações › Servidores MCP`);
    expect(words).not.toMatch(/needs your approval|cannot be simulated/);
    await screenshot(page, 'sim-refused-pt-BR');
  });
});
