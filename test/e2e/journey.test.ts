// Issue 6 end to end, as an owner and a tester would do it in one sitting, in headless Chromium
// against the real web host: add the example CRM server on the settings screen and approve it,
// open the support-ticket template, talk to it in the simulator through a read (the customer
// lookup) and a confirmed write, decline one, keep the first conversation as a test case, run
// it green, change the flow and see it red, and find every one of those tool calls on the audit
// screen with an intact chain. Screenshots: test-output/screenshots/journey-*.png.
//
// Three times: the studio in English, in Portuguese (Brazil) because the system (the browser's
// locale) is, and in Spanish picked in Settings on an English system (the pick is kept across
// page loads). The flow's own texts (the template) stay English: only the studio's words change.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, launchBrowser, screenshot, startStudio, type Studio } from './support/studio';

const CRM_SERVER_SCRIPT = join(REPO, 'examples/crm-server/index.js');

/** The studio's words the journey checks, as an owner reads them in each language. */
const RUNS = [
  {
    language: 'en',
    consentEnv: 'env',
    consentGrant: 'sandbox grants: read and write',
    system: 'en-US',
    shots: 'journey',
    settings: 'Settings',
    read: 'Read',
    write: 'Write: asks the customer',
    auditTitle: 'Audit log',
    count: '8 tool calls',
    executed: 'Executed',
    dryRun: 'Dry run',
    declined: 'Declined',
    intact: 'Intact (8 records)',
  },
  {
    language: 'pt-BR',
    consentEnv: 'variáveis de ambiente',
    consentGrant: 'permissões da sandbox: ler e gravar',
    system: 'pt-BR',
    shots: 'journey-pt-BR',
    settings: 'Configurações',
    read: 'Leitura',
    write: 'Escrita: pergunta ao cliente',
    auditTitle: 'Log de auditoria',
    count: '8 chamadas de ferramentas',
    executed: 'Executada',
    dryRun: 'Simulação',
    declined: 'Recusada',
    intact: 'Íntegro (8 registros)',
  },
  {
    language: 'es',
    consentEnv: 'variables de entorno',
    consentGrant: 'permisos del entorno aislado: leer y escribir',
    system: 'en-US', // picked in Settings
    shots: 'journey-es',
    settings: 'Configuración',
    read: 'Lectura',
    write: 'Escritura: pregunta al cliente',
    auditTitle: 'Registro de auditoría',
    count: '8 llamadas a herramientas',
    executed: 'Ejecutada',
    dryRun: 'Simulación',
    declined: 'Rechazada',
    intact: 'Íntegro (8 registros)',
  },
] as const;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe.each(RUNS)('the studio in $language', (words) => {
  let studio: Studio;
  let page: Page;
  let crmDir: string;

  beforeAll(async () => {
    studio = await startStudio({ crm: false });
    crmDir = mkdtempSync(join(tmpdir(), 'flowbot-journey-crm-'));
    page = await browser.newPage({ viewport: { width: 1600, height: 960 }, locale: words.system });
    page.on('pageerror', (error) => console.error('page error:', error));
  });
  afterAll(async () => {
    await page?.close();
    await studio?.close();
  });

  const visible = (l: Locator) => expect.poll(() => l.isVisible(), { timeout: 15_000 }).toBe(true);
  const textOf = async (l: Locator) => ((await l.textContent()) ?? '').trim();
  const botSays = (text: string) => expect.poll(() => page.getByTestId('chat-bot').last().textContent(), { timeout: 15_000 }).toContain(text);
  const tickets = () => (JSON.parse(readFileSync(join(crmDir, 'crm.json'), 'utf8')) as { tickets: { customerId: string }[] }).tickets;

  async function say(text: string): Promise<void> {
    const input = page.getByTestId('sim-input');
    await expect.poll(() => input.isEnabled(), { timeout: 15_000 }).toBe(true);
    await input.fill(text);
    await input.press('Enter');
    await expect.poll(() => page.getByTestId('chat-customer').last().textContent()).toBe(text);
  }

  describe('from the settings to a green test case and an intact audit log', () => {
    it('sets up the CRM server on the settings screen and approves it as the owner', async () => {
      await page.goto(studio.host.url);
      await visible(page.getByTestId('new-flow'));
      await page.getByTestId('open-settings').click();
      if (words.language !== words.system.slice(0, words.language.length)) {
        // Not the system's language: picked in Settings, at once and for the next page loads.
        await visible(page.getByRole('heading', { name: 'Settings', exact: true }));
        await page.getByTestId('ui-language').selectOption(words.language);
        await page.reload();
      }
      await visible(page.getByRole('heading', { name: words.settings, exact: true }));
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(words.language);
      await page.getByTestId('settings-nav-mcp').click();
      await page.getByTestId('add-server').click();
      await page.getByTestId('server-name').fill('crm');
      await page.getByTestId('server-command').fill(process.execPath);
      await page.getByTestId('server-args').fill(CRM_SERVER_SCRIPT);
      await page.getByTestId('add-value').click();
      await page.getByTestId('value-name-0').fill('CRM_DATA_DIR');
      await page.getByTestId('value-value-0').fill(crmDir);
      // The CRM keeps its data there: granted read and write (its sandbox hides everything else).
      await page.getByTestId('sandbox-add-folder').click();
      await page.getByTestId('sandbox-folder-path-0').fill(crmDir);
      await page.getByTestId('sandbox-folder-access-0').selectOption('write');
      await page.getByTestId('server-save').click();

      const card = page.getByTestId('server-crm');
      await visible(card.getByTestId('consent'));
      // The consent line in the owner's language; the command and the paths verbatim.
      expect(await textOf(card.getByTestId('consent-command'))).toBe(
        `${process.execPath} ${CRM_SERVER_SCRIPT} [${words.consentEnv}: CRM_DATA_DIR=${crmDir}] [${words.consentGrant} ${crmDir}]`,
      );
      await card.getByTestId('approve-server').click();
      // Every tool counts as a write until the owner says otherwise: the lookup is a read.
      await visible(card.getByTestId('tool-search_customers'));
      await card.getByTestId('class-search_customers-read').click();
      await expect.poll(() => card.getByTestId('class-search_customers-read').getAttribute('aria-pressed')).toBe('true');
      await card.getByTestId('approve-all').click();
      await expect.poll(() => textOf(card.getByTestId('effective-search_customers'))).toBe(words.read);
      expect(await textOf(card.getByTestId('effective-create_ticket'))).toBe(words.write);
      await screenshot(page, `${words.shots}-01-crm-approved`);
    });

    it('chats through the lookup and a confirmed ticket, keeps it as a test case and runs it green', async () => {
      await page.goto(`${new URL(studio.host.url).origin}/#/`);
      await visible(page.getByTestId('new-flow'));
      await page.getByTestId('new-flow').click();
      await page.getByTestId('new-flow-name').fill('Help desk');
      await page.getByTestId('template-support-ticket').check();
      await page.getByTestId('create-flow').click();
      await visible(page.getByTestId('step-lookup'));

      await page.getByTestId('sim-toggle').click();
      await botSays('Hi! What is your customer number?');
      await say('c1');
      await botSays('Thanks, Ana Souza! Please describe the problem in one message.');
      await expect.poll(() => page.locator('.react-flow__node.sim-active').getAttribute('data-id')).toBe('ask-problem');
      await visible(page.locator('[data-testid="trace-entry"][data-kind="tool"][data-status="executed"]').filter({ hasText: 'search_customers' }));
      await say('My lamp flickers');
      await say('high');
      await botSays('Shall I open this support ticket for you?');
      await say('yes');
      await botSays('Done! Your ticket number is T-1.');
      expect(tickets()).toEqual([expect.objectContaining({ customerId: 'c1', description: 'My lamp flickers', priority: 'high' })]);

      await page.getByTestId('save-test-case').click();
      await page.getByTestId('test-case-name').fill('Lamp ticket');
      await page.getByTestId('test-case-save').click();
      // Saving opens the Tests panel with the new case; it replays green against the CRM.
      const item = page.getByTestId('test-case-lamp-ticket');
      await visible(item);
      expect(JSON.parse(readFileSync(join(studio.flowsDir, 'help-desk.tests', 'lamp-ticket.test.json'), 'utf8'))).toMatchObject({ name: 'Lamp ticket', flowId: 'help-desk' });
      await page.getByTestId('test-run-lamp-ticket').click();
      await expect.poll(() => item.getAttribute('data-status'), { timeout: 30_000 }).toBe('passed');
      expect(tickets()).toHaveLength(1); // the replay's write was a dry run: confirmed and compared, not sent
      await screenshot(page, `${words.shots}-02-case-green`);
    });

    it('declines a ticket in a fresh conversation: nothing is created', async () => {
      await page.getByTestId('sim-restart').click();
      await expect.poll(() => page.getByTestId('chat-customer').count()).toBe(0);
      await botSays('Hi! What is your customer number?');
      await say('c2');
      await botSays('Thanks, Ben Carter!');
      await say('Late delivery');
      await say('normal');
      await botSays('Shall I open this support ticket for you?');
      await say('no');
      await botSays('OK, I have not created anything.');
      await visible(page.locator('[data-testid="trace-entry"][data-kind="tool"][data-status="declined"]'));
      expect(tickets()).toHaveLength(1);
    });

    it('a change to the flow turns the case red with a readable diff', async () => {
      await page.getByTestId('sim-close').click();
      await page.getByTestId('step-ask-priority').click();
      await page.getByTestId('field-question').fill('How bad is it?');
      await page.getByTestId('test-run-lamp-ticket').click();
      const item = page.getByTestId('test-case-lamp-ticket');
      await expect.poll(() => item.getAttribute('data-status'), { timeout: 30_000 }).toBe('failed');
      const diff = await textOf(page.getByTestId('test-diff-lamp-ticket'));
      expect(diff).toContain('Turn 2, after the customer wrote "My lamp flickers":');
      expect(diff).toContain('expected: exactly "How urgent is it?\\n1. low\\n2. normal\\n3. high"');
      expect(diff).toContain('got:      "How bad is it?\\n1. low\\n2. normal\\n3. high"');
      await screenshot(page, `${words.shots}-03-case-red`);
    });

    it('the audit screen lists every one of those tool calls, and the chain is intact', async () => {
      await page.goto(`${new URL(studio.host.url).origin}/#/audit`);
      await visible(page.getByRole('heading', { name: words.auditTitle }));
      // Simulator: lookup + ticket, lookup + declined ticket; the green and the red replay: lookup + ticket (a dry run) each.
      await expect.poll(() => textOf(page.getByTestId('audit-count')), { timeout: 15_000 }).toBe(words.count);
      const statuses = await page.getByTestId('audit-row').evaluateAll((rows) => rows.map((r) => r.querySelector('[data-testid="audit-status"]')?.textContent?.trim()));
      expect(statuses.filter((s) => s === words.executed)).toHaveLength(5);
      expect(statuses.filter((s) => s === words.dryRun)).toHaveLength(2);
      expect(statuses.filter((s) => s === words.declined)).toHaveLength(1);
      await page.getByTestId('audit-verify').click();
      await expect.poll(() => textOf(page.getByTestId('verify-result')), { timeout: 15_000 }).toContain(words.intact);
      await screenshot(page, `${words.shots}-04-audit`);
    });
  });
});
