// The web host off loopback (`flowbot serve` manages the bots from a browser): TLS with a
// certificate made here, or behind a reverse proxy; only the public host name; a password
// sign-in (session cookie, expiry on an injected clock, sign-out), rate-limited and logged;
// Origin and Host checks on the pages, the sign-in forms and the API WebSocket.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebHost, type WebHost } from '../../src-main/web/web-host';
import { GENERATED_PASSWORD_COST, PASSWORD_COST, setWebPassword, passwordFileOf } from '../../src-main/web/remote/password-file';
import type { AccessEvent } from '../../src-main/web/remote/remote-options';
import { ACCESS_TEXTS } from '../../src-main/web/remote/texts';

const TEMPLATES = join(import.meta.dirname, '../../flows');
const PUBLIC = 'studio.test';
const PASSWORD = 'correct horse battery staple';
const IDLE_MS = 10 * 60_000;
const ABSOLUTE_MS = 60 * 60_000;
const WINDOW_MS = 15 * 60_000;

let root: string;
let rendererDir: string;
let certFile: string;
let keyFile: string;
let clock = Date.parse('2026-03-01T10:00:00Z');
const now = () => clock;

/** The TLS host (on 127.0.0.1: the public name is what matters) and the one behind a proxy. */
let tlsHost: WebHost;
const tlsEvents: AccessEvent[] = [];
let proxyHost: WebHost;
const proxyEvents: AccessEvent[] = [];
let proxyDataDir: string;
const logged: string[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'flowbot-web-remote-'));
  rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Flowbot Studio</title><script type="module" src="/assets/app.js"></script>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("app");');
  const pems = await generate([{ name: 'commonName', value: PUBLIC }], {
    keyType: 'ec',
    curve: 'P-256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: PUBLIC }] }],
  });
  certFile = join(root, 'cert.pem');
  keyFile = join(root, 'key.pem');
  writeFileSync(certFile, pems.cert);
  writeFileSync(keyFile, pems.private);

  const tlsDataDir = join(root, 'tls-data');
  // The cheap cost keeps the test quick (PASSWORD_COST is checked by the unit test of the file).
  await setWebPassword(tlsDataDir, PASSWORD, { cost: GENERATED_PASSWORD_COST });
  tlsHost = await startWebHost({
    dataDir: tlsDataDir,
    rendererDir,
    templatesDir: TEMPLATES,
    host: '127.0.0.1',
    remote: {
      publicHosts: [PUBLIC],
      tls: { certFile, keyFile },
      now,
      session: { idleMs: IDLE_MS, absoluteMs: ABSOLUTE_MS },
      loginLimits: { windowMs: WINDOW_MS, perAddress: 3, overall: 50 },
      onAccessEvent: (event) => tlsEvents.push(event),
    },
    log: (message) => logged.push(message),
  });

  proxyDataDir = join(root, 'proxy-data'); // no password yet: the first start makes one
  proxyHost = await startWebHost({
    dataDir: proxyDataDir,
    rendererDir,
    templatesDir: TEMPLATES,
    remote: { publicHosts: [PUBLIC], behindProxy: true, now, loginLimits: { windowMs: WINDOW_MS, perAddress: 10, overall: 4 }, onAccessEvent: (event) => proxyEvents.push(event) },
    log: (message) => logged.push(message),
  });
});

