// Preload (sandboxed, so bundled as CommonJS: out/preload/index.cjs). It exposes a frozen
// `window.flowbot` (FlowbotBridge in the contract): `call` accepts only the contract's method
// names and invokes `api:<method>` (the main process parses the input and checks the sender);
// `on` subscribes to one contract event. ipcRenderer itself is never exposed to the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { API_EVENT_NAMES, API_METHOD_NAMES, type ApiResult } from '../shared/api-contract';
import { API_EVENT_CHANNEL, apiChannelOf } from './ipc-channels';

// Replaced at build time with package.json's version (electron.vite.config.ts `define`).
declare const __FLOWBOT_VERSION__: string;

const methods: ReadonlySet<string> = new Set(API_METHOD_NAMES);
const events: ReadonlySet<string> = new Set(API_EVENT_NAMES);

function call(method: unknown, input: unknown): Promise<ApiResult> {
  if (typeof method !== 'string' || !methods.has(method)) {
    const name = typeof method === 'string' ? JSON.stringify(method.slice(0, 80)) : typeof method;
    return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown API method ${name}.` } });
  }
  return ipcRenderer.invoke(apiChannelOf(method), input) as Promise<ApiResult>;
}

function on(event: unknown, listener: unknown): () => void {
  if (typeof event !== 'string' || !events.has(event)) throw new TypeError(`Unknown API event ${String(event)}.`);
  if (typeof listener !== 'function') throw new TypeError('The listener must be a function.');
  const forward = (_event: IpcRendererEvent, message: unknown): void => {
    if (typeof message !== 'object' || message === null) return;
    const { event: name, payload } = message as { event?: unknown; payload?: unknown };
    if (name === event) (listener as (payload: unknown) => void)(payload);
  };
  ipcRenderer.on(API_EVENT_CHANNEL, forward);
  return () => {
    ipcRenderer.removeListener(API_EVENT_CHANNEL, forward);
  };
}

const flowbot = Object.freeze({ version: __FLOWBOT_VERSION__, call, on });

contextBridge.exposeInMainWorld('flowbot', flowbot);
