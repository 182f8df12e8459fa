// The API over Electron IPC (main side and preload), without Electron: fakes stand in for
// ipcMain / ipcRenderer / contextBridge, the dispatcher and contract are the real ones.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { API_METHOD_NAMES } from '../../src-main/shared/api-contract';
import { createApiDispatcher, type ApiHandlers } from '../../src-main/api/dispatcher';
import { createEventHub } from '../../src-main/app/event-hub';
import { APP_ORIGIN } from '../../src-main/electron/harden';
import { forwardEvents, isTrustedSender, registerApiIpc, type SenderEventLike, type WindowLike } from '../../src-main/electron/ipc';
import { API_EVENT_CHANNEL } from '../../src-main/electron/ipc-channels';

const mainFrame: { url: string; processId: number; routingId: number; parent: unknown } = { url: `${APP_ORIGIN}/index.html`, processId: 4, routingId: 1, parent: null };

function fakeWindow(overrides: Partial<typeof mainFrame> = {}) {
  const sent: unknown[][] = [];
  let destroyed = false;
  const window = {
    isDestroyed: () => destroyed,
    destroy: () => (destroyed = true),
    webContents: { mainFrame: { ...mainFrame, ...overrides }, send: (...args: unknown[]) => sent.push(args) },
    sent,
  };
  return window;
}

const eventFrom = (window: ReturnType<typeof fakeWindow>, frame: Partial<typeof mainFrame> | null = {}, sender: unknown = window.webContents): SenderEventLike => ({
  sender,
  senderFrame: frame === null ? null : { ...window.webContents.mainFrame, ...frame },
});

function setup() {
  const handlers = Object.fromEntries(API_METHOD_NAMES.map((name) => [name, vi.fn(async () => ({ flows: [], broken: [] }))])) as unknown as ApiHandlers;
  const registered = new Map<string, (event: SenderEventLike, ...args: unknown[]) => unknown>();
  const ipcMain = {
    handle: vi.fn((channel: string, listener: (event: SenderEventLike, ...args: unknown[]) => unknown) => {
      if (registered.has(channel)) throw new Error(`twice: ${channel}`);
      registered.set(channel, listener);
    }),
    removeHandler: vi.fn((channel: string) => registered.delete(channel)),
  };
  const window = fakeWindow();
  let current: WindowLike | null = window;
  const unregister = registerApiIpc({ ipcMain, dispatcher: createApiDispatcher(handlers), mainWindow: () => current, appOrigin: APP_ORIGIN });
  return { handlers, registered, ipcMain, window, unregister, setWindow: (w: WindowLike | null) => (current = w) };
}