afterAll(async () => {
  await tlsHost?.close();
  await proxyHost?.close();
  rmSync(root, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Ask {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A request to the TLS host as a browser at https://studio.test:PORT would send it. */
function tls(path: string, ask: Ask = {}): Promise<Reply> {
  return send(httpsRequest, tlsHost.port, path, { Host: `${PUBLIC}:${tlsHost.port}`, ...ask.headers }, ask, { rejectUnauthorized: false, servername: PUBLIC });
}

/** A request to the proxied host as the proxy forwards it (from 127.0.0.1, X-Forwarded-Proto https). */
function proxied(path: string, ask: Ask = {}): Promise<Reply> {
  return send(httpRequest, proxyHost.port, path, { Host: PUBLIC, 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.9', ...ask.headers }, ask, {});
}

function send(request: typeof httpRequest, port: number, path: string, headers: Record<string, string>, ask: Ask, extra: object): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: ask.method ?? 'GET', headers, ...extra }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(ask.body);
  });
}

const tlsOrigin = () => `https://${PUBLIC}:${tlsHost.port}`;
const form = (password: string) => `password=${encodeURIComponent(password)}`;
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

/** Signs in to the TLS host; returns the Cookie header to send. */
async function signIn(password = PASSWORD): Promise<string> {
  const reply = await tls('/signin', { method: 'POST', headers: { ...FORM, Origin: tlsOrigin() }, body: form(password) });
  expect(reply.status, reply.body).toBe(303);
  return cookieOf(reply);
}

function cookieOf(reply: Reply): string {
  const set = reply.headers['set-cookie']?.[0];
  if (set === undefined) throw new Error('no Set-Cookie');
  return set.split(';', 1)[0] as string;
}

type Frame = { id?: number; ok?: boolean; output?: any; error?: { message: string } };

/** Opens the API WebSocket of the TLS host; rejects with the HTTP status when refused. */
function openApi(options: { cookie?: string; origin?: string | null; host?: string } = {}): Promise<WebSocket> {
  const headers: Record<string, string> = { Host: options.host ?? `${PUBLIC}:${tlsHost.port}` };
  if (options.cookie) headers.Cookie = options.cookie;
  const origin = options.origin === undefined ? tlsOrigin() : options.origin;
  const socket = new WebSocket(`wss://127.0.0.1:${tlsHost.port}/api`, ['flowbot-api'], { headers, rejectUnauthorized: false, ...(origin !== null ? { origin } : {}) });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
    socket.once('error', reject);
  });
}

function call(socket: WebSocket, method: string, id = 1): Promise<Frame> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(String(data)) as Frame;
      if (frame.id !== id) return;
      socket.off('message', onMessage);
      resolve(frame);
    };
    socket.on('message', onMessage);
    socket.send(JSON.stringify({ id, method, input: {} }));
  });
}

const closed = (socket: WebSocket): Promise<number> => new Promise((resolve) => socket.once('close', (code) => resolve(code)));

/** A fresh rate-limit window and fresh sessions for the next test. */
const nextWindow = () => {
  clock += WINDOW_MS + ABSOLUTE_MS;
};

describe('options: never plain HTTP off loopback', () => {
  it('refuses another address without a sign-in, and a sign-in without TLS or a proxy', async () => {
    const dataDir = join(root, 'refused');
    await expect(startWebHost({ dataDir, rendererDir, host: '0.0.0.0' })).rejects.toThrow(/plain HTTP/);
    await expect(startWebHost({ dataDir, rendererDir, host: '0.0.0.0', remote: { publicHosts: [PUBLIC] } })).rejects.toThrow(/not served over plain HTTP.*--tls-cert.*--behind-proxy/);
    await expect(startWebHost({ dataDir, rendererDir, remote: { publicHosts: [], behindProxy: true } })).rejects.toThrow(/--public-host/);
    await expect(startWebHost({ dataDir, rendererDir, remote: { publicHosts: ['https://studio.test/'], behindProxy: true } })).rejects.toThrow(/"https:\/\/studio.test\/" is not a host name/);
    await expect(startWebHost({ dataDir, rendererDir, remote: { publicHosts: [PUBLIC], behindProxy: true, tls: { certFile, keyFile } } })).rejects.toThrow(/Choose one/);
    await expect(startWebHost({ dataDir, rendererDir, remote: { publicHosts: [PUBLIC], tls: { certFile: join(root, 'missing.pem'), keyFile } } })).rejects.toThrow(/Cannot read the TLS certificate .*missing\.pem/);
    await expect(startWebHost({ dataDir, rendererDir, remote: { publicHosts: [PUBLIC], tls: { certFile: keyFile, keyFile: certFile } } })).rejects.toThrow(/cannot be used together/);
  });

  it('prints the public https address, never a token', () => {
    expect(tlsHost.url).toBe(`https://${PUBLIC}:${tlsHost.port}/`);
    expect(tlsHost.token).toBe('');
    expect(proxyHost.url).toBe(`https://${PUBLIC}/`);
  });
});

