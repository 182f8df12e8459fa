// A newcomer's first MCP servers in the settings screen, in headless Chromium against the real
// web host: "Add the example shop" in one click (the bundled CRM runs, its tools listed with
// their classes); a server whose file is missing leads with one plain sentence, its stack
// trace folded under "Details"; pasting the example workspace asks for the folder of its
// relative paths; pasting a filesystem server proposes its folder (ticked) as its sandbox grant,
// which it then runs with; and, in a studio started without any keychain (no D-Bus), the keychain
// banner leads with a sentence and an action, the technical words folded.
// Screenshots: test-output/screenshots/first-servers-*.png.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envWithoutDbus } from '../support/keychain';
import { apiCall, launchBrowser, openMcpSettings, REPO, screenshot, startStudio, textOf, visible, type Studio } from './support/studio';

let browser: Browser;
let studio: Studio;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  studio = await startStudio({ crm: false });
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  page.on('pageerror', (error) => console.error('page error:', error));
});
afterAll(async () => {
  await page?.close();
  await browser?.close();
  await studio?.close();
});

const settingsJson = () => JSON.parse(readFileSync(join(studio.dataDir, 'settings.json'), 'utf8'));

describe('first servers', () => {
  it('"Add the example shop": one click, and the bundled CRM runs with its tools classified', async () => {
    await openMcpSettings(page, studio.host.url);
    await visible(page.getByTestId('add-example-shop'));
    await screenshot(page, 'first-servers-empty');
    await page.getByTestId('add-example-shop').click();

    const card = page.getByTestId('server-crm');
    await visible(card.getByTestId('tool-get_order_status'));
    await expect.poll(() => textOf(card.getByTestId('server-state'))).toBe('Running');
    expect(await card.getByTestId('consent').count()).toBe(0); // approved by the click
    expect(await textOf(card.getByTestId('server-about'))).toContain('Example CRM');
    await expect.poll(() => card.getByTestId('class-get_order_status-read').getAttribute('aria-pressed')).toBe('true');
    expect(await card.getByTestId('class-create_ticket-write').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('add-example-shop').count()).toBe(0);
    const crm = settingsJson().bots.default.workspace.mcpServers.crm;
    expect(crm.args).toEqual([join(REPO, 'examples', 'crm-server', 'index.js')]);
    expect(crm.env.CRM_DATA_DIR).toBe(join(studio.dataDir, 'bots', 'default', 'example-shop'));
    await screenshot(page, 'first-servers-example-shop');
  });

  it('a server whose file is missing: one plain sentence first, the stack trace folded under "Details"', async () => {
    const missing = join(studio.dataDir, '..', 'shop-server', 'index.js');
    await apiCall(page, 'mcp.saveServer', { name: 'shop', server: { command: process.execPath, args: [missing] } });
    const card = page.getByTestId('server-shop');
    await card.getByTestId('approve-server').click();
    // It crashes at start until the circuit opens: the card then stays as the owner finds it.
    await expect.poll(() => textOf(card.getByTestId('server-state')), { timeout: 60_000 }).toBe('Keeps crashing: stopped');
    await visible(card.getByTestId('server-problem'));
    expect(await textOf(card.getByTestId('server-problem-headline'))).toContain(`The program \`node\` could not find the file \`${missing}\`. It is not restarted any more`);
    expect(await textOf(card.getByTestId('server-problem-headline'))).not.toContain('node:internal');
    expect(await card.innerText()).not.toContain('node:internal'); // no stack trace shown until "Details" is opened
    expect(await card.getByTestId('server-error').count()).toBe(0);
    await visible(card.getByTestId('server-problem-start')); // the action the sentence names
    // The technical account is there, folded.
    const details = card.getByTestId('server-problem-details');
    expect(await details.getAttribute('open')).toBeNull();
    expect(await card.getByTestId('server-last-error').isVisible()).toBe(false);
    expect(await card.getByTestId('server-status').getAttribute('open')).toBeNull();
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'first-servers-failed-server');

    await details.locator('summary').click();
    await visible(card.getByTestId('server-last-error'));
    expect(await textOf(card.getByTestId('server-last-error'))).toContain('exited during start with exit code 1');
    expect(await textOf(card.getByTestId('server-problem-stderr'))).toContain('Cannot find module');
    await screenshot(page, 'first-servers-failed-server-details');
  });

  it('pasting the example workspace asks which folder its relative paths are in', async () => {
    await page.getByTestId('import-servers').click();
    const text = readFileSync(join(REPO, 'examples', 'workspace.json'), 'utf8').replace('"crm"', '"crm-pasted"');
    await page.getByTestId('import-text').fill(text);
    await page.getByTestId('import-check').click();
    await visible(page.getByTestId('import-folder'));
    expect(await textOf(page.getByTestId('import-folder'))).toContain('crm-server/index.js');
    expect(await page.getByTestId('import-run').isDisabled()).toBe(true);
    await screenshot(page, 'first-servers-import-folder');

    await page.getByTestId('import-folder-input').fill(join(REPO, 'examples'));
    await page.getByTestId('import-folder-apply').click();
    await expect.poll(() => page.getByTestId('import-folder').count()).toBe(0);
    expect(await textOf(page.getByTestId('import-server-crm-pasted'))).toContain(join(REPO, 'examples', 'crm-server', 'index.js'));
    expect(await page.getByTestId('import-run').isDisabled()).toBe(false);
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('pasting a filesystem server proposes its folder, ticked; the registry of a first download is a note, unticked; it runs with the grant', async () => {
    // A folder under /tmp: hidden by the sandbox unless granted.
    const docs = mkdtempSync(join(tmpdir(), 'flowbot-e2e-docs-'));
    writeFileSync(join(docs, 'hello.txt'), 'hello');
    const script = join(REPO, 'node_modules', '@modelcontextprotocol', 'server-filesystem', 'dist', 'index.js');
    const pasted = {
      mcpServers: {
        files: { command: process.execPath, args: [script, docs] },
        memory: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] },
      },
    };
    try {
      await page.getByTestId('import-servers').click();
      await page.getByTestId('import-text').fill(JSON.stringify(pasted, null, 2));
      await page.getByTestId('import-check').click();
      const files = page.getByTestId('import-grant-files');
      await visible(files);
      expect(await page.getByTestId('import-grant-folder-files-0').isChecked()).toBe(true);
      expect(await textOf(files)).toContain(`Read and write ${docs}`);
      expect(await textOf(page.getByTestId('import-grant-nothing-memory'))).toContain('Nothing beyond its own folders');
      expect(await textOf(page.getByTestId('import-grant-registry-note-memory'))).toContain('registry.npmjs.org');
      expect(await page.getByTestId('import-grant-registry-memory').isChecked()).toBe(false);
      await screenshot(page, 'first-servers-import-grant');
      await page.getByTestId('import-run').click();

      const card = page.getByTestId('server-files');
      await visible(card.getByTestId('consent'));
      expect(await textOf(card.getByTestId('consent-command'))).toBe(`${process.execPath} ${script} ${docs} [sandbox grants: read and write ${docs}]`);
      const stored = settingsJson().bots.default.workspace.mcpServers;
      expect(stored.files.sandbox).toEqual({ folders: [{ path: docs, access: 'write' }] });
      expect(stored.memory.sandbox).toBeUndefined();

      // Approved, it starts in the sandbox and sees the folder it was granted (it checks it at start).
      await card.getByTestId('approve-server').click();
      await expect.poll(() => textOf(card.getByTestId('server-state')), { timeout: 30_000 }).toBe('Running');
      expect(await textOf(card.getByTestId('sandbox-on'))).toContain(`read and write ${docs}`);
      await card.scrollIntoViewIfNeeded();
      await screenshot(page, 'first-servers-imported-grant');
    } finally {
      await apiCall(page, 'mcp.removeServer', { name: 'files' });
      await apiCall(page, 'mcp.removeServer', { name: 'memory' });
      rmSync(docs, { recursive: true, force: true });
    }
  });
});

