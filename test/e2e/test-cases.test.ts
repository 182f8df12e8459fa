// Conversation test cases in the editor, as an owner uses them, in headless Chromium against the
// real web host and the real example CRM server: a saved case runs green in the Tests panel, an
// edit in the inspector makes it red with the diff. Screenshots: test-output/screenshots/.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, REPO, launchBrowser, screenshot, startStudio, type Studio } from './support/studio';

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

const call = apiCall;

const visible = (l: Locator) => expect.poll(() => l.isVisible(), { timeout: 10_000 }).toBe(true);
const statusOf = (id: string) => page.getByTestId(`test-case-${id}`).getAttribute('data-status');
const CASE_ID = 'customer-confirms-the-ticket';
/** The example CRM's tickets (its data sits beside the studio's data folder; none before its first write). */
const crmTickets = (): unknown[] => {
  const file = join(dirname(studio!.dataDir), 'crm', 'crm.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { tickets: unknown[] }).tickets : [];
};

describe('conversation test cases in the editor', () => {
  it('runs a saved case green, then red with the diff after the question is reworded', async () => {
    studio = await startStudio();
    page = await browser.newPage({ viewport: { width: 1600, height: 960 } });
    page.on('pageerror', (error) => console.error('page error:', error));
    await page.goto(studio.host.url);
    await visible(page.getByRole('heading', { name: 'Your flows' }));

    // A flow from the support-ticket template, and the repo's recorded case for it in the data folder.
    await call(page, 'flows.create', { name: 'Support', templateId: 'support-ticket' });
    const recorded = JSON.parse(readFileSync(join(REPO, 'flows/support-ticket.tests/customer-confirms-the-ticket.test.json'), 'utf8'));
    await call(page, 'tests.save', { flowId: 'support', name: 'Customer confirms the ticket', case: recorded });

    await page.goto(`${new URL(studio.host.url).origin}/#/flow/support`);
    await visible(page.getByTestId('step-ask-problem'));
    await page.getByTestId('toggle-tests').click();
    const item = page.getByTestId(`test-case-${CASE_ID}`);
    await visible(item);
    expect(await item.textContent()).toContain('Customer confirms the ticket');
    expect(await statusOf(CASE_ID)).toBe('not-run');
    expect(await page.getByTestId(`test-status-${CASE_ID}`).textContent()).toBe('Not run');
    await screenshot(page, 'tests-01-panel');

    // Run all: it passes against the real CRM; its confirmed write is a dry run (the CRM's data is untouched).
    await visible(page.getByTestId('tests-dry-hint'));
    await page.getByTestId('tests-run-all').click();
    await expect.poll(() => statusOf(CASE_ID), { timeout: 30_000 }).toBe('passed');
    expect(await page.getByTestId('tests-summary').textContent()).toBe('1 passed, 0 failed');
    expect(await page.getByTestId(`test-diff-${CASE_ID}`).count()).toBe(0);
    expect(crmTickets()).toEqual([]);
    await screenshot(page, 'tests-02-green');

    // Live, clearly marked: the write goes to the CRM for real.
    await page.getByTestId('tests-live').check();
    await visible(page.getByTestId('tests-live-banner'));
    await page.getByTestId(`test-run-${CASE_ID}`).click();
    await expect.poll(() => crmTickets().length, { timeout: 30_000 }).toBe(1);
    await expect.poll(() => statusOf(CASE_ID), { timeout: 30_000 }).toBe('passed');
    await page.getByTestId('tests-live').uncheck();

    // The owner rewords the second question in the inspector.
    await page.getByTestId('step-ask-problem').click();
    await page.getByTestId('field-question').fill('What went wrong?');
    // Run one: the panel saves the flow first, so the run sees the change.
    await page.getByTestId(`test-run-${CASE_ID}`).click();
    await expect.poll(() => statusOf(CASE_ID), { timeout: 30_000 }).toBe('failed');
    expect(await page.getByTestId(`test-status-${CASE_ID}`).textContent()).toBe('Failed');
    expect(await page.getByTestId('tests-summary').textContent()).toBe('0 passed, 1 failed');
    const diff = page.getByTestId(`test-diff-${CASE_ID}`);
    await visible(diff);
    expect(await diff.textContent()).toBe(
      [
        'Turn 1, after the customer wrote "c1":',
        '  reply 1',
        '    expected: matching /^Thanks, .+?! Please describe the problem in one message\\.$/',
        '    got:      "What went wrong?"',
      ].join('\n'),
    );
    await screenshot(page, 'tests-03-red-with-diff');

    // The case file itself is untouched by the run.
    const onDisk = JSON.parse(readFileSync(join(studio.flowsDir, 'support.tests', `${CASE_ID}.test.json`), 'utf8'));
    expect(onDisk.turns[0].replies).toEqual([{ regex: '^Thanks, .+?! Please describe the problem in one message\\.$' }]);
  });
});