describe('sign-in over TLS', () => {
  it('gives no page, asset or API without signing in: the pages lead to the sign-in', async () => {
    for (const path of ['/', '/index.html', '/assets/app.js', '/signout', '/api']) {
      const reply = await tls(path);
      expect(reply.status, path).toBe(303);
      expect(reply.headers.location, path).toBe('/signin');
      expect(reply.body, path).not.toContain('console.log');
    }
    expect((await tls('/', { method: 'POST' })).status).toBe(401);
    await expect(openApi()).rejects.toMatchObject({ status: 401 });
    await expect(openApi({ cookie: '__Host-flowbot-session=made-up' })).rejects.toMatchObject({ status: 401 });
  });

  it('serves the sign-in page in the browser language, without a script or cookie, over HSTS', async () => {
    const page = await tls('/signin', { headers: { 'Accept-Language': 'pt-BR,pt;q=0.9,en;q=0.5' } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<html lang="pt-BR">');
    expect(page.body).toContain(ACCESS_TEXTS['pt-BR'].passwordLabel);
    expect(page.body).toContain('<form method="post" action="/signin">');
    expect(page.body).not.toContain('<script');
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(page.headers['strict-transport-security']).toBe('max-age=31536000');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'; style-src 'sha256-[^']+'; form-action 'self'; frame-ancestors 'none'/);
    expect((await tls('/signin', { headers: { 'Accept-Language': 'es-MX' } })).body).toContain(ACCESS_TEXTS.es.submit);
    expect((await tls('/signin')).body).toContain(ACCESS_TEXTS.en.submit);
  });

  it('refuses a wrong password (logged with the address, never the password), then signs in with a strict __Host- session cookie', async () => {
    nextWindow();
    tlsEvents.length = 0;
    const wrong = await tls('/signin', { method: 'POST', headers: { ...FORM, Origin: tlsOrigin() }, body: form('not the password') });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect(wrong.body).toContain(ACCESS_TEXTS.en.wrongPassword);

    const right = await tls('/signin', { method: 'POST', headers: { ...FORM, Origin: tlsOrigin() }, body: form(PASSWORD) });
    expect(right.status).toBe(303);
    expect(right.headers.location).toBe('/');
    const setCookie = right.headers['set-cookie']?.[0] ?? '';
    expect(setCookie).toMatch(/^__Host-flowbot-session=[A-Za-z0-9_-]{43}; Path=\/; Secure; HttpOnly; SameSite=Strict; Max-Age=3600$/);
    expect(tlsEvents).toEqual([
      { type: 'sign-in', outcome: 'failure', address: '127.0.0.1' },
      { type: 'sign-in', outcome: 'success', address: '127.0.0.1' },
    ]);
    expect(JSON.stringify(tlsEvents) + logged.join('\n')).not.toContain('not the password');
    expect(JSON.stringify(tlsEvents) + logged.join('\n')).not.toContain(PASSWORD);

    const cookie = cookieOf(right);
    const page = await tls('/', { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Flowbot Studio</title>');
    expect(page.headers['strict-transport-security']).toBe('max-age=31536000');
    expect((await tls('/assets/app.js', { headers: { Cookie: cookie } })).body).toBe('console.log("app");');
    expect((await tls('/signin', { headers: { Cookie: cookie } })).headers.location).toBe('/');

    const socket = await openApi({ cookie });
    const reply = await call(socket, 'flows.list');
    expect(reply.ok).toBe(true);
    expect(reply.output).toHaveProperty('flows');
    socket.close();
  });

  it('keeps the password as a scrypt hash in an owner-only file', () => {
    const file = passwordFileOf(join(root, 'tls-data'));
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(PASSWORD);
    expect(JSON.parse(text)).toMatchObject({ version: 1, kdf: 'scrypt', N: GENERATED_PASSWORD_COST.N, r: 8, p: 1 });
    expect(PASSWORD_COST.N).toBeGreaterThanOrEqual(2 ** 16);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses a sign-in or sign-out form posted from another origin (CSRF), even with the right password', async () => {
    nextWindow();
    for (const origin of ['https://evil.test', `http://${PUBLIC}:${tlsHost.port}`, undefined]) {
      const headers: Record<string, string> = { ...FORM, ...(origin ? { Origin: origin } : {}) };
      const reply = await tls('/signin', { method: 'POST', headers, body: form(PASSWORD) });
      expect(reply.status, String(origin)).toBe(403);
      expect(reply.headers['set-cookie']).toBeUndefined();
    }
    const cookie = await signIn();
    const foreign = await tls('/signout', { method: 'POST', headers: { Cookie: cookie, Origin: 'https://evil.test' } });
    expect(foreign.status).toBe(403);
    expect((await tls('/', { headers: { Cookie: cookie } })).status).toBe(200);
  });

  it('opens the API WebSocket only for the public origin, and answers only to the public name (DNS rebinding)', async () => {
    nextWindow();
    const cookie = await signIn();
    await expect(openApi({ cookie, origin: 'https://evil.test' })).rejects.toMatchObject({ status: 403 });
    await expect(openApi({ cookie, origin: `http://${PUBLIC}:${tlsHost.port}` })).rejects.toMatchObject({ status: 403 });
    await expect(openApi({ cookie, origin: null })).rejects.toMatchObject({ status: 403 });
    await expect(openApi({ cookie, host: `evil.test:${tlsHost.port}`, origin: `https://evil.test:${tlsHost.port}` })).rejects.toMatchObject({ status: 403 });
    for (const hostHeader of [`evil.test:${tlsHost.port}`, `127.0.0.1:${tlsHost.port}`, `localhost:${tlsHost.port}`]) {
      const reply = await tls('/', { headers: { Host: hostHeader, Cookie: cookie } });
      expect(reply.status, hostHeader).toBe(403);
      expect(reply.body).toContain(`https://${PUBLIC}/`);
      expect((await tls('/signin', { headers: { Host: hostHeader } })).status, hostHeader).toBe(403);
    }
    const socket = await openApi({ cookie });
    socket.close();
  });

  it('ends a session after the idle time, and after the absolute time however much it is used', async () => {
    nextWindow();
    const cookie = await signIn();
    const socket = await openApi({ cookie });
    expect((await call(socket, 'flows.list', 1)).ok).toBe(true);
    clock += IDLE_MS - 1;
    expect((await call(socket, 'flows.list', 2)).ok).toBe(true); // a call is a use
    clock += IDLE_MS - 1;
    const ended = closed(socket);
    expect((await tls('/', { headers: { Cookie: cookie } })).status).toBe(200);
    clock += IDLE_MS;
    socket.send(JSON.stringify({ id: 3, method: 'flows.list', input: {} }));
    expect(await ended).toBe(4401);
    const after = await tls('/', { headers: { Cookie: cookie } });
    expect(after.status).toBe(303);
    expect(after.headers.location).toBe('/signin?ended');
    expect((await tls('/signin?ended')).body).toContain(ACCESS_TEXTS.en.sessionEnded);
    await expect(openApi({ cookie })).rejects.toMatchObject({ status: 401 });

    const busy = await signIn();
    for (let used = 0; used + IDLE_MS / 2 < ABSOLUTE_MS; used += IDLE_MS / 2) {
      expect((await tls('/', { headers: { Cookie: busy } })).status).toBe(200);
      clock += IDLE_MS / 2;
    }
    clock += IDLE_MS / 2;
    expect((await tls('/', { headers: { Cookie: busy } })).status).toBe(303);
  });

  it('signs out: the cookie is cleared, the session ends and its open API socket is closed', async () => {
    nextWindow();
    const cookie = await signIn();
    const socket = await openApi({ cookie });
    const ended = closed(socket);
    const page = await tls('/signout', { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<form method="post" action="/signout">');
    const out = await tls('/signout', { method: 'POST', headers: { Cookie: cookie, Origin: tlsOrigin() } });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/signin?out');
    expect(out.headers['set-cookie']?.[0]).toBe('__Host-flowbot-session=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0');
    expect(await ended).toBe(4401);
    expect((await tls('/', { headers: { Cookie: cookie } })).status).toBe(303);
    await expect(openApi({ cookie })).rejects.toMatchObject({ status: 401 });
    expect(tlsEvents.at(-1)).toEqual({ type: 'sign-out', address: '127.0.0.1' });
  });

  it('limits failed sign-ins per address: the right password is refused too until the window ends, and every attempt is logged', async () => {
    nextWindow();
    tlsEvents.length = 0;
    for (let i = 0; i < 3; i++) {
      expect((await tls('/signin', { method: 'POST', headers: { ...FORM, Origin: tlsOrigin() }, body: form(`guess ${i}`) })).status).toBe(401);
    }
    const limited = await tls('/signin', { method: 'POST', headers: { ...FORM, Origin: tlsOrigin(), 'Accept-Language': 'es' }, body: form(PASSWORD) });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe(String(WINDOW_MS / 1000));
    expect(limited.headers['set-cookie']).toBeUndefined();
    expect(limited.body).toContain('Demasiados intentos. Vuelve a intentarlo en 15 minutos.');
    expect(tlsEvents.map((e) => (e.type === 'sign-in' ? e.outcome : e.type))).toEqual(['failure', 'failure', 'failure', 'rate-limited']);
    expect(tlsEvents.at(-1)).toEqual({ type: 'sign-in', outcome: 'rate-limited', address: '127.0.0.1', limit: 'address' });
    clock += WINDOW_MS;
    await signIn();
  });

  it('logs through the host log when no event handler is given (no password in the line)', async () => {
    const { describeAccessEvent } = await import('../../src-main/web/remote/remote-access');
    expect(describeAccessEvent({ type: 'sign-in', outcome: 'failure', address: '198.51.100.4' })).toBe('Web sign-in failed (wrong password) from 198.51.100.4');
    expect(describeAccessEvent({ type: 'sign-in', outcome: 'rate-limited', address: '198.51.100.4', limit: 'overall' })).toMatch(/too many failed attempts \(overall limit\)/);
  });
});

describe('behind a reverse proxy', () => {
  it('made a password on the first start (shown once), kept only as a hash', async () => {
    const generated = proxyHost.generatedPassword;
    expect(generated).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(readFileSync(passwordFileOf(proxyDataDir), 'utf8')).not.toContain(generated);
    const reply = await proxied('/signin', { method: 'POST', headers: { ...FORM, Origin: `https://${PUBLIC}` }, body: form(generated ?? '') });
    expect(reply.status).toBe(303);
    expect((await proxied('/', { headers: { Cookie: cookieOf(reply) } })).status).toBe(200);
  });

  it('believes X-Forwarded-For only as the proxy wrote it (its last entry), and refuses requests the proxy did not mark https', async () => {
    proxyEvents.length = 0;
    await proxied('/signin', { method: 'POST', headers: { ...FORM, Origin: `https://${PUBLIC}`, 'X-Forwarded-For': '6.6.6.6, 198.51.100.7' }, body: form('wrong password here') });
    expect(proxyEvents).toEqual([{ type: 'sign-in', outcome: 'failure', address: '198.51.100.7' }]);
    const plain = await proxied('/signin', { headers: { 'X-Forwarded-Proto': 'http' } });
    expect(plain.status).toBe(403);
    expect(plain.body).toContain('X-Forwarded-Proto: https');
    expect((await proxied('/signin', { headers: { Host: 'evil.test' } })).status).toBe(403);
  });

  it('limits failed sign-ins overall, whatever addresses they come from', async () => {
    nextWindow();
    proxyEvents.length = 0;
    for (let i = 1; i <= 4; i++) {
      const reply = await proxied('/signin', { method: 'POST', headers: { ...FORM, Origin: `https://${PUBLIC}`, 'X-Forwarded-For': `198.51.100.${i}` }, body: form('a wrong guess!') });
      expect(reply.status).toBe(401);
    }
    const limited = await proxied('/signin', { method: 'POST', headers: { ...FORM, Origin: `https://${PUBLIC}`, 'X-Forwarded-For': '198.51.100.50' }, body: form(proxyHost.generatedPassword ?? '') });
    expect(limited.status).toBe(429);
    expect(proxyEvents.at(-1)).toEqual({ type: 'sign-in', outcome: 'rate-limited', address: '198.51.100.50', limit: 'overall' });
  });

  it('takes requests only from the trusted proxy', async () => {
    const dataDir = join(root, 'far-proxy');
    await setWebPassword(dataDir, PASSWORD, { cost: GENERATED_PASSWORD_COST });
    const events: AccessEvent[] = [];
    const far = await startWebHost({
      dataDir,
      rendererDir,
      templatesDir: TEMPLATES,
      remote: { publicHosts: [PUBLIC], behindProxy: true, trustedProxies: ['10.0.0.2'], onAccessEvent: (e) => events.push(e) },
      log: () => {},
    });
    try {
      const reply = await send(httpRequest, far.port, '/signin', { Host: PUBLIC, 'X-Forwarded-Proto': 'https' }, {}, {});
      expect(reply.status).toBe(403);
      expect(reply.body).toContain('only through its reverse proxy');
      expect(events).toEqual([{ type: 'refused', address: '127.0.0.1', reason: 'Forbidden: this server takes requests only through its reverse proxy.' }]);
    } finally {
      await far.close();
    }
  });
});
