// The simulator as a tester uses it, in headless Chromium against the real web host, with the
// real example CRM server (approved by the owner, see support/studio.ts): open the support
// ticket template, talk to it through the customer lookup (a read) and a confirmed ticket (a
// write), restart, decline one, look at the trace and the highlighted step, switch on dry run,
// and start from a chosen step. Screenshots: test-output/screenshots/sim-*.png.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../src-main/shared/customer-texts/en';
import { launchBrowser, screenshot, startStudio, type Studio } from './support/studio';

let browser: Browser;
let studio: Studio | undefined;
let page: Page;

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

const visible = (l: Locator) => expect.poll(() => l.isVisible(), { timeout: 15_000 }).toBe(true);
const lastBot = () => page.getByTestId('chat-bot').last();
const botSays = (text: string) => expect.poll(() => lastBot().textContent(), { timeout: 15_000 }).toContain(text);
const activeStep = () => page.locator('.react-flow__node.sim-active').getAttribute('data-id');
const isActive = (id: string) => expect.poll(activeStep, { timeout: 15_000 }).toBe(id);
const trace = (kind: string, extra = '') => page.locator(`[data-testid="trace-entry"][data-kind="${kind}"]${extra}`);
/** The CRM server's data file (support/studio.ts keeps it beside the data folder). */
const tickets = (s: Studio) => (JSON.parse(readFileSync(join(s.dataDir, '..', 'crm', 'crm.json'), 'utf8')) as { tickets: Record<string, unknown>[] }).tickets;

/** A ticket flow without an "If it fails" path: the CRM refuses an unknown customer, and the conversation fails. */
const FAILING_TICKET_FLOW = {
  schemaVersion: 1,
  id: 'broken-ticket',
  name: 'Broken ticket',
  nodes: [
    { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} },
    { id: 'ask', type: 'ask', label: 'Ask the customer number', position: { x: 0, y: 120 }, data: { question: 'What is your customer number?', saveAs: 'customerId', answer: { kind: 'text' } } },
    { id: 'confirm', type: 'ask', label: 'Confirm the ticket', position: { x: 0, y: 240 }, data: { question: 'Shall I open a ticket for customer {{customerId}}?', answer: { kind: 'confirm' } } },
    {
      id: 'create',
      type: 'tool',
      label: 'Create the ticket',
      position: { x: 0, y: 360 },
      data: { server: 'crm', tool: 'create_ticket', args: { customerId: '{{customerId}}', subject: 'Help', description: 'Sent from the simulator' } },
    },
    { id: 'done', type: 'end', position: { x: 0, y: 480 }, data: { text: 'Done!' } },
    { id: 'no', type: 'end', position: { x: 250, y: 360 }, data: { text: 'OK.' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'ask' },
    { id: 'e2', source: 'ask', sourceHandle: 'next', target: 'confirm' },
    { id: 'e3', source: 'confirm', sourceHandle: 'yes', target: 'create' },
    { id: 'e4', source: 'confirm', sourceHandle: 'no', target: 'no' },
    { id: 'e5', source: 'create', sourceHandle: 'next', target: 'done' },
  ],
};

async function say(text: string): Promise<void> {
  const input = page.getByTestId('sim-input');
  await expect.poll(() => input.isEnabled(), { timeout: 15_000 }).toBe(true);
  await input.fill(text);
  await input.press('Enter');
  await expect.poll(() => page.getByTestId('chat-customer').last().textContent()).toBe(text);
}

async function openTemplate(): Promise<Studio> {
  const s = await startStudio();
  studio = s;
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.goto(s.host.url);
  await visible(page.getByRole('heading', { name: 'Your flows' }));
  await page.getByTestId('new-flow').click();
  await page.getByTestId('new-flow-name').fill('Help desk');
  await page.getByTestId('template-support-ticket').check();
  await page.getByTestId('create-flow').click();
  await visible(page.getByTestId('step-lookup'));
  return s;
}

