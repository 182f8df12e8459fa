// Editor benchmark (npm run bench:editor). A 1,000-step flow in our editor (through the real
// web host) against its anchor, a bare React Flow page with default nodes showing the same
// graph, in the same headless Chromium, in the same run. Rounds alternate the two pages
// (swapping which goes first) and the medians are compared as ratios; absolute times only
// describe this machine. Never copy these numbers into tests as thresholds.
//
//  1. Time to all nodes rendered: from navigation start until all 1,000 nodes and their edges
//     are in the DOM and measured by React Flow (our editor: page load, WebSocket, flows.get
//     with server-side validation, store load; the anchor: page load, fetch of the graph).
//     Also the part after the graph's data arrived in the page (the client-side rendering).
//  2. Drag: one node dragged with the mouse in 40 steps, each step followed by two animation
//     frames so that every step renders on its own. Reported per step:
//     - main-thread ms (Chromium's TaskDuration metric: script, style, layout, paint), and
//     - wall ms (mouse event dispatched -> two frames later), which includes fixed overhead.
//
// Needs the built renderer (npx electron-vite build); builds the anchor page itself.
// BENCH_ROUNDS=n (default 7), BENCH_NODES=n (default 1000), BENCH_DEBUG=1 prints every round,
// BENCH_SERVE=1 only serves both pages (for profiling by hand).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { build } from 'vite';
import type { Flow } from '../src-main/shared/flow';
import { startWebHost } from '../src-main/web/web-host';
import { benchFlow } from './editor-flow';

const REPO = resolve(import.meta.dirname, '..');
const RENDERER_DIR = join(REPO, 'out', 'renderer');
const BARE_DIR = join(REPO, 'out', 'bench-editor-bare');
const NODES = Number(process.env.BENCH_NODES ?? '1000');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? '7');
const DRAG_STEPS = 40;

// ---- the graph --------------------------------------------------------------------------

/** The same graph for the anchor: default nodes (a label) and plain edges. */
const bareGraph = (flow: Flow) => ({
  nodes: flow.nodes.map((n) => ({ id: n.id, position: n.position, data: { label: n.label ?? `${n.type} ${n.id}` } })),
  edges: flow.edges.map((e) => ({ id: e.id, source: e.source, target: e.target })),
});

// ---- serving ----------------------------------------------------------------------------

/** Built like the app's renderer (minified), so only the page differs. */
async function buildBare(): Promise<void> {
  await build({
    root: join(REPO, 'bench', 'editor-bare'),
    logLevel: 'warn',
    plugins: [react()],
    build: { outDir: BARE_DIR, emptyOutDir: true, minify: true },
    base: './',
  });
}

const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };

function serveBare(graphJson: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/graph.json') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return void res.end(graphJson);
    }
    const file = join(BARE_DIR, path === '/' ? 'index.html' : path.replace(/^\/+/, ''));
    if (!file.startsWith(BARE_DIR) || !existsSync(file)) {
      res.writeHead(404);
      return void res.end();
    }
    res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` })));
}

// ---- measuring --------------------------------------------------------------------------

interface Sample {
  renderMs: number;
  /** From the moment the graph's data arrived in the page (WebSocket reply / fetch) to all nodes rendered. */
  afterDataMs: number;
  dragTaskMs: number;
  dragWallMs: number;
}

const twoFrames = () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));

async function taskDuration(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
}

async function measure(browser: Browser, url: string, nodes: number, edges: number): Promise<Sample> {
  const page: Page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  // When did the graph arrive? Ours: the first large WebSocket message (flows.get's reply);
  // the anchor: the end of the graph.json fetch (resource timing, read afterwards).
  await page.addInitScript(() => {
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        this.addEventListener('message', (m) => {
          if (typeof m.data === 'string' && m.data.length > 100_000 && Reflect.get(window, '__graphAt') === undefined) Reflect.set(window, '__graphAt', performance.now());
        });
      }
    };
  });
  try {
    await page.goto(url, { waitUntil: 'commit' });
    const renderMs = await page.waitForFunction(
      ([n, e]) => {
        const all = document.querySelectorAll<HTMLElement>('.react-flow__node');
        if (all.length !== n || document.querySelectorAll('.react-flow__edge').length !== e) return false;
        for (const el of all) if (el.style.visibility === 'hidden') return false;
        return performance.now();
      },
      [nodes, edges] as const,
      { polling: 'raf', timeout: 120_000 },
    );
    const rendered = (await renderMs.jsonValue()) as number;
    const dataAt = await page.evaluate(() => {
      const viaSocket: unknown = Reflect.get(window, '__graphAt');
      if (typeof viaSocket === 'number') return viaSocket;
      const fetched = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/graph.json'));
      return fetched instanceof PerformanceResourceTiming ? fetched.responseEnd : NaN;
    });
    await page.evaluate(twoFrames);
    await page.waitForTimeout(300); // let the editor's validation and catalogue calls settle

    // Drag a node near the middle of the screen.
    const target = await page.evaluate(() => {
      const cx = innerWidth / 2;
      const cy = innerHeight / 2;
      let best: { x: number; y: number } | null = null;
      let bestD = Infinity;
      for (const el of document.querySelectorAll('.react-flow__node')) {
        const r = el.getBoundingClientRect();
        const d = Math.hypot(r.x + r.width / 2 - cx, r.y + r.height / 2 - cy);
        if (d < bestD && r.width > 0) {
          bestD = d;
          best = { x: r.x + Math.min(20, r.width / 2), y: r.y + Math.min(10, r.height / 2) };
        }
      }
      return best;
    });
    if (!target) throw new Error('no node on screen to drag');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.mouse.move(target.x, target.y);
    await page.mouse.down();
    await page.mouse.move(target.x + 3, target.y + 3); // past the drag threshold
    await page.evaluate(twoFrames);
    const task0 = await taskDuration(cdp);
    const wall0 = performance.now();
    for (let i = 1; i <= DRAG_STEPS; i++) {
      await page.mouse.move(target.x + 3 + i * 4, target.y + 3 + i * 2);
      await page.evaluate(twoFrames);
    }
    const wall = performance.now() - wall0;
    const task = (await taskDuration(cdp)) - task0;
    await page.mouse.up();
    return { renderMs: rendered, afterDataMs: rendered - dataAt, dragTaskMs: task / DRAG_STEPS, dragWallMs: wall / DRAG_STEPS };
  } finally {
    await page.close();
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const spread = (xs: number[]): string => {
  const m = median(xs);
  return `±${((median(xs.map((x) => Math.abs(x - m))) / m) * 100).toFixed(0)} %`;
};

/**
 * Settings as an owner of this flow would have them: the CRM server with its lookup tool
 * marked read-only. Without them every tool step would show "no server called crm".
 */
async function configureCrm(browser: Browser, url: string): Promise<void> {
  const page = await browser.newPage();
  await page.goto(url);
  await page.evaluate(
    (config) =>
      new Promise<void>((resolve, reject) => {
        const ws = new WebSocket(`ws://${location.host}/api`);
        ws.onopen = () => ws.send(JSON.stringify({ id: 1, method: 'settings.save', input: { config } }));
        ws.onmessage = (m) => {
          const reply = JSON.parse(String(m.data)) as { id?: number; ok?: boolean };
          if (reply.id !== 1) return; // an event (settings.changed), not the answer
          if (reply.ok) resolve();
          else reject(new Error(String(m.data)));
        };
        ws.onerror = () => reject(new Error('socket error'));
      }),
    { mcpServers: { crm: { command: 'node', args: ['crm.js'], tools: { get_order_status: 'read' } } } },
  );
  await page.close();
}

