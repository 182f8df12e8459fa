import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startWebHost } from '../src-main/web/web-host.ts';
import { benchFlow } from './editor-flow.ts';
const REPO = resolve(import.meta.dirname, '..');
const flow = benchFlow(1000);
const root = mkdtempSync(join(tmpdir(), 'probe-'));
mkdirSync(join(root, 'data', 'flows'), { recursive: true });
writeFileSync(join(root, 'data', 'flows', `${flow.id}.flow.json`), JSON.stringify(flow, null, 2));
const host = await startWebHost({ dataDir: join(root, 'data'), rendererDir: join(REPO, 'out', 'renderer'), templatesDir: join(REPO, 'flows'), log: () => {} });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const url = `${host.url}#/flow/${flow.id}`;
for (let r = 0; r < 6; r++) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.addInitScript(() => {
    const T: Record<string, number> = {}; Reflect.set(window, '__T', T);
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args); T.wsNew ??= performance.now();
        this.addEventListener('open', () => (T.wsOpen ??= performance.now()));
        const send = this.send.bind(this);
        this.send = (d: string) => { if (String(d).includes('flows.get')) T.getSent ??= performance.now(); send(d); };
        this.addEventListener('message', (m) => { if (String(m.data).length > 100000) T.data ??= performance.now(); });
      }
    };
  });
  await page.goto(url, { waitUntil: 'commit' });
  const h = await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 1000 && performance.now(), undefined, { polling: 'raf', timeout: 60000 });
  const done = await h.jsonValue();
  const T = await page.evaluate(() => {
    const T = Reflect.get(window, '__T') as Record<string, number>;
    for (const e of performance.getEntriesByType('resource')) if (e.name.includes('.js')) T.jsEnd = (e as PerformanceResourceTiming).responseEnd;
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming; T.htmlEnd = nav.responseEnd; T.dcl = nav.domContentLoadedEventEnd;
    return T;
  });
  console.log(JSON.stringify(Object.fromEntries(Object.entries({ ...T, done }).map(([k, v]) => [k, Math.round(v as number)]))));
  await page.close();
}
await browser.close(); await host.close();