describe('simulator', () => {
  it('chats through a read and a confirmed write, restarts, declines one, and runs dry', async () => {
    const s = await openTemplate();

    // Open the simulator: the bot asks its first question, and that step is highlighted.
    await page.getByTestId('sim-toggle').click();
    await visible(page.getByTestId('simulator'));
    await botSays('Hi! What is your customer number? (for example c1)');
    await isActive('ask-customer');
    expect(await page.getByTestId('sim-dry-run').isChecked()).toBe(false);
    expect(await page.getByTestId('sim-dry-run-banner').count()).toBe(0);
    await screenshot(page, 'sim-01-open');

    // The customer number: the CRM lookup (a read) runs, and the bot greets the customer by name.
    await say('c1');
    await botSays('Thanks, Ana Souza! Please describe the problem in one message.');
    await isActive('ask-problem');
    const lookup = trace('tool', '[data-status="executed"]').filter({ hasText: 'search_customers' });
    await visible(lookup);
    expect(await lookup.textContent()).toContain('"query": "c1"');
    expect(await lookup.textContent()).toContain('Ana Souza');
    await visible(trace('step').filter({ hasText: 'Look up the customer' }));

    await say('My lamp flickers');
    await botSays('How urgent is it?');
    await say('high');
    await botSays('Shall I open this support ticket for you?');
    expect(await lastBot().textContent()).toContain('• description: "My lamp flickers"');
    await isActive('confirm');
    const asked = trace('confirmation', '[data-answer="waiting"]');
    await visible(asked);
    expect(await asked.textContent()).toContain('create_ticket');
    expect(tickets(s)).toEqual([]);
    await screenshot(page, 'sim-02-confirmation-asked');

    // Yes: exactly that ticket is created in the CRM.
    await say('yes');
    await botSays('Done! Your ticket number is T-1. We will get back to you soon.');
    await isActive('done');
    await visible(trace('confirmation', '[data-answer="yes"]'));
    await visible(trace('tool', '[data-status="executed"]').filter({ hasText: 'create_ticket' }));
    await visible(page.getByTestId('sim-finished'));
    expect(await page.getByTestId('sim-input').isDisabled()).toBe(true);
    expect(tickets(s)).toEqual([expect.objectContaining({ id: 'T-1', customerId: 'c1', description: 'My lamp flickers', priority: 'high' })]);
    await page.getByTestId('sim-tab-vars').click();
    await visible(page.getByTestId('sim-var-ticket'));
    expect(await page.getByTestId('sim-var-ticket').textContent()).toContain('"ticketId": "T-1"');
    expect(await page.getByTestId('sim-var-priority').textContent()).toContain('"high"');
    await screenshot(page, 'sim-03-ticket-created');
    await page.getByTestId('sim-tab-trace').click();

    // Restart: a fresh conversation; this time the customer says no.
    await page.getByTestId('sim-restart').click();
    await expect.poll(() => page.getByTestId('chat-customer').count()).toBe(0);
    await botSays('Hi! What is your customer number?');
    await isActive('ask-customer');
    await say('c2');
    await botSays('Thanks, Ben Carter!');
    await say('Late delivery');
    await say('normal');
    await botSays('Shall I open this support ticket for you?');
    await say('no');
    await botSays('OK, I have not created anything.');
    await isActive('cancelled');
    await visible(trace('confirmation', '[data-answer="no"]'));
    const declined = trace('tool', '[data-status="declined"]');
    await visible(declined);
    expect(await declined.textContent()).toContain('the customer said no');
    expect(tickets(s)).toHaveLength(1);
    await screenshot(page, 'sim-04-declined');

    // Dry run: the banner says so; the read still runs, the confirmed write is only shown.
    await page.getByTestId('sim-dry-run').check();
    await visible(page.getByTestId('sim-dry-run-banner'));
    expect(await page.getByTestId('sim-dry-run-banner').textContent()).toContain('Write tools are not executed');
    await botSays('Hi! What is your customer number?');
    await expect.poll(() => page.getByTestId('chat-customer').count()).toBe(0);
    await visible(trace('started').filter({ hasText: 'Dry run' }));
    await say('c3');
    await botSays('Thanks, Chidi Okafor!');
    await say('Lamp arrived broken');
    await say('low');
    await botSays('Shall I open this support ticket for you?');
    await say('yes');
    const dry = trace('tool', '[data-status="dry_run"]');
    await visible(dry);
    expect(await dry.textContent()).toContain('Dry run: would have called crm · create_ticket');
    expect(await dry.textContent()).toContain('"description": "Lamp arrived broken"');
    await isActive('done');
    await visible(page.getByTestId('chat-note').filter({ hasText: 'Dry run: crm · create_ticket was not executed' }));
    expect(tickets(s)).toHaveLength(1);
    await screenshot(page, 'sim-05-dry-run');

    // Closing the simulator brings the inspector back and removes the highlight.
    await page.getByTestId('sim-close').click();
    await expect.poll(() => page.getByTestId('simulator').count()).toBe(0);
    await expect.poll(() => page.locator('.react-flow__node.sim-active').count()).toBe(0);
  });

  it('starts from the selected step with preset variables, and says what is wrong with them', async () => {
    const s = await openTemplate();
    await page.getByTestId('sim-toggle').click();
    await botSays('Hi! What is your customer number?');

    await page.getByTestId('step-ask-problem').click();
    await page.getByTestId('sim-start-here-open').click();
    const vars = page.getByTestId('sim-preset-vars');
    await visible(vars);
    // Prefilled with what the steps before it save.
    expect(JSON.parse(await vars.inputValue())).toEqual({ customerId: '', lookup: '' });
    await vars.fill('{"customerId": "c2", "lookup": ');
    await visible(page.getByTestId('sim-preset-error'));
    expect(await page.getByTestId('sim-preset-error').textContent()).toContain('This is not valid JSON');
    expect(await page.getByTestId('sim-start-here').isDisabled()).toBe(true);
    await vars.fill('{"contact": "me"}');
    await expect.poll(() => page.getByTestId('sim-preset-error').textContent()).toContain('"contact": this name is set by the conversation itself');
    await screenshot(page, 'sim-06-preset-error');
    await vars.fill('{"customerId": "c2", "lookup": {"customers": [{"name": "Ben Carter"}]}}');
    await expect.poll(() => page.getByTestId('sim-preset-error').count()).toBe(0);
    await page.getByTestId('sim-start-here').click();

    await botSays('Thanks, Ben Carter! Please describe the problem in one message.');
    await isActive('ask-problem');
    expect(await page.getByTestId('sim-start-at').textContent()).toContain('Started at “Ask the problem” with 2 preset variables');
    await visible(trace('started').filter({ hasText: 'Ask the problem' }));
    await say('Notebook pages missing');
    await say('low');
    await say('yes');
    await botSays('Done! Your ticket number is T-1.');
    expect(tickets(s)).toEqual([expect.objectContaining({ customerId: 'c2', description: 'Notebook pages missing' })]);
    await screenshot(page, 'sim-07-started-at-step');

    // Restart keeps the chosen start; "From the beginning" goes back to the start step.
    await page.getByTestId('sim-restart').click();
    await expect.poll(() => page.getByTestId('chat-customer').count()).toBe(0);
    await botSays('Thanks, Ben Carter!');
    await page.getByTestId('sim-start-beginning').click();
    await botSays('Hi! What is your customer number?');
    await isActive('ask-customer');
  });

  it('a tool that fails: the customer pane shows only the polite text, the trace says why with step names', async () => {
    const s = await startStudio();
    studio = s;
    writeFileSync(s.flowFile('broken-ticket'), JSON.stringify(FAILING_TICKET_FLOW));
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (error) => console.error('page error:', error));
    await page.goto(s.host.url);
    await page.getByTestId('open-broken-ticket').click();
    await visible(page.getByTestId('step-create'));
    await page.getByTestId('sim-toggle').click();
    await botSays('What is your customer number?');
    await say('c999');
    await botSays('Shall I open a ticket for customer c999?');
    await visible(trace('confirmation').filter({ hasText: 'at “Create the ticket”' }));
    await say('yes');

    // The customer sees the polite text and nothing of the cause.
    await botSays(en.failure);
    await visible(page.getByTestId('sim-finished'));
    expect(await page.getByTestId('sim-finished').textContent()).toBe('The conversation failed (the trace says why). Restart to try again.');
    const chat = (await page.getByTestId('sim-chat').textContent())!;
    expect(chat).not.toContain('c999" was found');
    expect(chat).not.toContain('step');
    // The trace has the detail, naming the step as the owner named it.
    const failed = trace('tool', '[data-status="error"]');
    await visible(failed);
    expect(await failed.textContent()).toContain('No customer with id "c999" was found.');
    expect(await failed.textContent()).toContain('at “Create the ticket”');
    const end = trace('end');
    await visible(end);
    expect(await end.textContent()).toContain('the action at step “Create the ticket” failed: No customer with id "c999" was found.');
    await screenshot(page, 'sim-09-tool-failed-polite');
  });

  it('refuses a flow that cannot run yet, listing the problems', async () => {
    await openTemplate();
    // Connect the priority question straight to the ticket: an unguarded write.
    await page.getByTestId('out-ask-priority-next').dragTo(page.getByTestId('in-create'), { steps: 6 });
    await visible(page.locator('[data-testid="problem"][data-code="WRITE_TOOL_UNGUARDED"]'));
    await page.getByTestId('sim-toggle').click();
    const problem = page.getByTestId('sim-problem');
    await visible(problem);
    expect(await problem.textContent()).toContain('cannot be simulated until this is fixed');
    expect(await problem.textContent()).toContain('"Create ticket" changes data (create_ticket on crm) but can be reached without the customer confirming');
    expect(await page.getByTestId('sim-input').isDisabled()).toBe(true);
    await screenshot(page, 'sim-08-refused');
  });
});
