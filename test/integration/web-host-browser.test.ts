// The web host in a real browser (headless Chromium): the tokenised URL sets the cookie, the
// page's own script (allowed by the CSP) opens the API WebSocket with that cookie and our
// Origin, and a page on another origin cannot reach the API. A fixture page, not the editor.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../src-main/web/web-host';

const CHROMIUM = '/usr/bin/chromium';
const APP_JS = `
const out = (text) => { document.getElementById('out').textContent = text; };
const socket = new WebSocket('ws://' + location.host + '/api');
socket.onerror = () => out('error');
socket.onopen = () => socket.send(JSON.stringify({ id: 1, method: 'templates.list', input: {} }));
socket.onmessage = (m) => { const r = JSON.parse(m.data); out(r.ok ? 'templates:' + r.output.templates.map((t) => t.id).join(',') : 'failed:' + r.error.code); };
history.replaceState(null, '', location.pathname);
`;

let root: string;
let host: WebHost;
let browser: Browser;
let evil: Server;
let evilPort = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'flowbot-web-browser-'));
  const rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(
    join(rendererDir, 'index.html'),
    '<!doctype html><title>t</title><p id="out">loading</p><script>window.inlineRan = true</script><script type="module" src="/assets/app.js"></script>',
  );
  writeFileSync(join(rendererDir, 'assets', 'app.js'), APP_JS);
  host = await startWebHost({ dataDir: join(root, 'data'), rendererDir, templatesDir: join(import.meta.dirname, '../../flows') });
  // A page on another origin that tries to use the API and read the editor.
  evil = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(`<!doctype html><p id="out">loading</p><script>
      const out = (t) => { document.getElementById('out').textContent = t; };
      const s = new WebSocket('ws://127.0.0.1:${host.port}/api');
      s.onopen = () => out('opened');
      s.onerror = () => fetch('http://127.0.0.1:${host.port}/', { credentials: 'include' }).then((r) => out('fetched ' + r.status)).catch(() => out('refused'));
    </script>`);
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  evilPort = (evil.address() as { port: number }).port;
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: npm test installs it (apt-get install chromium)`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await new Promise((resolve) => evil?.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

describe('web host in Chromium', () => {
  it('serves the page, blocks inline script (CSP), and the page calls the API over its WebSocket', async () => {
    const page = await browser.newPage();
    const response = await page.goto(host.url);
    expect(response?.status()).toBe(200);
    await page.waitForFunction(() => document.getElementById('out')?.textContent?.startsWith('templates:'));
    expect(await page.textContent('#out')).toBe('templates:faq,order-status,support-ticket');
    expect(await page.evaluate(() => (window as { inlineRan?: boolean }).inlineRan)).toBeUndefined();
    // The token is gone from the address bar, and a reload works with the cookie alone.
    expect(page.url()).toBe(`http://127.0.0.1:${host.port}/`);
    await page.reload();
    await page.waitForFunction(() => document.getElementById('out')?.textContent?.startsWith('templates:'));
    await page.close();
  });

  it('refuses a page from another origin, even in a browser that holds the cookie', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(host.url);
    await page.goto(`http://127.0.0.1:${evilPort}/`);
    await page.waitForFunction(() => document.getElementById('out')?.textContent !== 'loading');
    const text = await page.textContent('#out');
    expect(text).not.toBe('opened');
    expect(text).not.toBe('fetched 200');
    await context.close();
  });

  it('answers 403 to a browser without the token', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`http://127.0.0.1:${host.port}/`);
    expect(response?.status()).toBe(403);
    expect(await page.textContent('body')).toContain('Forbidden');
    await page.close();
  });
});
