// The flow editor as a business owner uses it, in headless Chromium against the real web host
// (the same API and core as the desktop app), each test on a fresh data folder. Assertions are
// on what the owner sees and on the flow files on disk. Screenshots: test-output/screenshots/.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FlowSchema, type Flow } from '../../src-main/shared/flow';
import { apiCall, launchBrowser, screenshot, startStudio, type Studio } from './support/studio';

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

/** A fresh studio whose settings run the example CRM server, approved by the owner (support/studio.ts). */
async function open(): Promise<Studio> {
  studio = await startStudio();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.goto(studio.host.url);
  await expect.poll(() => page.getByRole('heading', { name: 'Your flows' }).isVisible()).toBe(true);
  return studio;
}

const call = apiCall;

const saved = (s: Studio, id: string): Flow => FlowSchema.parse(s.readFlow(id));
const visible = (l: Locator) => expect.poll(() => l.isVisible(), { timeout: 10_000 }).toBe(true);
const gone = (l: Locator) => expect.poll(() => l.count(), { timeout: 10_000 }).toBe(0);
const saveState = () => page.getByTestId('save-state');
const allSaved = () => expect.poll(() => saveState().textContent(), { timeout: 10_000 }).toBe('All changes saved');

async function newFlow(name: string, template?: string): Promise<void> {
  await page.getByTestId('new-flow').click();
  await page.getByTestId('new-flow-name').fill(name);
  await page.getByTestId(template ? `template-${template}` : 'template-blank').check();
  await page.getByTestId('create-flow').click();
  await visible(page.getByTestId('editor'));
}

/** Drags a step from the palette onto the canvas, `dy` pixels below the canvas centre. */
async function dropStep(type: string, dx: number, dy: number): Promise<void> {
  const canvas = page.getByTestId('canvas');
  const box = (await canvas.boundingBox())!;
  await page.getByTestId(`palette-${type}`).dragTo(canvas, { targetPosition: { x: box.width / 2 + dx, y: box.height / 2 + dy }, steps: 4 });
}

async function connect(source: string, handle: string, target: string): Promise<void> {
  await page.getByTestId(`out-${source}-${handle}`).dragTo(page.getByTestId(`in-${target}`), { steps: 6 });
}

