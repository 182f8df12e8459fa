// Who may use the web host when it is reached from other machines (RemoteAccessOptions). Every
// request first passes the transport check (TLS, or the trusted proxy's word that the browser
// used https) and the Host check (one of the public names). Then only the sign-in page is
// served without a session; everything else, the renderer's files included, needs the session
// cookie, and the API WebSocket also needs the Origin of that public name.
//
// The session is a cookie here, unlike on loopback (access.ts): `__Host-` + Secure + HttpOnly +
// SameSite=Strict binds it to this exact https origin, sent by no other site's page and to no
// plain-HTTP server. On 127.0.0.1 cookies would be shared with every other port of the machine
// (cookies are not separated by port), so the loopback host keeps its fragment token.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { statSync } from 'node:fs';
import { sendText } from '../static-files';
import { API_WS_SIGNED_OUT_CLOSE_CODE } from '../../shared/api-contract';
import { accessLanguage } from './texts';
import { createLoginLimiter, DEFAULT_LOGIN_LIMITS } from './login-limiter';
import { createSessionStore, DEFAULT_SESSION_POLICY, type SessionPolicy } from './sessions';
import { generatePassword, GENERATED_PASSWORD_COST, MAX_PASSWORD_LENGTH, passwordFileOf, passwordMatches, readPasswordRecord, setWebPassword, type PasswordRecord } from './password-file';
import { checkRemoteOptions, isPublicHost, normalizeAddress, type AccessEvent, type CheckedRemoteOptions, type RemoteAccessOptions } from './remote-options';
import { sendPage, signInPage, signOutPage, SIGN_IN_PATH, SIGN_OUT_PATH, type PageNote } from './sign-in-page';

export const SESSION_COOKIE = '__Host-flowbot-session';
/** Sign-ins checked at once at most; more wait, and beyond this many waiting they are refused. */
const MAX_WAITING_SIGN_INS = 8;
const MAX_FORM_BYTES = 4096;
const SWEEP_INTERVAL_MS = 60_000;
const HSTS = 'max-age=31536000';

/** May this WebSocket open? `sessionId`: the sign-in it belongs to (remote only). */
export type UpgradeDecision = { ok: true; sessionId?: string } | { ok: false; status: 400 | 401 | 403; reason: string };

export interface RemoteAccess {
  readonly checked: CheckedRemoteOptions;
  /** The password made on first start (no password was set): to be shown to the owner once. */
  readonly generatedPassword: string | undefined;
  /** Headers for every response that passes (HSTS). */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * Answers the request itself (refusals, sign-in and sign-out) or calls `next` for a signed-in one.
   * `ownCredentials` (the HTTP chat API, which carries its API key or visitor token) runs after the
   * transport and Host checks and before the session check; true: it answered.
   */
  handle(request: IncomingMessage, response: ServerResponse, next: () => Promise<void>, ownCredentials?: () => Promise<boolean>): Promise<void>;
  /** The client's address (the trusted proxy's X-Forwarded-For when behind one). */
  clientAddress(request: IncomingMessage): string;
  /** The API WebSocket's check: transport, Host, Origin, session. */
  checkUpgrade(request: IncomingMessage): UpgradeDecision;
  /** Keeps an API socket with its session: closed when the session ends. */
  attach(sessionId: string, socket: WebSocket): void;
  /** Whether a socket's session still holds; `use` counts as activity (a call, not a pushed event). */
  stillSignedIn(sessionId: string, use: boolean): boolean;
  close(): void;
}

