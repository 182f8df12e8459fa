// Security policy of the desktop window, as pure data and functions so it can be unit-tested
// without Electron (only types come from 'electron'). main.ts wires these into the app.
// Reference: Electron's security checklist (contextIsolation, sandbox, no nodeIntegration,
// CSP, deny navigation / window.open / permissions, custom protocol instead of file://).
import { extname, isAbsolute, join, normalize, relative } from 'node:path';
import type { WebPreferences } from 'electron';

/**
 * The built renderer is served from this privileged custom scheme (`app://flowbot/...`),
 * not from file://: it gives the page a real origin for 'self' and the navigation checks, and
 * the handler can only serve files inside the renderer folder.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'flowbot';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** The Content-Security-Policy directives, in order. No 'unsafe-eval', no inline scripts. */
export const CSP_DIRECTIVES: Readonly<Record<string, string>> = Object.freeze({
  'default-src': "'self'",
  'script-src': "'self'",
  'style-src': "'self' 'unsafe-inline'",
  'img-src': "'self' data:",
  'connect-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'none'",
  'frame-ancestors': "'none'",
  'form-action': "'none'",
});

const cspOf = (skip: readonly string[]): string =>
  Object.entries(CSP_DIRECTIVES)
    .filter(([name]) => !skip.includes(name))
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');

/** The policy sent as a response header (dev server and app:// responses). */
export const CONTENT_SECURITY_POLICY = cspOf([]);

/**
 * The same policy for the <meta http-equiv> tag in src-renderer/index.html. Browsers ignore
 * (and warn about) frame-ancestors in a meta tag, so it is left out there; the header has it.
 */
export const META_CONTENT_SECURITY_POLICY = cspOf(['frame-ancestors']);

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
 * The file a URL path (still percent-encoded, as in `new URL(...).pathname`) maps to inside
 * `rootDir`, or null when it is malformed or escapes the folder. `/` serves index.html. Shared
 * by the app:// handler and the web host.
 */
export function resolveAssetPath(rootDir: string, encodedPathname: string): string | null {
  let pathname: string;
  try {
    pathname = decodeURIComponent(encodedPathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const relativePath = normalize(pathname === '/' || pathname === '' ? '/index.html' : pathname).replace(/^[/\\]+/, '');
  const file = join(rootDir, relativePath);
  const inside = relative(rootDir, file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return null;
  return file;
}

const MIME_TYPES: Readonly<Record<string, string>> = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
});

/** Content-Type for a renderer asset (served with nosniff, so module scripts need the right one). */
export function mimeTypeOf(file: string): string {
  return MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers of every app:// response. */
export function appResponseHeaders(file: string): Record<string, string> {
  return {
    'Content-Type': mimeTypeOf(file),
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  };
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