describe('registerApiIpc', () => {
  it('registers one handler per contract method, api:<method>, and nothing else', () => {
    const { registered, unregister } = setup();
    expect([...registered.keys()].sort()).toEqual(API_METHOD_NAMES.map((m) => `api:${m}`).sort());
    unregister();
    expect(registered.size).toBe(0);
  });

  it('dispatches a call from our window main frame', async () => {
    const { registered, window, handlers } = setup();
    const result = await registered.get('api:flows.list')!(eventFrom(window), {});
    expect(result).toEqual({ ok: true, output: { flows: [], broken: [] } });
    expect(handlers['flows.list']).toHaveBeenCalledWith({});
  });

  it('rejects a wrong payload with INVALID_INPUT naming the field', async () => {
    const { registered, window, handlers } = setup();
    const result = await registered.get('api:flows.rename')!(eventFrom(window), { id: 'Bad Id', name: 'x' });
    expect(result).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: 'flows.rename: input.id: not valid: a flow id uses lowercase letters, digits and dashes' } });
    expect(handlers['flows.rename']).not.toHaveBeenCalled();
  });

  it.each([
    ['a subframe', { parent: {}, routingId: 7 }],
    ['another frame id', { routingId: 2 }],
    ['another process', { processId: 9 }],
    ['another origin', { url: 'https://evil.example/' }],
    ['a file: page', { url: 'file:///tmp/x.html' }],
    ['the dev server when the app is not in dev', { url: 'http://localhost:5173/' }],
  ])('answers FORBIDDEN to %s', async (_what, frame) => {
    const { registered, window, handlers } = setup();
    const result = await registered.get('api:flows.list')!(eventFrom(window, frame), {});
    expect(result).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'This API answers only the Flowbot Studio window.' } });
    expect(handlers['flows.list']).not.toHaveBeenCalled();
  });

  it('answers FORBIDDEN without a frame, from other web contents, and when the window is gone', async () => {
    const { registered, window, setWindow } = setup();
    const call = (event: SenderEventLike) => registered.get('api:flows.list')!(event, {});
    expect(await call(eventFrom(window, null))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call(eventFrom(window, {}, { other: true }))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    window.destroy();
    expect(await call(eventFrom(window))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    setWindow(null);
    expect(await call(eventFrom(window))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('isTrustedSender compares origins, not prefixes', () => {
    const window = fakeWindow();
    expect(isTrustedSender(eventFrom(window, { url: 'app://flowbot.evil/index.html' }), window, APP_ORIGIN)).toBe(false);
    expect(isTrustedSender(eventFrom(window, { url: 'APP://FLOWBOT/x' }), window, APP_ORIGIN)).toBe(true);
  });
});

describe('forwardEvents', () => {
  it('sends each event to the window as { event, payload }, and stops when unsubscribed', () => {
    const events = createEventHub();
    const window = fakeWindow();
    const stop = forwardEvents(events, () => window);
    events.emit({ event: 'flows.changed', payload: { id: 'faq' } });
    expect(window.sent).toEqual([[API_EVENT_CHANNEL, { event: 'flows.changed', payload: { id: 'faq' } }]]);
    stop();
    events.emit({ event: 'flows.changed', payload: { id: 'x' } });
    expect(window.sent).toHaveLength(1);
  });
});

/** What the preload gets from 'electron' in these tests. */
function fakeElectron() {
  const exposed: Record<string, any> = {};
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  const electron = {
    contextBridge: { exposeInMainWorld: vi.fn((key: string, api: unknown) => (exposed[key] = api)) },
    ipcRenderer: {
      invoke: vi.fn(async (channel: string, input: unknown) => ({ ok: true, output: { channel, input } })),
      on: vi.fn((channel: string, listener: (...args: unknown[]) => void) => {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)!.add(listener);
      }),
      removeListener: vi.fn((channel: string, listener: (...args: unknown[]) => void) => listeners.get(channel)?.delete(listener)),
    },
  };
  const emit = (channel: string, message: unknown) => listeners.get(channel)?.forEach((l) => l({}, message));
  return { electron, exposed, emit, listeners };
}

function checkBridge(fake: ReturnType<typeof fakeElectron>) {
  return async () => {
    const flowbot = fake.exposed.flowbot;
    expect(Object.isFrozen(flowbot)).toBe(true);
    expect(Object.keys(flowbot).sort()).toEqual(['call', 'on', 'version']);

    expect(await flowbot.call('flows.get', { id: 'faq' })).toEqual({ ok: true, output: { channel: 'api:flows.get', input: { id: 'faq' } } });
    for (const name of ['flows.nuke', 'constructor', '__proto__', 42, undefined]) {
      expect(await flowbot.call(name, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
    expect(fake.electron.ipcRenderer.invoke).toHaveBeenCalledTimes(1);

    const seen: unknown[] = [];
    const off = flowbot.on('flows.changed', (payload: unknown) => seen.push(payload));
    fake.emit(API_EVENT_CHANNEL, { event: 'flows.changed', payload: { id: 'a' } });
    fake.emit(API_EVENT_CHANNEL, { event: 'other', payload: { id: 'b' } });
    fake.emit(API_EVENT_CHANNEL, null);
    off();
    fake.emit(API_EVENT_CHANNEL, { event: 'flows.changed', payload: { id: 'c' } });
    expect(seen).toEqual([{ id: 'a' }]);
    expect(() => flowbot.on('nope', () => undefined)).toThrow('Unknown API event nope.');
    expect(() => flowbot.on('flows.changed', 'not a function')).toThrow('The listener must be a function.');
  };
}

describe('preload (source)', () => {
  const fake = fakeElectron();
  afterEach(() => vi.unstubAllGlobals());

  it('exposes only call/on/version; call accepts only contract methods', async () => {
    vi.stubGlobal('__FLOWBOT_VERSION__', '9.9.9');
    vi.doMock('electron', () => fake.electron);
    await import('../../src-main/electron/preload');
    expect(fake.exposed.flowbot.version).toBe('9.9.9');
    await checkBridge(fake)();
  });
});

describe('preload (built bundle, in a sandbox-like context)', () => {
  const bundle = join(import.meta.dirname, '../../out/preload/index.cjs');
  it('runs with only require("electron") available and exposes the same bridge', async () => {
    expect(existsSync(bundle), 'the preload is not built: run "npm run build" (npm test builds it first)').toBe(true);
    const fake = fakeElectron();
    const code = readFileSync(bundle, 'utf8');
    const required: string[] = [];
    const module = { exports: {} };
    const context = createContext({
      module,
      exports: module.exports,
      require: (name: string) => {
        required.push(name);
        if (name === 'electron') return fake.electron;
        throw new Error(`a sandboxed preload cannot require ${name}`);
      },
    });
    runInContext(code, context, { filename: 'index.cjs' });
    expect(required).toEqual(['electron']);
    expect(fake.exposed.flowbot.version).toMatch(/^\d+\.\d+\.\d+/);
    await checkBridge(fake)();
  });
});