export async function createRemoteAccess(
  dataDir: string,
  options: RemoteAccessOptions,
  log: (message: string, error?: unknown) => void,
): Promise<RemoteAccess> {
  const checked = checkRemoteOptions(options);
  const now = options.now ?? Date.now;
  const policy: SessionPolicy = { ...DEFAULT_SESSION_POLICY, ...options.session };
  const sessions = createSessionStore(now, policy);
  const limiter = createLoginLimiter(now, { ...DEFAULT_LOGIN_LIMITS, ...options.loginLimits });
  const report = options.onAccessEvent ?? ((event: AccessEvent) => log(describeAccessEvent(event)));

  let generatedPassword: string | undefined;
  if (readPasswordRecord(dataDir) === null) {
    generatedPassword = generatePassword();
    await setWebPassword(dataDir, generatedPassword, { cost: GENERATED_PASSWORD_COST });
  }
  const password = passwordSource(dataDir);
  const sockets = new Map<string, Set<WebSocket>>();
  const endSockets = (sessionId: string): void => {
    for (const socket of sockets.get(sessionId) ?? []) socket.close(API_WS_SIGNED_OUT_CLOSE_CODE, 'signed out');
    sockets.delete(sessionId);
  };
  const sweeper = setInterval(() => {
    for (const id of sessions.sweep(password.credential())) endSockets(id);
  }, SWEEP_INTERVAL_MS);
  sweeper.unref();

  let checking: Promise<unknown> = Promise.resolve();
  let waiting = 0;

  /** The client's address: the socket's, or behind the proxy the last X-Forwarded-For entry. */
  const clientAddress = (request: IncomingMessage): string => {
    const peer = normalizeAddress(request.socket.remoteAddress);
    if (!checked.behindProxy || !checked.trustedProxies.has(peer)) return peer;
    const forwarded = lastListed(request.headers['x-forwarded-for']);
    return forwarded === undefined ? peer : normalizeAddress(forwarded);
  };

  /** TLS (our own, or the trusted proxy's) and a public Host name; null when both hold. */
  const transportProblem = (request: IncomingMessage): string | null => {
    if (checked.behindProxy) {
      if (!checked.trustedProxies.has(normalizeAddress(request.socket.remoteAddress))) {
        return 'Forbidden: this server takes requests only through its reverse proxy.';
      }
      if (lastListed(request.headers['x-forwarded-proto'])?.toLowerCase() !== 'https') {
        return 'Forbidden: the reverse proxy must serve https and say so (X-Forwarded-Proto: https).';
      }
    }
    if (!isPublicHost(request.headers.host, checked.publicHosts)) return `Forbidden: this server answers only to ${publicNames(checked)}.`;
    return null;
  };

  const sameOrigin = (request: IncomingMessage): boolean =>
    request.headers.origin !== undefined && request.headers.origin.toLowerCase() === `https://${(request.headers.host ?? '').toLowerCase()}`;

  const sessionOf = (request: IncomingMessage) => sessions.use(cookieValue(request.headers.cookie, SESSION_COOKIE), password.credential());

  const headers = { 'Strict-Transport-Security': HSTS };
  const page = (request: IncomingMessage, response: ServerResponse, status: number, note?: { key: PageNote; params?: Record<string, number> }, extra: Record<string, string | string[]> = {}) =>
    sendPage(response, status, signInPage(accessLanguage(request.headers['accept-language']), note), { ...headers, ...extra });
  const redirect = (response: ServerResponse, location: string, extra: Record<string, string | string[]> = {}) => {
    response.writeHead(303, { ...headers, Location: location, 'Cache-Control': 'no-store', 'Content-Length': '0', ...extra });
    response.end();
  };

  async function signIn(request: IncomingMessage, response: ServerResponse, address: string): Promise<void> {
    if (!sameOrigin(request)) {
      report({ type: 'sign-in', outcome: 'refused', address, reason: 'foreign or missing Origin' });
      return sendText(response, 403, 'Forbidden: sign in from the sign-in page of this server (Origin).', headers);
    }
    const form = await readForm(request);
    if (form === null || !form.has('password')) return page(request, response, 400, { key: 'badRequest' });
    const candidate = form.get('password') ?? '';
    if (waiting >= MAX_WAITING_SIGN_INS) {
      report({ type: 'sign-in', outcome: 'rate-limited', address, limit: 'busy' });
      return page(request, response, 429, { key: 'tooManyAttempts', params: { minutes: 1 } }, { 'Retry-After': '60' });
    }
    waiting++;
    // One check at a time (scrypt is memory-hard on purpose); the limits are read once it is our turn.
    const turn = checking.then(async () => {
      const limit = limiter.check(address);
      if (!limit.allowed) return { kind: 'limited' as const, limit };
      const record = password.record();
      const ok = record !== null && (await passwordMatches(record, candidate));
      if (!ok) limiter.recordFailure(address);
      return ok && record !== null ? { kind: 'ok' as const, credential: record.salt } : { kind: 'wrong' as const };
    });
    checking = turn.catch(() => undefined);
    const outcome = await turn.finally(() => waiting--);
    if (outcome.kind === 'limited') {
      report({ type: 'sign-in', outcome: 'rate-limited', address, limit: outcome.limit.scope });
      const minutes = Math.max(1, Math.ceil(outcome.limit.retryAfterMs / 60_000));
      return page(request, response, 429, { key: 'tooManyAttempts', params: { minutes } }, { 'Retry-After': String(Math.ceil(outcome.limit.retryAfterMs / 1000)) });
    }
    if (outcome.kind === 'wrong') {
      report({ type: 'sign-in', outcome: 'failure', address });
      return page(request, response, 401, { key: 'wrongPassword' });
    }
    const previous = cookieValue(request.headers.cookie, SESSION_COOKIE);
    if (previous !== undefined) {
      sessions.end(previous); // a fresh id at every sign-in (no session fixation)
      endSockets(previous);
    }
    const session = sessions.open(outcome.credential);
    report({ type: 'sign-in', outcome: 'success', address });
    redirect(response, '/', { 'Set-Cookie': sessionCookie(session.id, Math.floor(policy.absoluteMs / 1000)) });
  }

  return {
    checked,
    generatedPassword,
    headers,
    clientAddress,
    async handle(request, response, next, ownCredentials) {
      const address = clientAddress(request);
      const problem = transportProblem(request);
      if (problem !== null) {
        report({ type: 'refused', address, reason: problem });
        return sendText(response, 403, problem);
      }
      if (ownCredentials !== undefined && (await ownCredentials())) return;
      const path = pathOf(request.url);
      const method = request.method ?? 'GET';
      const reading = method === 'GET' || method === 'HEAD';
      if (path === SIGN_IN_PATH) {
        if (method === 'POST') return signIn(request, response, address);
        if (!reading) return sendText(response, 405, 'Method not allowed', { ...headers, Allow: 'GET, HEAD, POST' });
        if (sessionOf(request) !== null) return redirect(response, '/');
        return page(request, response, 200, noteFromQuery(request.url));
      }
      if (path === SIGN_OUT_PATH) {
        if (method === 'POST') {
          if (!sameOrigin(request)) return sendText(response, 403, 'Forbidden: sign out from a page of this server (Origin).', headers);
          const id = cookieValue(request.headers.cookie, SESSION_COOKIE);
          if (id !== undefined) {
            sessions.end(id);
            endSockets(id);
          }
          report({ type: 'sign-out', address });
          return redirect(response, `${SIGN_IN_PATH}?out`, { 'Set-Cookie': sessionCookie('', 0) });
        }
        if (!reading) return sendText(response, 405, 'Method not allowed', { ...headers, Allow: 'GET, HEAD, POST' });
        if (sessionOf(request) === null) return redirect(response, SIGN_IN_PATH);
        return sendPage(response, 200, signOutPage(accessLanguage(request.headers['accept-language'])), headers);
      }
      if (sessionOf(request) === null) {
        const hadCookie = cookieValue(request.headers.cookie, SESSION_COOKIE) !== undefined;
        if (reading) return redirect(response, hadCookie ? `${SIGN_IN_PATH}?ended` : SIGN_IN_PATH);
        return sendText(response, 401, 'Sign in first.', headers);
      }
      await next();
    },
    checkUpgrade(request) {
      const problem = transportProblem(request);
      if (problem !== null) {
        report({ type: 'refused', address: clientAddress(request), reason: problem });
        return { ok: false, status: 403, reason: problem };
      }
      if (!sameOrigin(request)) return { ok: false, status: 403, reason: 'Forbidden: the WebSocket must be opened by the page this server served (Origin).' };
      const session = sessionOf(request);
      if (session === null) return { ok: false, status: 401, reason: 'Sign in first.' };
      return { ok: true, sessionId: session.id };
    },
    attach(sessionId, socket) {
      let set = sockets.get(sessionId);
      if (set === undefined) sockets.set(sessionId, (set = new Set()));
      set.add(socket);
      socket.once('close', () => set.delete(socket));
    },
    stillSignedIn(sessionId, use) {
      const credential = password.credential();
      return use ? sessions.use(sessionId, credential) !== null : sessions.alive(sessionId, credential);
    },
    close() {
      clearInterval(sweeper);
    },
  };
}