describe('flow editor in the browser', () => {
  it('builds a flow from blank, shows the unguarded write, fixes it in one click, and keeps it after a reload', async () => {
    const s = await open();
    await screenshot(page, '01-flows-empty');
    await newFlow('Ticket desk');
    await visible(page.getByTestId('step-start'));
    expect(page.url()).toMatch(/#\/flow\/ticket-desk$/);
    expect(page.url()).not.toContain('token=');

    // Drag three steps in and connect them: start -> question -> tool -> end.
    await dropStep('ask', -100, 120);
    await dropStep('tool', -100, 260);
    await dropStep('end', -100, 400);
    for (const id of ['ask-1', 'tool-1', 'end-1']) await visible(page.getByTestId(`step-${id}`));
    await connect('start', 'next', 'ask-1');
    await connect('ask-1', 'next', 'tool-1');
    await connect('tool-1', 'next', 'end-1');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(3);

    // Fill in the question.
    await page.getByTestId('step-ask-1').click();
    await page.getByTestId('field-question').fill('What is your problem, in one line?');
    await page.getByTestId('field-save-as').fill('subject');
    await page.getByTestId('field-label').fill('Ask the problem');

    // Pick the tool from the catalogue (its class is shown) and fill its arguments.
    await page.getByTestId('step-tool-1').click();
    const option = page.getByTestId('tool-option-crm-create_ticket');
    await visible(option);
    expect(await option.textContent()).toContain('Changes data');
    expect(await page.getByTestId('tool-option-crm-get_order_status').textContent()).toContain('Reads data');
    await option.click();
    await visible(page.getByTestId('arg-subject'));
    await page.getByTestId('arg-subject-vars').click();
    await page.getByTestId('var-subject').click();
    expect(await page.getByTestId('arg-subject').inputValue()).toBe('{{subject}}');
    await page.getByTestId('arg-priority').selectOption('high');
    await page.getByTestId('field-label').fill('Create ticket');

    // Required arguments still empty are errors on the step, named by their label.
    const missing = page.locator('[data-testid="problem"][data-code="TOOL_ARG_MISSING"]');
    await expect.poll(() => missing.count()).toBe(2);
    expect(await missing.allTextContents()).toEqual([
      expect.stringContaining('The step "Create ticket" leaves "Customer id" empty, but the tool create_ticket needs it.'),
      expect.stringContaining('The step "Create ticket" leaves "Description" empty, but the tool create_ticket needs it.'),
    ]);
    await screenshot(page, '02-editor-required-arguments');

    // The validator says the write is not confirmed: in the list, on the card, and why.
    const unguarded = page.locator('[data-testid="problem"][data-code="WRITE_TOOL_UNGUARDED"]');
    await visible(unguarded);
    expect(await unguarded.textContent()).toMatch(/"Create ticket" changes data \(create_ticket on crm\) but can be reached without the customer confirming/);
    await visible(page.getByTestId('badge-tool-1'));
    // Clicking the problem selects the step it is about.
    await page.getByTestId('step-ask-1').click();
    await visible(page.getByTestId('inspector-ask-1'));
    await unguarded.locator('.problem-main').click();
    await visible(page.getByTestId('inspector-tool-1'));
    await allSaved();
    await screenshot(page, '02-editor-unguarded-write');
    let onDisk = saved(s, 'ticket-desk');
    expect(onDisk.nodes.find((n) => n.id === 'tool-1')).toMatchObject({ type: 'tool', label: 'Create ticket', data: { server: 'crm', tool: 'create_ticket', args: { subject: '{{subject}}', priority: 'high' } } });

    // One click: a confirmation question in front of the tool, in the flow's language (the call's details follow it at run time).
    await page.getByTestId('fix-tool-1').click();
    await visible(page.getByTestId('step-confirm-tool-1'));
    await gone(unguarded);
    expect(await page.getByTestId('field-question').inputValue()).toBe('Shall I go ahead?');
    // The required arguments filled in: the step is clean.
    await page.getByTestId('step-tool-1').click();
    await page.getByTestId('arg-customerId').fill('c1');
    await page.getByTestId('arg-description').fill('{{last_message}}');
    // What the customer reads when asked to confirm: the action, suggested from the tool's title, and an argument's name.
    await page.getByTestId('call-labels').locator('summary').click();
    await page.getByTestId('call-labels-suggest').click();
    expect(await page.getByTestId('call-labels-action').inputValue()).toBe('Create support ticket');
    expect(await page.getByTestId('call-labels-arg-customerId').getAttribute('placeholder')).toBe('customerId');
    await page.getByTestId('call-labels-arg-customerId').fill('Customer number');
    await gone(missing.first());
    await gone(page.getByTestId('badge-tool-1'));
    await allSaved();
    await screenshot(page, '03-editor-fixed');

    onDisk = saved(s, 'ticket-desk');
    const into = (id: string) => onDisk.edges.filter((e) => e.target === id).map((e) => `${e.source}.${e.sourceHandle ?? 'next'}`);
    expect(onDisk.nodes.find((n) => n.id === 'confirm-tool-1')).toMatchObject({ type: 'ask', data: { answer: { kind: 'confirm' } } });
    expect(onDisk.nodes.find((n) => n.id === 'tool-1')).toMatchObject({ data: { actionLabel: 'Create support ticket', argLabels: { customerId: 'Customer number' } } });
    expect(into('tool-1')).toEqual(['confirm-tool-1.yes']);
    expect(into('confirm-tool-1')).toEqual(['ask-1.next']);
    const declined = onDisk.edges.find((e) => e.source === 'confirm-tool-1' && e.sourceHandle === 'no');
    expect(onDisk.nodes.find((n) => n.id === declined?.target)).toMatchObject({ type: 'end', data: { text: "OK, I won't do that." } });

    // Reload: everything is still there, read back from the file.
    await page.reload();
    await visible(page.getByTestId('step-confirm-tool-1'));
    await gone(page.locator('[data-testid="problem"][data-code="WRITE_TOOL_UNGUARDED"]'));
    await expect.poll(() => page.getByTestId('step-ask-1').textContent()).toContain('Ask the problem');
    expect(await saveState().textContent()).toBe('All changes saved');
    await page.getByTestId('back').click();
    await visible(page.getByTestId('flow-card-ticket-desk'));
    await screenshot(page, '04-flows-list');
  });

  it('opens a template: steps, labelled exits and a clean check', async () => {
    const s = await open();
    await newFlow('Our support', 'support-ticket');
    await visible(page.getByTestId('step-confirm'));
    const confirm = page.getByTestId('step-confirm');
    expect(await confirm.textContent()).toContain('Confirm the ticket');
    await visible(page.getByTestId('out-confirm-yes'));
    expect(await confirm.locator('.exit-label').allTextContents()).toEqual(['Yes', 'No']);
    expect(await page.getByTestId('step-create').locator('.exit-label').allTextContents()).toEqual(['Done', 'If it fails']);
    await gone(page.locator('[data-testid="problem"][data-code="WRITE_TOOL_UNGUARDED"]'));
    await expect.poll(() => page.locator('.problem-error').count()).toBe(0);
    // The tool's card and inspector say it is confirmed first.
    await page.getByTestId('step-create').click();
    expect(await page.getByTestId('write-note').textContent()).toContain('only after the customer says yes');
    await screenshot(page, '05-editor-template');
    // The copy on disk is the template's steps under the new name and id.
    const onDisk = saved(s, 'our-support');
    expect(onDisk.name).toBe('Our support');
    expect(onDisk.nodes.map((n) => n.id)).toContain('create');
  });

  it('an editor address opened directly asks for its flow once, on one socket, before the app has started', async () => {
    const s = await open();
    await newFlow('Opened directly', 'support-ticket');
    const direct = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    try {
      const sockets: string[][] = [];
      direct.on('websocket', (ws) => {
        const frames: string[] = [];
        sockets.push(frames);
        ws.on('framesent', (f) => frames.push(String(f.payload)));
      });
      // A fresh tab: the token rides at the end of the editor's address, as the printed one carries it.
      await direct.goto(`${new URL(s.host.url).origin}/#/flow/opened-directly&token=${s.host.token}`);
      await expect.poll(() => direct.getByTestId('step-confirm').isVisible(), { timeout: 10_000 }).toBe(true);
      expect(await direct.getByTestId('step-create').textContent()).toContain('Create ticket');
      // public/early-socket.js sent the request (id -1); the app adopted its socket and its answer.
      expect(sockets).toHaveLength(1);
      const gets = sockets[0]!.map((f) => JSON.parse(f) as { id: number; method: string; input: unknown }).filter((f) => f.method === 'flows.get');
      expect(gets).toEqual([{ id: -1, method: 'flows.get', input: { id: 'opened-directly' } }]);
      // The adopted socket carries the app's own calls too (events and later requests work).
      await direct.getByTestId('step-create').click();
      await expect.poll(() => sockets[0]!.some((f) => f.includes('"mcp.catalog"')), { timeout: 10_000 }).toBe(true);
    } finally {
      await direct.close();
    }
  });

  it('undo and redo, delete and restore a step, copy and paste, and nothing lost on a sudden reload', async () => {
    const s = await open();
    await newFlow('Greeting');
    await dropStep('message', -100, 130);
    await visible(page.getByTestId('step-message-1'));
    await connect('start', 'next', 'message-1');
    await page.getByTestId('step-message-1').click();
    await page.getByTestId('field-text').fill('Hello {{contact.name}}!');
    await allSaved();

    // Delete the step with the keyboard; Ctrl+Z brings it back with its connection; redo removes it.
    await page.getByTestId('step-message-1').click();
    await page.keyboard.press('Delete');
    await gone(page.getByTestId('step-message-1'));
    await allSaved();
    expect(saved(s, 'greeting').nodes.map((n) => n.id)).toEqual(['start']);
    await page.keyboard.press('Control+z');
    await visible(page.getByTestId('step-message-1'));
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(1);
    await allSaved();
    expect(saved(s, 'greeting').nodes.find((n) => n.id === 'message-1')).toMatchObject({ data: { text: 'Hello {{contact.name}}!' } });
    await page.keyboard.press('Control+Shift+z');
    await gone(page.getByTestId('step-message-1'));
    await page.getByTestId('undo').click();
    await visible(page.getByTestId('step-message-1'));

    // Copy and paste a step.
    await page.getByTestId('step-message-1').click();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await visible(page.getByTestId('step-message-2'));
    await allSaved();
    expect(saved(s, 'greeting').nodes.find((n) => n.id === 'message-2')).toMatchObject({ type: 'message', data: { text: 'Hello {{contact.name}}!' } });

    // Select both messages (Ctrl+click), delete them together, and undo that in one step.
    await page.getByTestId('step-message-1').click();
    await page.getByTestId('step-message-2').click({ modifiers: ['Control'] });
    await expect.poll(() => page.getByTestId('inspector').textContent()).toContain('2 steps selected');
    await page.keyboard.press('Backspace');
    await gone(page.locator('[data-testid^="step-message-"]'));
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('[data-testid^="step-message-"]').count()).toBe(2);

    // Ctrl+S saves at once, also while typing in a field.
    await page.getByTestId('step-message-1').click();
    await page.getByTestId('field-text').fill('Hello {{contact.name}}, welcome!');
    await page.keyboard.press('Control+s');
    await allSaved();
    expect(saved(s, 'greeting').nodes.find((n) => n.id === 'message-1')).toMatchObject({ data: { text: 'Hello {{contact.name}}, welcome!' } });

    // Type and reload at once, before the autosave pause is over: the change is kept, either
    // saved on the way out or offered back as a draft.
    await page.getByTestId('step-message-2').click();
    await page.getByTestId('field-text').fill('Typed just before closing');
    await page.reload();
    await visible(page.getByTestId('step-message-2'));
    if (await page.getByTestId('draft-banner').isVisible()) {
      await screenshot(page, '06-editor-draft-offered');
      await page.getByTestId('restore-draft').click();
    }
    await expect.poll(() => page.getByTestId('step-message-2').textContent()).toContain('Typed just before closing');
    await allSaved();
    expect(saved(s, 'greeting').nodes.find((n) => n.id === 'message-2')).toMatchObject({ data: { text: 'Typed just before closing' } });

    // A step the file cannot hold yet (a tool step with no tool picked) is not saved, the
    // indicator says why, and after a reload the unsaved work is offered back as a draft.
    await dropStep('tool', 160, 130);
    await visible(page.getByTestId('step-tool-1'));
    await expect
      .poll(() => saveState().textContent())
      .toBe('Not saved: the step “Use a tool (tool-1)” has no tool picked yet: pick one in the panel on the right');
    await page.reload();
    await visible(page.getByTestId('draft-banner'));
    expect(await page.getByTestId('step-tool-1').count()).toBe(0);
    await screenshot(page, '06-editor-draft-offered');
    await page.getByTestId('restore-draft').click();
    await visible(page.getByTestId('step-tool-1'));
    await page.getByTestId('step-tool-1').click();
    await page.getByTestId('tool-option-crm-get_order_status').click();
    await allSaved();
    expect(saved(s, 'greeting').nodes.find((n) => n.id === 'tool-1')).toMatchObject({ data: { server: 'crm', tool: 'get_order_status' } });
  });

  it('deletes a flow from the list and restores it with Undo', async () => {
    const s = await open();
    await newFlow('Opening hours');
    await page.getByTestId('back').click();
    const card = page.getByTestId('flow-card-opening-hours');
    await visible(card);
    const before = readFileSync(s.flowFile('opening-hours'), 'utf8');
    await page.getByRole('button', { name: 'Delete Opening hours' }).click();
    await gone(card);
    expect(readdirSync(s.flowsDir)).not.toContain('opening-hours.flow.json');
    const toast = page.getByTestId('toast').filter({ hasText: 'Deleted “Opening hours”.' });
    await visible(toast);
    await screenshot(page, '07-flows-deleted-undo');
    await toast.getByRole('button', { name: 'Undo' }).click();
    await visible(card);
    expect(readFileSync(s.flowFile('opening-hours'), 'utf8')).toBe(before);
  });

  it('renames, duplicates, exports and imports flows from the list', async () => {
    const s = await open();
    await newFlow('Opening hours');
    await page.getByTestId('back').click();
    await visible(page.getByTestId('flow-card-opening-hours'));

    await page.getByRole('button', { name: 'Rename Opening hours' }).click();
    await page.getByTestId('rename-input').fill('Shop hours');
    await page.getByTestId('rename-save').click();
    await expect.poll(() => page.getByTestId('flow-card-opening-hours').locator('h3').textContent()).toBe('Shop hours');
    expect(saved(s, 'opening-hours').name).toBe('Shop hours');

    await page.getByRole('button', { name: 'Duplicate Shop hours' }).click();
    await expect.poll(() => page.locator('[data-testid^="flow-card-"]').count()).toBe(2);
    expect(await page.locator('.flow-card h3').allTextContents()).toContain('Shop hours (copy)');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export Shop hours' }).first().click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('opening-hours.flow.json');
    expect(readFileSync((await file.path())!, 'utf8')).toBe(readFileSync(s.flowFile('opening-hours'), 'utf8'));

    const faq = readFileSync(new URL('../../flows/faq.flow.json', import.meta.url), 'utf8');
    await page.getByTestId('import-input').setInputFiles({ name: 'faq.flow.json', mimeType: 'application/json', buffer: Buffer.from(faq) });
    await visible(page.getByTestId('flow-card-faq'));
    expect(saved(s, 'faq').name).toBe('FAQ');
    await page.getByTestId('import-input').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": true}') });
    await visible(page.getByTestId('toast').filter({ hasText: 'notes.json' }));
    await screenshot(page, '10-flows-list-several');
  });

  it('shows a clear error for an invalid flow file on disk and never overwrites it', async () => {
    const s = await open();
    const brokenJson = '{\n  "schemaVersion": 1,\n  "id": "broken-json",\n  "name": "Broken"\n  "nodes": []\n}\n';
    const badSchema = JSON.stringify({ schemaVersion: 1, id: 'bad-steps', name: 'Bad steps', nodes: [{ id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} }, { id: 'q', type: 'ask', position: { x: 0, y: 100 }, data: { question: 5 } }], edges: [] }, null, 2);
    writeFileSync(s.flowFile('broken-json'), brokenJson);
    writeFileSync(s.flowFile('bad-steps'), badSchema);
    await page.reload();
    const broken = page.getByTestId('broken-flows');
    await visible(broken);
    const text = (await broken.textContent()) ?? '';
    expect(text).toContain('broken-json.flow.json');
    expect(text).toMatch(/line 5, column 3/);
    expect(text).toContain('bad-steps.flow.json');
    await screenshot(page, '08-flows-broken-files');

    // Opening one shows the problems and the file as it is, with no editor to change it.
    await broken.getByRole('link', { name: 'Show the file' }).first().click();
    await visible(page.getByTestId('broken-view'));
    expect(await page.getByTestId('editor').count()).toBe(0);
    expect(await page.getByTestId('broken-problem').count()).toBeGreaterThan(0);
    await screenshot(page, '09-broken-file-view');

    // Nothing in the app writes to them, and the API refuses to.
    await expect(call(page, 'flows.save', { flow: { schemaVersion: 1, id: 'broken-json', name: 'Fixed?', nodes: [], edges: [] } })).rejects.toThrow();
    await page.waitForTimeout(300);
    expect(readFileSync(s.flowFile('broken-json'), 'utf8')).toBe(brokenJson);
    expect(readFileSync(s.flowFile('bad-steps'), 'utf8')).toBe(badSchema);
  });
});
