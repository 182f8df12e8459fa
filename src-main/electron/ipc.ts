// The API over Electron IPC: one ipcMain.handle per contract method, all through the same
// dispatcher as the web host. A call is answered only for the main frame of our window showing
// our origin; anything else (another window, an iframe, a page the window was navigated to
// despite the guards) gets FORBIDDEN. Electron types only, so this is unit-testable.
import { API_METHOD_NAMES, type ApiResult } from '../shared/api-contract';
import type { ApiDispatcher } from '../api/dispatcher';
import type { EventHub } from '../app/event-hub';
import { appOriginOf } from './harden';
import { API_EVENT_CHANNEL, apiChannelOf } from './ipc-channels';

interface FrameLike {
  url: string;
  processId: number;
  routingId: number;
  parent: unknown;
}

export interface SenderEventLike {
  sender: unknown;
  senderFrame: FrameLike | null;
}

export interface WindowLike {
  isDestroyed(): boolean;
  webContents: { mainFrame: FrameLike; send(channel: string, ...args: unknown[]): void };
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: SenderEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** The call comes from the top frame of `window`, and that frame shows the app's origin. */
export function isTrustedSender(event: SenderEventLike, window: WindowLike | null, appOrigin: string): boolean {
  if (window === null || window.isDestroyed()) return false;
  if (event.sender !== window.webContents) return false;
  const frame = event.senderFrame;
  if (frame === null || frame === undefined) return false;
  const main = window.webContents.mainFrame;
  if (frame.parent !== null || frame.processId !== main.processId || frame.routingId !== main.routingId) return false;
  const expected = appOriginOf(appOrigin);
  return expected !== null && appOriginOf(frame.url) === expected;
}

const FORBIDDEN: ApiResult = {
  ok: false,
  error: { code: 'FORBIDDEN', message: 'This API answers only the Flowbot Studio window.' },
};

/** Registers `api:<method>` for every contract method; returns a function that removes them. */
export function registerApiIpc(deps: {
  ipcMain: IpcMainLike;
  dispatcher: ApiDispatcher;
  mainWindow: () => WindowLike | null;
  appOrigin: string;
}): () => void {
  for (const method of API_METHOD_NAMES) {
    deps.ipcMain.handle(apiChannelOf(method), (event, input) => {
      if (!isTrustedSender(event, deps.mainWindow(), deps.appOrigin)) return FORBIDDEN;
      return deps.dispatcher.dispatch(method, input);
    });
  }
  return () => {
    for (const method of API_METHOD_NAMES) deps.ipcMain.removeHandler(apiChannelOf(method));
  };
}

/** The service's events to the window, as `{ event, payload }` on API_EVENT_CHANNEL. */
export function forwardEvents(events: EventHub, mainWindow: () => WindowLike | null): () => void {
  return events.on((event) => {
    const window = mainWindow();
    if (window === null || window.isDestroyed()) return;
    window.webContents.send(API_EVENT_CHANNEL, { event: event.event, payload: event.payload });
  });
}