/** The password record, re-read when its file changes (a new password set from the command line). */
function passwordSource(dataDir: string): { record(): PasswordRecord | null; credential(): string | null } {
  const file = passwordFileOf(dataDir);
  let seen = '';
  let current: PasswordRecord | null = null;
  const record = (): PasswordRecord | null => {
    let stamp: string;
    try {
      const info = statSync(file);
      stamp = `${info.ino}:${info.size}:${info.mtimeMs}`;
    } catch {
      stamp = 'absent';
    }
    if (stamp !== seen) {
      seen = stamp;
      try {
        current = readPasswordRecord(dataDir);
      } catch {
        current = null; // a damaged file lets nobody in (the CLI says what is wrong)
      }
    }
    return current;
  };
  return { record, credential: () => record()?.salt ?? null };
}

function sessionCookie(value: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${value}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}`;
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) {
      const value = part.slice(at + 1).trim();
      return value === '' ? undefined : value;
    }
  }
  return undefined;
}

function lastListed(header: string | string[] | undefined): string | undefined {
  const joined = Array.isArray(header) ? header.join(',') : header;
  const last = joined?.split(',').at(-1)?.trim();
  return last === '' ? undefined : last;
}

function pathOf(raw: string | undefined): string {
  const path = (raw ?? '/').split('?', 1)[0] ?? '/';
  return path;
}

function noteFromQuery(raw: string | undefined): { key: PageNote } | undefined {
  const query = (raw ?? '').split('?')[1];
  if (query === 'out') return { key: 'signedOut' };
  if (query === 'ended') return { key: 'sessionEnded' };
  return undefined;
}

const publicNames = (checked: CheckedRemoteOptions): string =>
  checked.publicHosts.map((h) => `https://${h.name}${h.port === undefined ? '' : `:${h.port}`}/`).join(', ');

/** The form of a sign-in POST (urlencoded, small), or null when it is not one. */
async function readForm(request: IncomingMessage): Promise<URLSearchParams | null> {
  const type = (request.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    request.resume();
    return null;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  return (form.get('password') ?? '').length > MAX_PASSWORD_LENGTH ? null : form;
}

/** One log line per access event: never a password, never a session id. */
export function describeAccessEvent(event: AccessEvent): string {
  switch (event.type) {
    case 'sign-in':
      if (event.outcome === 'refused') return `Web sign-in refused from ${event.address}: ${event.reason}`;
      if (event.outcome === 'rate-limited') return `Web sign-in refused from ${event.address}: too many failed attempts (${event.limit ?? 'address'} limit)`;
      return `Web sign-in ${event.outcome === 'success' ? 'succeeded' : 'failed (wrong password)'} from ${event.address}`;
    case 'sign-out':
      return `Web sign-out from ${event.address}`;
    case 'refused':
      return `Web request refused from ${event.address}: ${event.reason}`;
  }
}
