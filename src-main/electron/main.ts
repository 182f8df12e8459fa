// Electron main process: one hardened window showing the renderer, and the API of the contract
// over IPC. The security policy lives in ./harden and ./window (pure, unit-tested), the API in
// ./ipc and the composition root (src-main/app/studio); this file only wires them into Electron.
// Built by electron-vite to out/main/index.js (ESM), with the preload at out/preload/index.cjs
// and the page at out/renderer/index.html.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, Notification, protocol, session, type MenuItemConstructorOptions } from 'electron';
import { defaultDataDir } from '../app/data-dir';
import { createStudio, type Studio } from '../app/studio';
import { appResponseHeaders } from '../app/renderer-assets';
import { APP_ORIGIN, APP_SCHEME, appOriginOf, resolveAppAsset } from './harden';
import { forwardEvents, registerApiIpc } from './ipc';
import { applyContentsPolicy, applySessionPolicy, desktopSecurity } from './window';
import { createDesktopSettingsStore } from '../adapters/settings/desktop-settings';
import { showWindowAtStart } from '../app/background-policy';
import { installBackground, type Background } from './tray';

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
const security = desktopSecurity({ appOrigin, preloadPath });

let mainWindow: BrowserWindow | null = null;
let studio: Studio | undefined;
let background: Background | undefined;

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
  app.on('second-instance', () => showWindow());

  app.on('web-contents-created', (_event, contents) => applyContentsPolicy(contents, security.contents));

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app
    .whenReady()
    .then(() => {
      applySessionPolicy(session.defaultSession, security.session);
      serveRenderer();
      startApi();
      Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(process.platform)));
      // Started at login: in the background (the tray icon opens the window).
      if (showWindowAtStart(createDesktopSettingsStore({ dataDir: app.getPath('userData') }).get(), process.argv)) createWindow();
      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) createWindow();
      });
    })
    .catch((error: unknown) => {
      console.error('Flowbot Studio failed to start:', error);
      app.exit(1);
    });
}

// --- API -------------------------------------------------------------------------------------

/** The studio service from the composition root, reachable only from our window's main frame. */
function startApi(): void {
  studio = createStudio({
    dataDir: app.getPath('userData'),
    // The repo's flows/ in development; packaged, inside the app archive (electron-builder.yml).
    templatesDir: join(app.getAppPath(), 'flows'),
    // The example shop's server, likewise (run with Electron's own Node: app/settings/example-shop.ts).
    examplesDir: join(app.getAppPath(), 'examples'),
    // A remote MCP server's sign-in page opens in the system browser (the window opens no tabs).
    signInPages: 'system',
  });
  registerApiIpc({ ipcMain, dispatcher: studio.dispatcher, mainWindow: () => mainWindow, appOrigin });
  forwardEvents(studio.service.events, () => mainWindow);
  // A customer waits for a human: a desktop notification (the window's own are denied, ./window).
  studio.service.events.on((e) => {
    if (e.event !== 'whatsapp.handoff' || !Notification.isSupported()) return;
    const notice = new Notification({ title: app.getName(), body: e.payload.message });
    notice.on('click', showWindow);
    notice.show();
  });
  // Closing the window may leave the bots running; Quit closes the studio before the app exits.
  background = installBackground({ studio, settings: createDesktopSettingsStore({ dataDir: app.getPath('userData') }).get(), showWindow });
}

/** Brings the window back (the tray's Open, a second start, the dock), making one if needed. */
function showWindow(): void {
  const window = mainWindow ?? createWindow();
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
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
  // A copy each time: Electron may annotate the options it is given.
  const window = new BrowserWindow({ ...security.windowOptions, webPreferences: { ...security.windowOptions.webPreferences } });
  mainWindow = window;
  background?.manage(window);
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
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
