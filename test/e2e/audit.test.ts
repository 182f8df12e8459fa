// The audit log screen as an owner uses it, in headless Chromium against the real web host.
// The records are real: conversations of the template flows run through openWorkspace and its
// runner against the real example CRM server, writing into the studio's own data folder
// (executed, declined, failed and a write the guard blocked). Then someone edits the SQLite
// file behind the app's back, and Verify must name the record. Screenshots: test-output/screenshots/.
import Database from 'better-sqlite3';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_FILE_NAME } from '../../src-main/adapters/store/sqlite-store';
import { AUDIT_CSV_COLUMNS } from '../../src-main/core/audit-export';
import { DEFAULT_STUDIO_BOT } from '../../src-main/app/studio-service';
import { AuditRecordSchema } from '../../src-main/shared/conversation';
import { recordConversations, type RecordedConversations } from '../support/audit-conversations';
import { launchBrowser, REPO, screenshot, startStudio, type Studio } from './support/studio';

let browser: Browser;
let studio: Studio;
let page: Page;
let conversations: RecordedConversations;

beforeAll(async () => {
  browser = await launchBrowser();
  studio = await startStudio();
  conversations = await recordConversations({ dataDir: studio.dataDir, crmDataDir: join(studio.dataDir, '..', 'crm'), bot: DEFAULT_STUDIO_BOT });
  // Two of the flows are the studio's own (so it knows their names); the edited one ran from elsewhere.
  copyFileSync(join(REPO, 'test/fixtures/audit/support-ticket.flow.json'), studio.flowFile('support-ticket'));
  copyFileSync(join(REPO, 'flows/order-status.flow.json'), studio.flowFile('order-status'));
  page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.goto(studio.host.url);
  await page.getByRole('heading', { name: 'Your flows' }).waitFor({ timeout: 20_000 });
}, 120_000);
afterAll(async () => {
  await page?.close();
  await studio?.close();
  await browser?.close();
});

const visible = (l: Locator) => expect.poll(() => l.isVisible(), { timeout: 10_000 }).toBe(true);
const rows = () => page.getByTestId('audit-row');
/** The table as the owner reads it: "seq status tool" per row, top to bottom (read at one moment: rows come and go). */
const table = () =>
  rows().evaluateAll((trs) =>
    trs.map((tr) => `${tr.getAttribute('data-seq')} ${tr.querySelector('[data-testid="audit-status"]')?.textContent} ${tr.querySelectorAll('td')[6]?.textContent}`),
  );
const tableIs = (expected: string[]) => expect.poll(table, { timeout: 10_000 }).toEqual(expected);
const row = (seq: number) => page.locator(`[data-testid="audit-row"][data-seq="${seq}"]`);
const details = () => page.getByTestId('audit-details');

async function download(testId: string): Promise<{ name: string; text: string }> {
  const pending = page.waitForEvent('download');
  await page.getByTestId(testId).click();
  const file = await pending;
  return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') };
}

