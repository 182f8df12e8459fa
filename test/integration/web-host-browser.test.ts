// The web host in a real browser (headless Chromium): the printed address carries the token in
// its fragment; the real public/early-socket.js moves it into the tab's sessionStorage and off
// the address bar, and opens the API WebSocket offering it as a subprotocol with our Origin. No
// cookie: another server on this machine (any port) never sees the token, and a page on another
// origin cannot reach the API. A fixture page around the real early socket, not the editor.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../src-main/web/web-host';

const CHROMIUM = '/usr/bin/chromium';
const EARLY_SOCKET = join(import.meta.dirname, '../../src-renderer/public/early-socket.js');
const APP_JS = `
const out = (text) => { document.getElementById('out').textContent = text; };
const { socket, buffered } = window.__flowbotEarlySocket;
const answer = (data) => { const r = JSON.parse(data); out(r.ok ? 'templates:' + r.output.templates.map((t) => t.id).join(',') : 'failed:' + r.error.code); };
const ask = () => socket.send(JSON.stringify({ id: 1, method: 'templates.list', input: {} }));
socket.onerror = () => out('error');
socket.onmessage = (m) => answer(m.data);
if (socket.readyState === WebSocket.OPEN) ask(); else socket.onopen = ask;
`;
let root: string;
let host: WebHost;
let browser: Browser;
let evil: Server;
let evilPort = 0;
const evilSaw: string[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'flowbot-web-browser-'));
  const rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(
    join(rendererDir, 'index.html'),
    '<!doctype html><title>t</title><p id="out">loading</p><script>window.inlineRan = true</script><script src="/early-socket.js"></script><script type="module" src="/assets/app.js"></script>',
  );
  copyFileSync(EARLY_SOCKET, join(rendererDir, 'early-socket.js'));
  writeFileSync(join(rendererDir, 'assets', 'app.js'), APP_JS);
  host = await startWebHost({ dataDir: join(root, 'data'), rendererDir, templatesDir: join(import.meta.dirname, '../../flows') });
  // Another server on this machine (another port): it records what the browser sends it, and its
  // page tries to use the API and read the editor.
  evil = createServer((req, res) => {
    evilSaw.push(`${req.url ?? ''} ${req.headers.cookie ?? ''}`);
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(`<!doctype html><p id="out">loading</p><script>
      const out = (t) => { document.getElementById('out').textContent = t; };
      const s = new WebSocket('ws://127.0.0.1:${host.port}/api', ['flowbot-api']);
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
  it('serves the page, blocks inline script (CSP), and the page calls the API over its WebSocket with the token from the fragment', async () => {
    const page = await browser.newPage();
    const response = await page.goto(host.url);
    expect(response?.status()).toBe(200);
    await page.waitForFunction(() => document.getElementById('out')?.textContent?.startsWith('templates:'));
    expect(await page.textContent('#out')).toBe('templates:faq,order-status,support-ticket');
    expect(await page.evaluate(() => (window as { inlineRan?: boolean }).inlineRan)).toBeUndefined();
    // The token is gone from the address bar, no cookie holds it, and a reload of this tab works (sessionStorage).
    expect(page.url()).toBe(`http://127.0.0.1:${host.port}/`);
    expect(await page.context().cookies()).toEqual([]);
    await page.reload();
    await page.waitForFunction(() => document.getElementById('out')?.textContent?.startsWith('templates:'));
    await page.close();
  });

  it('the token never reaches another port, and a page there cannot use the API', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(host.url);
    await page.waitForFunction(() => document.getElementById('out')?.textContent?.startsWith('templates:'));
    await page.goto(`http://127.0.0.1:${evilPort}/`);
    await page.waitForFunction(() => document.getElementById('out')?.textContent !== 'loading');
    expect(await page.textContent('#out')).not.toBe('opened');
    expect(evilSaw.length).toBeGreaterThan(0);
    for (const seen of evilSaw) expect(seen).not.toContain(host.token);
    await context.close();
  });

  it('a tab opened without the token gets the page but not the API', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`http://127.0.0.1:${host.port}/`);
    expect(response?.status()).toBe(200);
    await page.waitForFunction(() => document.getElementById('out')?.textContent !== 'loading');
    expect(await page.textContent('#out')).toBe('error');
    await page.close();
  });
});
