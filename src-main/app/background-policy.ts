// The desktop app in the background (issue 16, item 7), as pure decisions: electron/tray.ts
// only carries them out (Electron cannot run in the tests, so the logic lives here).
// - Closing the window keeps the bots answering when the owner wants that (runInBackground,
//   the default) and a bot is running (a WhatsApp connection alive or being made): the window
//   hides, the tray / menu-bar icon stays with Open and Quit. Otherwise closing quits.
// - Quit really quits: the first quit request is held until the studio is closed (WhatsApp
//   sockets, MCP servers, the store), then the app quits for good.
// - Start at login is the owner's choice (openAtLogin); started that way the app opens in the
//   background, without the window.
import type { WaConnectionState } from '../shared/api/whatsapp';
import type { DesktopSettings } from '../shared/api/desktop';

/** The argument the login item starts the app with: open in the background. */
export const BACKGROUND_ARG = '--background';

/** States in which a channel answers or is about to. */
const RUNNING_STATES: ReadonlySet<WaConnectionState> = new Set(['connecting', 'pairing', 'open', 'reconnecting']);

/** Whether any bot is running, from the last status of each bot's channel. */
export const botsRunning = (states: ReadonlyMap<string, WaConnectionState>): boolean => [...states.values()].some((s) => RUNNING_STATES.has(s));

/**
 * What closing the window does: `close` (a quit is under way: let it), `hide` (the bots keep
 * answering in the background), or `quit`.
 */
export function onWindowClose(input: { settings: DesktopSettings; botsRunning: boolean; quitting: boolean }): 'close' | 'hide' | 'quit' {
  if (input.quitting) return 'close';
  return input.settings.runInBackground && input.botsRunning ? 'hide' : 'quit';
}

/** The tray / menu-bar icon is there whenever the app may run without its window. */
export const showTray = (settings: DesktopSettings): boolean => settings.runInBackground;

/** Whether the app opens its window at start (not when the login item started it in the background). */
export const showWindowAtStart = (settings: DesktopSettings, argv: readonly string[]): boolean => !(settings.runInBackground && argv.includes(BACKGROUND_ARG));

/** What app.setLoginItemSettings gets. */
export function loginItemSettings(settings: DesktopSettings): { openAtLogin: boolean; args: string[] } {
  return { openAtLogin: settings.openAtLogin, args: settings.openAtLogin ? [BACKGROUND_ARG] : [] };
}

export interface QuitSequence {
  /** True once a quit was asked for: the window then closes instead of hiding. */
  readonly quitting: boolean;
  /**
   * On the app's before-quit: `wait` (prevent this quit: the studio is being closed, and the app
   * quits again by itself when it is) or `proceed` (closed: let the app quit).
   */
  beforeQuit(): 'wait' | 'proceed';
}

/**
 * Quit in two steps: the first request closes the studio (servers, sockets, store) and then
 * calls `quit` again; that second request proceeds. A close that fails or hangs past
 * `timeoutMs` does not keep the app alive.
 */
export function createQuitSequence(options: { close: () => Promise<void>; quit: () => void; log?: (message: string, error?: unknown) => void; timeoutMs?: number }): QuitSequence {
  let state: 'running' | 'closing' | 'closed' = 'running';
  return {
    get quitting() {
      return state !== 'running';
    },
    beforeQuit() {
      if (state === 'closed') return 'proceed';
      if (state === 'running') {
        state = 'closing';
        let timer: NodeJS.Timeout | undefined;
        const bound = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            options.log?.('Closing the bots took too long; quitting anyway.');
            resolve();
          }, options.timeoutMs ?? 15_000);
        });
        void Promise.race([options.close().catch((error: unknown) => options.log?.('Closing the bots failed:', error)), bound]).then(() => {
          clearTimeout(timer);
          state = 'closed';
          options.quit();
        });
      }
      return 'wait';
    },
  };
}

/** The tray menu's words, in the system's language (the main process has no UI catalogue). */
export const TRAY_TEXTS = {
  en: { tooltip: 'Flowbot Studio: your bots are answering', open: 'Open Flowbot Studio', quit: 'Quit (the bots stop answering)' },
  'pt-BR': { tooltip: 'Flowbot Studio: seus bots estão respondendo', open: 'Abrir o Flowbot Studio', quit: 'Sair (os bots param de responder)' },
  es: { tooltip: 'Flowbot Studio: tus bots están respondiendo', open: 'Abrir Flowbot Studio', quit: 'Salir (los bots dejan de responder)' },
} as const;
export type TrayTexts = (typeof TRAY_TEXTS)[keyof typeof TRAY_TEXTS];

/** pt-* → pt-BR, es-* → es, else English (the studio's own rule). */
export function trayTexts(locale: string): TrayTexts {
  const base = locale.toLowerCase().split(/[-_]/)[0];
  return base === 'pt' ? TRAY_TEXTS['pt-BR'] : base === 'es' ? TRAY_TEXTS.es : TRAY_TEXTS.en;
}
