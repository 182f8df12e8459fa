// Serves the built renderer: files inside one folder only (no traversal, no symlinks out, no
// directory listings), each with the same CSP header as the desktop app and nosniff.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { isAbsolute, relative } from 'node:path';
import { appResponseHeaders, resolveAssetPath } from '../app/renderer-assets';

/** Headers every response of the web host carries, errors included. */
export const BASE_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
});

export function sendText(response: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  const body = `${text}\n`;
  response.writeHead(status, {
    ...BASE_SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
    ...extra,
  });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

/** `rootDir` must be a real path (symlinks resolved) so containment checks compare like with like. */
export async function serveStatic(
  response: ServerResponse,
  rootDir: string,
  encodedPathname: string,
  extraHeaders: Record<string, string>,
): Promise<void> {
  const file = resolveAssetPath(rootDir, encodedPathname);
  const real = file === null ? null : await realpath(file).catch(() => null);
  if (real === null || !isInside(rootDir, real)) return sendText(response, 404, 'Not found', extraHeaders);
  const info = await stat(real).catch(() => null);
  if (info === null || !info.isFile()) return sendText(response, 404, 'Not found', extraHeaders);
  response.writeHead(200, {
    ...BASE_SECURITY_HEADERS,
    ...appResponseHeaders(real),
    'Content-Length': String(info.size),
    ...extraHeaders,
  });
  if (response.req.method === 'HEAD') {
    response.end();
    return;
  }
  const stream = createReadStream(real);
  stream.on('error', () => response.destroy());
  stream.pipe(response);
}

function isInside(root: string, file: string): boolean {
  const inside = relative(root, file);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside);
}