describe('the audit log screen', () => {
  it('lists every tool call the conversations made, with bot, conversation, step, status and duration', async () => {
    await page.getByTestId('open-audit').click();
    await visible(page.getByRole('heading', { name: 'Audit log' }));
    expect(await page.title()).toBe('Audit log · Flowbot Studio');
    await tableIs([
      '5 Executed get_order_status',
      '4 Blocked create_ticket',
      '3 Error create_ticket',
      '2 Declined create_ticket',
      '1 Executed create_ticket',
    ]);
    await expect.poll(() => page.getByTestId('audit-count').textContent()).toBe('5 tool calls');
    const blocked = row(4);
    const cells = await blocked.locator('td').allTextContents();
    // Names where the studio knows them (the bot, the flow, the step), the ids in the tooltip.
    expect(cells[2]).toBe('My bot');
    expect(await blocked.locator('td').nth(2).getAttribute('title')).toBe(DEFAULT_STUDIO_BOT);
    expect(cells[3]).toBe(`${conversations.blocked.slice(0, 8)}…`);
    expect(await blocked.locator('td').nth(3).locator('code').getAttribute('title')).toBe(conversations.blocked);
    expect(cells[4]).toBe('support-ticket-edited › create'); // a flow the studio does not have: its ids
    expect((await row(3).locator('td').allTextContents())[4]).toBe('Support ticket › Create ticket');
    expect(await row(3).locator('td').nth(4).getAttribute('title')).toBe('support-ticket › create');
    expect((await row(5).locator('td').allTextContents())[4]).toBe('Order status › Look up order');
    expect(cells[5]).toBe('crm');
    expect(cells[8]).toMatch(/^(\d+ ms|<1 ms)$/);
    // The status is a word and a colour: each status has its own chip style.
    expect(await blocked.getByTestId('audit-status').getAttribute('class')).toContain('chip-error');
    expect(await row(2).getByTestId('audit-status').getAttribute('class')).toContain('chip-muted');
    expect(await row(1).getByTestId('audit-status').getAttribute('class')).toContain('chip-ok');
    expect(await row(3).getByTestId('audit-status').getAttribute('class')).toContain('chip-warning');
    await screenshot(page, '20-audit-log');
  });

  it('filters by status, tool, flow, words and conversation', async () => {
    await page.getByTestId('filter-status').selectOption('blocked');
    await tableIs(['4 Blocked create_ticket']);
    await page.getByTestId('filter-status').selectOption('');
    await page.getByTestId('filter-tool').selectOption('get_order_status');
    await tableIs(['5 Executed get_order_status']);
    await page.getByTestId('filter-tool').selectOption('');
    expect(await page.getByTestId('filter-flow').locator('option').allTextContents()).toEqual(['Any flow', 'Order status', 'Support ticket', 'support-ticket-edited']);
    expect(await page.getByTestId('filter-bot').locator('option').allTextContents()).toEqual(['Any bot', 'My bot']);
    await page.getByTestId('filter-flow').selectOption('support-ticket');
    await tableIs(['3 Error create_ticket', '2 Declined create_ticket', '1 Executed create_ticket']);
    await page.getByTestId('filter-text').fill('does not open');
    await tableIs(['2 Declined create_ticket']);
    await screenshot(page, '21-audit-filtered');
    await page.getByTestId('filter-text').fill('no such words anywhere');
    await visible(page.getByTestId('audit-empty'));
    expect(await page.getByTestId('audit-empty').textContent()).toContain('No tool calls match');
    await page.getByTestId('filter-clear').click();
    await tableIs(['5 Executed get_order_status', '4 Blocked create_ticket', '3 Error create_ticket', '2 Declined create_ticket', '1 Executed create_ticket']);

    await page.getByTestId('filter-conversation').fill(conversations.unknownCustomer);
    await tableIs(['3 Error create_ticket']);
    await page.getByTestId('filter-clear').click();
    await expect.poll(() => rows().count()).toBe(5);
  });

  it('shows a call in full: arguments and result escaped, the confirmation, the hashes', async () => {
    await row(1).click();
    await visible(details());
    await expect.poll(() => details().getByTestId('audit-args').textContent()).toContain('"description": "My lamp flickers, \\"badly\\"\\nsince Monday\\u200b"');
    const args = (await details().getByTestId('audit-args').textContent())!;
    expect(args).not.toContain('\u200b'); // the zero-width space is shown as \u200b, not hidden
    expect(args).toContain('"customerId": "c1"');
    expect(await details().getByTestId('audit-result').textContent()).toMatch(/"ticketId": "T-/);
    expect(await details().getByTestId('audit-confirmation').textContent()).toMatch(/^[0-9a-f-]{36}$/);
    expect(await details().getByTestId('audit-hash').textContent()).toMatch(/^[0-9a-f]{64}$/);
    expect(await details().getByTestId('audit-conversation').textContent()).toBe(conversations.ticket);
    await screenshot(page, '22-audit-details');

    await row(4).click();
    await expect.poll(() => details().locator('h2').textContent()).toBe('Record 4');
    await visible(details().getByTestId('audit-reason'));
    expect(await details().getByTestId('audit-reason').textContent()).toMatch(/^Why it was blocked.*did not confirm exactly this call/);
    expect(await details().getByTestId('audit-args').textContent()).toContain('"description": "Refund 5000 EUR"');
    expect(await details().getByTestId('audit-confirmation').textContent()).toContain('none');
    expect(await details().getByTestId('audit-result').textContent()).toBe('No result: the tool did not run.');
    await screenshot(page, '23-audit-blocked-details');

    // From the details to all calls of that conversation.
    await row(2).click();
    await expect.poll(() => details().locator('h2').textContent()).toBe('Record 2');
    // What the customer wrote when they declined, the names and (below them) the ids.
    await visible(details().getByTestId('audit-customer-reply'));
    expect(await details().getByTestId('audit-customer-reply').textContent()).toBe('What the customer wrote (taken as no)"no"');
    expect(await details().getByTestId('audit-where').textContent()).toBe('Support ticket › Create ticketsupport-ticket › create');
    expect(await details().getByTestId('audit-bot').textContent()).toContain('My bot');
    await screenshot(page, '23b-audit-names-and-customer-reply');
    await details().getByTestId('filter-this-conversation').click();
    await tableIs(['2 Declined create_ticket']);
    expect(await page.getByTestId('filter-conversation').inputValue()).toBe(conversations.declined);
    await page.getByTestId('filter-clear').click();
    // Exported right after clearing (before the table caught up): the export follows the form.
    const all = await download('export-jsonl');
    expect(all.text.trimEnd().split('\n')).toHaveLength(5);
    await expect.poll(() => rows().count()).toBe(5);
    await page.getByTestId('audit-details-close').click();
    await expect.poll(() => details().count()).toBe(0);
  });

  it('verifies an intact log', async () => {
    await page.getByTestId('audit-verify').click();
    await visible(page.getByTestId('verify-result'));
    expect(await page.getByTestId('verify-result').getAttribute('data-ok')).toBe('true');
    expect(await page.getByTestId('verify-result').locator('strong').textContent()).toBe('Intact (5 records)');
    await screenshot(page, '24-audit-verify-intact');
  });

  it('exports JSONL and CSV of what the filters select', async () => {
    const jsonl = await download('export-jsonl');
    expect(jsonl.name).toMatch(/^flowbot-audit-\d{8}-\d{6}\.jsonl$/);
    const records = jsonl.text.trimEnd().split('\n').map((line) => AuditRecordSchema.parse(JSON.parse(line)));
    expect(records.map((r) => `${r.seq} ${r.status} ${r.bot}`)).toEqual([
      `1 executed ${DEFAULT_STUDIO_BOT}`,
      `2 declined ${DEFAULT_STUDIO_BOT}`,
      `3 error ${DEFAULT_STUDIO_BOT}`,
      `4 blocked ${DEFAULT_STUDIO_BOT}`,
      `5 executed ${DEFAULT_STUDIO_BOT}`,
    ]);
    expect(records[0]!.args).toMatchObject({ description: 'My lamp flickers, "badly"\nsince Monday\u200b' });

    await page.getByTestId('filter-status').selectOption('executed');
    await tableIs(['5 Executed get_order_status', '1 Executed create_ticket']);
    const csv = await download('export-csv');
    expect(csv.name).toMatch(/^flowbot-audit-\d{8}-\d{6}\.csv$/);
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe(AUDIT_CSV_COLUMNS.join(','));
    expect(lines[1]).toMatch(new RegExp(`^1,[^,]+,${DEFAULT_STUDIO_BOT},${conversations.ticket},support-ticket,create,crm,create_ticket,executed,`));
    // The description's comma, quotes and newline (a JSON \n escape inside the args cell) are quoted RFC 4180 style.
    expect(lines[1]).toContain('""description"":""My lamp flickers, \\""badly\\""\\nsince Monday');
    expect(lines[2]).toMatch(/^5,.*,get_order_status,executed,/);
    expect(lines.slice(3)).toEqual(['']);
    await page.getByTestId('filter-clear').click();
    await expect.poll(() => rows().count()).toBe(5);
  });

  it('names the record someone changed in the database file, and shows it', async () => {
    // An "owner" edits the declined call's arguments with any SQLite tool while the app runs.
    const db = new Database(join(studio.dataDir, DB_FILE_NAME));
    try {
      db.prepare("UPDATE audit SET args_json = replace(args_json, 'The app does not open', 'Please refund me') WHERE seq = 2").run();
    } finally {
      db.close();
    }
    await page.getByTestId('audit-verify').click();
    await expect.poll(() => page.getByTestId('verify-result').getAttribute('data-ok')).toBe('false');
    expect(await page.getByTestId('verify-result').locator('strong').textContent()).toBe('Broken at record 2');
    expect(await page.getByTestId('verify-reason').textContent()).toBe('record 2 was changed after it was written (its hash does not match its contents)');
    // The table marks that record, and only that one.
    expect(await page.getByTestId('audit-broken-mark').count()).toBe(1);
    expect(await row(2).getByTestId('audit-broken-mark').count()).toBe(1);
    await page.getByTestId('verify-show').click();
    await expect.poll(() => details().locator('h2').textContent()).toBe('Record 2');
    expect(await details().locator('.audit-broken-here').textContent()).toContain('record 2 was changed after it was written');
    expect(await details().getByTestId('audit-args').textContent()).toContain('Please refund me');
    await screenshot(page, '25-audit-verify-broken');
  });
});
