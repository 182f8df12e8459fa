// How the built renderer is served, by the desktop app's app:// handler (electron/) and the web
// host (web/) alike: the Content-Security-Policy, the response headers and the only files a
// request may reach. Pure functions of their input, unit-tested without Electron.
import { extname, isAbsolute, join, normalize, relative } from 'node:path';

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

/**
 * The file a URL path (still percent-encoded, as in `new URL(...).pathname`) maps to inside
 * `rootDir`, or null when it is malformed or escapes the folder. `/` serves index.html. Shared
 * by the desktop app's app:// handler and the web host.
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

/** Headers of every renderer asset response (app:// and the web host). */
export function appResponseHeaders(file: string): Record<string, string> {
  return {
    'Content-Type': mimeTypeOf(file),
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  };
}