// ---- main -------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error('Build the renderer first: npx electron-vite build');
  await buildBare();
  const flow = benchFlow(NODES);
  const root = mkdtempSync(join(tmpdir(), 'flowbot-bench-editor-'));
  mkdirSync(join(root, 'data', 'flows'), { recursive: true });
  writeFileSync(join(root, 'data', 'flows', `${flow.id}.flow.json`), JSON.stringify(flow, null, 2));
  const host = await startWebHost({ dataDir: join(root, 'data'), rendererDir: RENDERER_DIR, templatesDir: join(REPO, 'flows'), log: () => {} });
  const bare = await serveBare(JSON.stringify(bareGraph(flow)));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const editorUrl = `${host.url}#/flow/${flow.id}`;
  await configureCrm(browser, host.url);
  if (process.env.BENCH_SERVE) {
    // For profiling by hand: keep both pages up and print their addresses.
    await browser.close();
    console.log(`ours: ${editorUrl}\nbare: ${bare.url}`);
    await new Promise(() => {});
  }
  const ours: Sample[] = [];
  const anchor: Sample[] = [];
  try {
    // Warm-up: one of each (browser caches, V8 code cache, the host's first parse).
    await measure(browser, editorUrl, NODES, flow.edges.length);
    await measure(browser, bare.url, NODES, flow.edges.length);
    for (let r = 0; r < ROUNDS; r++) {
      const pair = r % 2 === 0 ? ([['ours', editorUrl], ['bare', bare.url]] as const) : ([['bare', bare.url], ['ours', editorUrl]] as const);
      for (const [which, url] of pair) (which === 'ours' ? ours : anchor).push(await measure(browser, url, NODES, flow.edges.length));
      if (process.env.BENCH_DEBUG) console.error(`round ${r + 1}`, ours.at(-1), anchor.at(-1));
    }
  } finally {
    await browser.close();
    await host.close();
    await new Promise((ok) => bare.server.close(ok));
    rmSync(root, { recursive: true, force: true });
  }

  const rows = [
    ['time to all nodes rendered (ms)', 'renderMs'],
    ['  of which after the data arrived', 'afterDataMs'],
    ['drag: main-thread ms per step', 'dragTaskMs'],
    ['drag: wall ms per step', 'dragWallMs'],
  ] as const;
  const result: Record<string, number> = {};
  console.log(`Editor benchmark: ${NODES} steps, ${ROUNDS} rounds (+1 warm-up), ${DRAG_STEPS} drag steps per round, headless Chromium`);
  console.log('');
  console.log(`${'measure'.padEnd(34)} ${'ours'.padStart(14)} ${'bare React Flow'.padStart(18)} ${'ratio'.padStart(7)}`);
  for (const [label, key] of rows) {
    const a = ours.map((s) => s[key]);
    const b = anchor.map((s) => s[key]);
    const ratio = median(a) / median(b);
    result[key] = Number(ratio.toFixed(2));
    console.log(`${label.padEnd(34)} ${`${median(a).toFixed(1)} ${spread(a)}`.padStart(14)} ${`${median(b).toFixed(1)} ${spread(b)}`.padStart(18)} ${ratio.toFixed(2).padStart(7)}`);
  }
  console.log('');
  console.log('Target: ratio ≤ 1.5 for the render time and the per-step drag cost.');
  console.log(JSON.stringify({ bench: 'editor', nodes: NODES, rounds: ROUNDS, ratios: result }));
}

await main();