describe('without a keychain', () => {
  let child: ChildProcess | undefined;
  let root: string | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const gone = new Promise((done) => child!.once('exit', done));
      child.kill('SIGTERM');
      await gone;
    }
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('the banner says it in one sentence with an action; the technical words are under "Details"', async () => {
    // `flowbot studio` in an environment without any D-Bus session: the real keychain library fails to reach a keychain.
    root = mkdtempSync(join(tmpdir(), 'flowbot-e2e-nokeychain-'));
    child = spawn(process.execPath, [join(REPO, 'bin', 'flowbot.js'), 'studio', '--data-dir', join(root, 'data')], { env: envWithoutDbus(), stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<string>((done, fail) => {
      let out = '';
      child!.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const found = /http:\/\/127\.0\.0\.1:\d+\/#token=\S+/.exec(out);
        if (found) done(found[0]);
      });
      child!.once('exit', (code) => fail(new Error(`flowbot studio exited (${code}): ${out}`)));
    });
    const other = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    try {
      await openMcpSettings(other, url);
      const banner = other.getByTestId('keychain-problem');
      await visible(banner);
      expect(await textOf(other.getByTestId('keychain-headline'))).toMatch(/^Flowbot cannot reach your computer’s keychain, so passwords and keys cannot be saved right now\. .*then check again\./);
      expect(await textOf(other.getByTestId('keychain-headline'))).not.toContain('D-Bus');
      await visible(other.getByTestId('keychain-retry'));
      const details = other.getByTestId('keychain-details');
      expect(await details.getAttribute('open')).toBeNull();
      await screenshot(other, 'first-servers-keychain-banner');
      await details.locator('summary').click();
      await expect.poll(() => textOf(details)).toContain('The OS keychain is unavailable');
      await screenshot(other, 'first-servers-keychain-details');
      await other.getByTestId('keychain-retry').click();
      await visible(other.getByTestId('keychain-headline'));
    } finally {
      await other.close();
    }
  });
});
