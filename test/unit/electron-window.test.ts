// The desktop window against the Electron security checklist, reading the options and handlers
// main.ts actually installs (src-main/electron/window.ts): the Electron binary cannot run here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN } from '../../src-main/electron/harden';
import { CONTENT_SECURITY_POLICY } from '../../src-main/app/renderer-assets';
import {
  applyContentsPolicy,
  applySessionPolicy,
  desktopSecurity,
  type NavigationEventLike,
  type SessionLike,
  type WebContentsLike,
} from '../../src-main/electron/window';

const PRELOAD = '/app/out/preload/index.cjs';
const DEV_ORIGIN = 'http://localhost:5173';

/** Installs the policy on fakes that record what was registered, as main.ts does. */
function installed(appOrigin = APP_ORIGIN) {
  const security = desktopSecurity({ appOrigin, preloadPath: PRELOAD });
  const session: Record<string, any> = {};
  const fakeSession = {
    setPermissionRequestHandler: (h: unknown) => (session.permissionRequest = h),
    setPermissionCheckHandler: (h: unknown) => (session.permissionCheck = h),
    setDevicePermissionHandler: (h: unknown) => (session.devicePermission = h),
    webRequest: { onHeadersReceived: (h: unknown) => (session.headersReceived = h) },
  } as unknown as SessionLike;
  applySessionPolicy(fakeSession, security.session);
  const contents: Record<string, any> = {};
  const fakeContents: WebContentsLike = {
    setWindowOpenHandler: (h) => (contents.windowOpen = h),
    on: (name: string, listener: unknown) => (contents[name] = listener),
  };
  applyContentsPolicy(fakeContents, security.contents);
  return { security, session, contents };
}

const navigation = (url: string) => {
  const event: NavigationEventLike & { prevented: boolean } = {
    url,
    prevented: false,
    preventDefault() {
      this.prevented = true;
    },
  };
  return event;
};

const PERMISSIONS = ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'display-capture', 'fullscreen', 'hid', 'serial', 'usb', 'unknown'];

describe('BrowserWindow options', () => {
  const { windowOptions } = desktopSecurity({ appOrigin: APP_ORIGIN, preloadPath: PRELOAD });
  const prefs = windowOptions.webPreferences ?? {};

  it('isolates and sandboxes the page, without Node', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on, no insecure content, no <webview>, no experimental features', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
  });

  it('loads only our preload, and the window starts hidden until ready', () => {
    expect(prefs.preload).toBe(PRELOAD);
    expect(windowOptions.show).toBe(false);
    expect(Object.keys(prefs).sort()).toEqual(
      [
        'preload', 'contextIsolation', 'sandbox', 'nodeIntegration', 'nodeIntegrationInWorker', 'nodeIntegrationInSubFrames',
        'webSecurity', 'allowRunningInsecureContent', 'webviewTag', 'experimentalFeatures', 'navigateOnDragDrop', 'safeDialogs', 'spellcheck',
      ].sort(),
    );
  });
});

describe('session handlers', () => {
  it.each(PERMISSIONS)('denies the permission request "%s" and its check', (permission) => {
    const { session } = installed();
    const callback = vi.fn();
    session.permissionRequest({}, permission, callback, { requestingUrl: `${APP_ORIGIN}/index.html` });
    expect(callback).toHaveBeenCalledExactlyOnceWith(false);
    expect(session.permissionCheck({}, permission, APP_ORIGIN, {})).toBe(false);
  });

  it('denies device access (HID, serial, USB)', () => {
    const { session } = installed();
    expect(session.devicePermission({ deviceType: 'usb', origin: APP_ORIGIN, device: {} })).toBe(false);
  });

  it('puts our CSP on the app origin responses, replacing what the server sent', () => {
    const { session } = installed(DEV_ORIGIN);
    const callback = vi.fn();
    session.headersReceived(
      { url: `${DEV_ORIGIN}/index.html`, responseHeaders: { 'content-security-policy': ["script-src 'unsafe-eval'"], 'Content-Type': ['text/html'] } },
      callback,
    );
    expect(callback).toHaveBeenCalledWith({ responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
    const other = vi.fn();
    session.headersReceived({ url: 'devtools://devtools/bundled/x.html', responseHeaders: {} }, other);
    expect(other).toHaveBeenCalledWith({});
  });
});

describe('web contents handlers', () => {
  it.each(['https://evil.example/', `${APP_ORIGIN}/index.html`, 'file:///etc/passwd', 'javascript:alert(1)'])('denies window.open(%s)', (url) => {
    const { contents } = installed();
    expect(contents.windowOpen({ url, frameName: '', features: '', disposition: 'new-window', referrer: {}, postBody: undefined })).toEqual({ action: 'deny' });
  });

  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'])('%s: stays on the app origin, prevents everything else', (name) => {
    const { contents } = installed();
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'http://localhost:5173/', 'app://evil/index.html', 'data:text/html,x', 'about:blank']) {
      const event = navigation(url);
      contents[name](event);
      expect(event.prevented, url).toBe(true);
    }
    const own = navigation(`${APP_ORIGIN}/index.html#flows`);
    contents[name](own);
    expect(own.prevented).toBe(false);
  });

  it('uses the dev server as the app origin in development only for that origin', () => {
    const { contents } = installed(DEV_ORIGIN);
    const dev = navigation(`${DEV_ORIGIN}/`);
    contents['will-navigate'](dev);
    expect(dev.prevented).toBe(false);
    const app = navigation(`${APP_ORIGIN}/index.html`);
    contents['will-navigate'](app);
    expect(app.prevented).toBe(true);
  });

  it('prevents attaching a <webview>', () => {
    const { contents } = installed();
    const event = { preventDefault: vi.fn() };
    contents['will-attach-webview'](event);
    expect(event.preventDefault).toHaveBeenCalled();
  });
});

describe('main.ts wires exactly these', () => {
  const source = readFileSync(join(import.meta.dirname, '../../src-main/electron/main.ts'), 'utf8');

  it('builds its one window from desktopSecurity and installs the handlers', () => {
    expect(source).toContain('const security = desktopSecurity({ appOrigin, preloadPath });');
    expect(source.match(/new BrowserWindow\(/g)).toHaveLength(1);
    expect(source).toContain('new BrowserWindow({ ...security.windowOptions, webPreferences: { ...security.windowOptions.webPreferences } })');
    expect(source).toContain('applySessionPolicy(session.defaultSession, security.session)');
    expect(source).toContain("app.on('web-contents-created', (_event, contents) => applyContentsPolicy(contents, security.contents))");
    expect(source).toContain('app.enableSandbox()');
  });

  it('has no switch that weakens them', () => {
    expect(source).not.toMatch(/nodeIntegration\s*:\s*true|contextIsolation\s*:\s*false|sandbox\s*:\s*false|webSecurity\s*:\s*false|webviewTag\s*:\s*true/);
    expect(source).not.toMatch(/shell\.openExternal|setPermissionRequestHandler|file:\/\//);
  });
});
