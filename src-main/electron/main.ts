// Electron main process: one hardened window showing the renderer. The security policy lives in
// ./harden (pure, unit-tested); this file only wires it into Electron. Built by electron-vite to
// out/main/index.js (ESM), with the preload at out/preload/index.cjs and the page at
// out/renderer/index.html.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  Menu,
  protocol,
  session,
  type MenuItemConstructorOptions,
  type Session,
  type WebContents,
} from 'electron';
import { defaultDataDir } from '../app/data-dir';
import {
  APP_ORIGIN,
  APP_SCHEME,
  appOriginOf,
  appResponseHeaders,
  isAllowedNavigation,
  resolveAppAsset,
  secureWebPreferences,
  withCspHeader,
} from './harden';

const rendererDir = fileURLToPath(new URL('../renderer', import.meta.url));
const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));

/**
 * `electron-vite dev` sets ELECTRON_RENDERER_URL to its dev server. It is honoured only in an
 * unpackaged run and only as an http(s) URL, so the variable cannot point a shipped app elsewhere.
 */
function devServerUrl(): string | undefined {
  const url = process.env.ELECTRON_RENDERER_URL;
  if (app.isPackaged || url === undefined) return undefined;
  const origin = appOriginOf(url);
  return origin !== null && /^https?:/.test(origin) ? url : undefined;
}

const devUrl = devServerUrl();
const startUrl = devUrl ?? `${APP_ORIGIN}/index.html`;
const appOrigin = (devUrl !== undefined ? appOriginOf(devUrl) : null) ?? APP_ORIGIN;

// --- Before `ready` -------------------------------------------------------------------------

// One data folder for the app, the web host and the `flowbot` CLI (see src-main/app/data-dir.ts).
app.setPath('userData', defaultDataDir());
// Every renderer sandboxed, whatever a window's options say.
app.enableSandbox();
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

// One instance at a time: both would write the same conversation store and audit log.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const window = BrowserWindow.getAllWindows()[0];
    if (window === undefined) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app.on('web-contents-created', (_event, contents) => hardenContents(contents));

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app
    .whenReady()
    .then(() => {
      hardenSession(session.defaultSession);
      serveRenderer();
      Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(process.platform)));
      createWindow();
      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) createWindow();
      });
    })
    .catch((error: unknown) => {
      console.error('Flowbot Studio failed to start:', error);
      app.exit(1);
    });
}

// --- Hardening --------------------------------------------------------------------------------

function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  // The dev server's responses get the same CSP as the built files (which also carry a <meta>
  // and get the header from serveRenderer). Other origins (DevTools) are left alone: the page
  // cannot navigate or frame them anyway.
  ses.webRequest.onHeadersReceived((details, callback) => {
    if (!isAllowedNavigation(details.url, appOrigin)) return callback({});
    callback({ responseHeaders: withCspHeader(details.responseHeaders) });
  });
}

function hardenContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => {
    if (!isAllowedNavigation(event.url, appOrigin)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAllowedNavigation(event.url, appOrigin)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAllowedNavigation(event.url, appOrigin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** app://flowbot/... -> files of the built renderer, never outside that folder. */
function serveRenderer(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppAsset(rendererDir, request.url);
    if (file === null) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, { status: 200, headers: appResponseHeaders(file) });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}

// --- Window and menu --------------------------------------------------------------------------

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    title: 'Flowbot Studio',
    show: false,
    // A copy: Electron may annotate the options it is given.
    webPreferences: { ...secureWebPreferences(preloadPath) },
  });
  window.once('ready-to-show', () => window.show());
  window.loadURL(startUrl).catch((error: unknown) => {
    console.error(`Could not load ${startUrl}:`, error);
  });
  return window;
}

/** The standard menus, built from roles so each platform gets its usual items and shortcuts. */
function menuTemplate(platform: NodeJS.Platform): MenuItemConstructorOptions[] {
  return [
    ...(platform === 'darwin' ? [{ role: 'appMenu' } as const] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
}
