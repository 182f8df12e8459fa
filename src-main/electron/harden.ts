// Security policy of the desktop window, as pure data and functions so it can be unit-tested
// without Electron (only types come from 'electron'). main.ts wires these into the app.
// The CSP, headers and asset paths it shares with the web host live in app/renderer-assets.ts.
// Reference: Electron's security checklist (contextIsolation, sandbox, no nodeIntegration,
// CSP, deny navigation / window.open / permissions, custom protocol instead of file://).
import { CONTENT_SECURITY_POLICY, resolveAssetPath } from '../app/renderer-assets';
import type { WebPreferences } from 'electron';

/**
 * The built renderer is served from this privileged custom scheme (`app://flowbot/...`),
 * not from file://: it gives the page a real origin for 'self' and the navigation checks, and
 * the handler can only serve files inside the renderer folder.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'flowbot';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** webPreferences of every window: isolated, sandboxed, no Node in the page. */
export function secureWebPreferences(preload: string): Readonly<WebPreferences> {
  return Object.freeze({
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: true,
  } satisfies WebPreferences);
}

const APP_PROTOCOLS = new Set(['http:', 'https:', `${APP_SCHEME}:`]);

/**
 * `protocol//host[:port]` of a URL the app may be loaded from (http(s) dev server or the app
 * scheme), or null for anything else (file:, data:, javascript:, about:, unparseable, with
 * credentials). The host is compared lower-cased: Node does not normalise non-special schemes.
 */
export function appOriginOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!APP_PROTOCOLS.has(parsed.protocol)) return null;
  if (parsed.host === '' || parsed.username !== '' || parsed.password !== '') return null;
  return `${parsed.protocol}//${parsed.host.toLowerCase()}`;
}

/** A navigation or redirect is allowed only to the app's own origin. */
export function isAllowedNavigation(url: string, appOrigin: string): boolean {
  const target = appOriginOf(url);
  const app = appOriginOf(appOrigin);
  return target !== null && app !== null && target === app;
}

/**
 * The file that an `app://flowbot/...` request maps to inside `rootDir` (the built renderer),
 * or null when the request is for another origin, is malformed, or escapes the folder.
 * `/` serves index.html.
 */
export function resolveAppAsset(rootDir: string, requestUrl: string): string | null {
  if (appOriginOf(requestUrl) !== APP_ORIGIN) return null;
  let pathname: string;
  try {
    pathname = new URL(requestUrl).pathname;
  } catch {
    return null;
  }
  return resolveAssetPath(rootDir, pathname);
}

/**
 * Response headers with our CSP, replacing any policy the server sent (header names are
 * case-insensitive). Used for dev-server responses via session.webRequest.onHeadersReceived.
 */
export function withCspHeader(headers: Readonly<Record<string, string[]>> | undefined): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase();
    if (lower === 'content-security-policy' || lower === 'content-security-policy-report-only') continue;
    result[name] = value;
  }
  result['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return result;
}
