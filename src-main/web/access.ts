// Who may talk to the web host. The page and its assets hold no data: any request addressed to
// our own loopback origin gets them. The API (the WebSocket) needs the access token, offered as
// a WebSocket subprotocol (API_WS_TOKEN_PROTOCOL_PREFIX + token) by a page of our own Origin.
// No cookie: cookies are not separated by port, so a cookie would reach every server on this
// machine the browser talks to, and any of them could use it. Pure functions, unit-testable.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { API_WS_PROTOCOL, API_WS_TOKEN_PROTOCOL_PREFIX } from '../shared/api-contract';

/** The only address the host binds: it serves flows and settings, never to the network. */
export const LOOPBACK_HOST = '127.0.0.1';

export const newAccessToken = (): string => randomBytes(32).toString('base64url');

/** Constant-time comparison (hashes first, so the lengths are equal too). */
export function tokenMatches(candidate: string | null | undefined, token: string): boolean {
  if (typeof candidate !== 'string' || candidate === '') return false;
  const a = createHash('sha256').update(candidate).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
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

/** The subprotocols a client offered (Sec-WebSocket-Protocol, comma-separated). */
export function offeredProtocols(header: string | string[] | undefined): string[] {
  const joined = Array.isArray(header) ? header.join(',') : (header ?? '');
  return joined
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

export type AccessResult = { ok: true } | { ok: false; reason: string };

const wrongHost = (port: number): AccessResult => ({ ok: false, reason: `Forbidden: this server answers only to http://${LOOPBACK_HOST}:${port}/.` });

/** The page and its assets: Host only (DNS rebinding); they carry no data. */
export function checkPageAccess(request: IncomingMessage, port: number): AccessResult {
  return isOwnHost(request.headers.host, port) ? { ok: true } : wrongHost(port);
}

/** The API: Host, then our own Origin, then the token among the offered subprotocols (with the API's own). */
export function checkApiAccess(request: IncomingMessage, port: number, token: string): AccessResult {
  if (!isOwnHost(request.headers.host, port)) return wrongHost(port);
  if (!isOwnOrigin(request.headers.origin, request.headers.host, port)) {
    return { ok: false, reason: 'Forbidden: the WebSocket must be opened by the page this server served (Origin).' };
  }
  const offered = offeredProtocols(request.headers['sec-websocket-protocol']);
  const tokens = offered.filter((p) => p.startsWith(API_WS_TOKEN_PROTOCOL_PREFIX)).map((p) => p.slice(API_WS_TOKEN_PROTOCOL_PREFIX.length));
  if (offered.includes(API_WS_PROTOCOL) && tokens.length === 1 && tokenMatches(tokens[0], token)) return { ok: true };
  return { ok: false, reason: 'Forbidden: open the full address with #token=... that "flowbot studio" (npm run web) printed.' };
}
