// Who may talk to the web host: requests that carry the access token (in the URL, once) or
// the cookie it set, addressed to our own loopback origin. Pure functions, unit-testable.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The only address the host binds: it serves flows and settings, never to the network. */
export const LOOPBACK_HOST = '127.0.0.1';

export const newAccessToken = (): string => randomBytes(32).toString('base64url');

/** Cookies are not separated by port: the name carries it, so two hosts do not clash. */
export const cookieNameFor = (port: number): string => `flowbot_studio_${port}`;

export function accessCookie(port: number, token: string): string {
  return `${cookieNameFor(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

/** Constant-time comparison (hashes first, so the lengths are equal too). */
export function tokenMatches(candidate: string | null | undefined, token: string): boolean {
  if (typeof candidate !== 'string' || candidate === '') return false;
  const a = createHash('sha256').update(candidate).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** `127.0.0.1:PORT` or `localhost:PORT` and nothing else: a rebound DNS name is refused. */
export function isOwnHost(hostHeader: string | undefined, port: number): boolean {
  if (hostHeader === undefined) return false;
  const host = hostHeader.toLowerCase();
  return host === `${LOOPBACK_HOST}:${port}` || host === `localhost:${port}`;
}

/** A browser's WebSocket must come from the page we served: Origin = http://<the Host it used>. */
export function isOwnOrigin(originHeader: string | undefined, hostHeader: string | undefined, port: number): boolean {
  if (originHeader === undefined || !isOwnHost(hostHeader, port)) return false;
  return originHeader.toLowerCase() === `http://${(hostHeader ?? '').toLowerCase()}`;
}

export type AccessResult = { ok: true; viaQueryToken: boolean } | { ok: false; reason: string };

/** Checks Host first (DNS rebinding), then the token in `?token=` or the cookie. */
export function checkAccess(request: IncomingMessage, url: URL, port: number, token: string): AccessResult {
  if (!isOwnHost(request.headers.host, port)) {
    return { ok: false, reason: `Forbidden: this server answers only to http://${LOOPBACK_HOST}:${port}/.` };
  }
  const viaQueryToken = tokenMatches(url.searchParams.get('token'), token);
  if (viaQueryToken || tokenMatches(cookieValue(request.headers.cookie, cookieNameFor(port)), token)) return { ok: true, viaQueryToken };
  return { ok: false, reason: 'Forbidden: open the full address with ?token=... that "flowbot studio" (npm run web) printed.' };
}
