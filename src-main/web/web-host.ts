// The loopback web host (`npm run web`, `flowbot studio`): the built renderer and the same API
// as the desktop app, over a WebSocket, on 127.0.0.1 only. Like a notebook server it prints a
// URL with a random token, here in the fragment (#token=..., never sent in a request): the page
// keeps it for the tab and offers it when it opens the API WebSocket (see access.ts). The page
// and its assets hold no data and need no token; the API refuses anything without it. No
// cookie (cookies reach every port of this machine). Host and Origin are checked too, so a web
// page elsewhere (or a DNS-rebound name) cannot reach it.
//
// Off loopback (`flowbot serve`, option `remote`: see remote/remote-options.ts) the same host
// serves the same pages and API to other machines, only over TLS (its own certificate, or a
// reverse proxy's), only to the public names the owner gave, and only after a sign-in with the
// owner's password (remote/remote-access.ts: a session cookie instead of the token):
//   startWebHost({ dataDir, host: '0.0.0.0', port: 8443,
//     remote: { publicHosts: ['studio.example.com'], tls: { certFile, keyFile } } })
//   startWebHost({ dataDir, port: 8080,   // host defaults to 127.0.0.1 behind a proxy
//     remote: { publicHosts: ['studio.example.com'], behindProxy: true, trustedProxies?: ['10.0.0.2'] } })
// The returned `url` is then the public https address, `token` is empty (not used), and
// `generatedPassword` holds the password made on the first start, to show the owner once.
import { existsSync, realpathSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { API_WS_MAX_FRAME_BYTES, API_WS_PATH, API_WS_PROTOCOL } from '../shared/api-contract';
import { InputError } from '../app/input-error';
import { createStudio, type Studio, type StudioOptions } from '../app/studio';
import type { StudioMcpPort } from '../app/studio-mcp-port';
import type { SocketFactory } from '../adapters/whatsapp/socket';
import { createChatRoutes, type ChatRequestHandler } from './chat-routes';
import { checkApiAccess, checkPageAccess, LOOPBACK_HOST, newAccessToken, type AccessResult } from './access';
import { sendText, serveStatic } from './static-files';
import { serveApiSocket } from './ws-api';
import { answerHealth, type HealthChecks } from './health-routes';
import { createRemoteAccess, type RemoteAccess, type UpgradeDecision } from './remote/remote-access';
import type { RemoteAccessOptions } from './remote/remote-options';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DEFAULT_RENDERER_DIR = join(REPO_ROOT, 'out', 'renderer');
export const DEFAULT_TEMPLATES_DIR = join(REPO_ROOT, 'flows');
export const DEFAULT_EXAMPLES_DIR = join(REPO_ROOT, 'examples');

export interface WebHostOptions {
  dataDir: string;
  /** The built renderer (default out/renderer of this checkout). */
  rendererDir?: string;
  /** Template flows (default flows/ of this checkout). */
  templatesDir?: string;
  /** The bundled example shop's folder (default examples/ of this checkout). */
  examplesDir?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Without `remote` only 127.0.0.1 is accepted. With it: the address to listen on (default 0.0.0.0 with `tls`, 127.0.0.1 behind a proxy). */
  host?: string;
  /** Serve other machines: TLS or a reverse proxy, public host names, a password sign-in. */
  remote?: RemoteAccessOptions;
  /** The MCP side (default: the bot's servers, started only after the owner's approval). */
  mcp?: StudioMcpPort;
  /** Makes the WhatsApp sockets (default: Baileys' real one); the tests pass the scripted socket. */
  whatsappSocketFactory?: SocketFactory;
  /** The environment a BROWSER command (which opens sign-in pages) is read from (default process.env). */
  env?: NodeJS.ProcessEnv;
  log?: (message: string, error?: unknown) => void;
  /** `flowbot serve`: the secrets store (default: the OS keychain) and the bots it runs (see StudioOptions). */
  secrets?: StudioOptions['secrets'];
  served?: StudioOptions['served'];
  coordination?: StudioOptions['coordination'];
  /** Where the runtime's tables are (`flowbot serve --database`); default the data folder's flowbot.db. */
  storage?: StudioOptions['storage'];
  /** Routes served before the page (any method; true: handled). Default: the HTTP chat API over the studio's active bot (chat-routes.ts). */
  routes?: (studio: Studio) => ChatRequestHandler;
  /** `flowbot serve`: what /readyz checks (health-routes.ts); /healthz and /readyz are answered without a sign-in. */
  health?: HealthChecks;
}

export interface WebHost {
  /** `http://127.0.0.1:PORT/#token=TOKEN`: give it to the browser. Remote: `https://PUBLIC-HOST[:PORT]/`. */
  url: string;
  /** The loopback access token; empty off loopback (the sign-in replaces it). */
  token: string;
  port: number;
  /** Remote only, on the first start (no password was set yet): the password made for the owner. Show it once. */
  generatedPassword?: string;
  studio: Pick<Studio, 'whatsapp'>;
  close(): Promise<void>;
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const host = options.host ?? (options.remote ? (options.remote.behindProxy ? LOOPBACK_HOST : '0.0.0.0') : LOOPBACK_HOST);
  if (host !== LOOPBACK_HOST && !options.remote) {
    throw new InputError(
      `Without a sign-in the web host listens on ${LOOPBACK_HOST} only: it gives access to your flows and settings, so it is never offered on "${host}" over plain HTTP. ` +
        'To use it from another machine, forward the port over SSH, or serve it with "flowbot serve" over TLS (see docs/remote-access.md).',
    );
  }
  const requestedPort = options.port ?? 0;
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new InputError(`The port must be a whole number from 0 to 65535 (0 picks a free one), not ${String(options.port)}.`);
  }
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR;
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new InputError(`The editor is not built: ${join(rendererDir, 'index.html')} is missing. Run "npm run build" first.`);
  }
  const rendererRoot = realpathSync(rendererDir);
  const log = options.log ?? ((message: string, error?: unknown) => console.error(message, error ?? ''));
  const remote: RemoteAccess | undefined = options.remote ? await createRemoteAccess(options.dataDir, options.remote, log) : undefined;
  const token = remote ? '' : newAccessToken();
  const studio: Studio = createStudio({
    dataDir: options.dataDir,
    templatesDir: options.templatesDir ?? DEFAULT_TEMPLATES_DIR,
    examplesDir: options.examplesDir ?? DEFAULT_EXAMPLES_DIR,
    ...(options.mcp ? { mcp: options.mcp } : {}),
    ...(options.whatsappSocketFactory ? { whatsappSocketFactory: options.whatsappSocketFactory } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.secrets ? { secrets: options.secrets } : {}),
    ...(options.served ? { served: options.served } : {}),
    ...(options.coordination ? { coordination: options.coordination } : {}),
    ...(options.storage ? { storage: options.storage } : {}),
    log,
  });

  const routes =
    options.routes?.(studio) ??
    createChatRoutes({ ...studio.chat, log, ...(remote ? { clientAddress: (request: IncomingMessage) => remote.clientAddress(request) } : {}) }).handleChatRequest;
  let port = requestedPort;
  // Answers with the API's own subprotocol, never echoing the token one.
  const wss = new WebSocketServer({ noServer: true, maxPayload: API_WS_MAX_FRAME_BYTES, perMessageDeflate: false, handleProtocols: () => API_WS_PROTOCOL });
  const serveSocket = (socket: import('ws').WebSocket, sessionId?: string): void => {
    if (remote && sessionId !== undefined) remote.attach(sessionId, socket);
    serveApiSocket(socket, {
      dispatcher: studio.dispatcher,
      events: studio.service.events,
      log,
      ...(remote && sessionId !== undefined ? { stillSignedIn: (use: boolean) => remote.stillSignedIn(sessionId, use) } : {}),
    });
  };

  /** Requests being answered (a chat message in hand): close() lets them finish. */
  const inFlight = new Set<Promise<void>>();
  let closing: Promise<void> | undefined;
  const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    const handled = answerHealth(request, response, options.health, closing !== undefined).then((answered) => {
      if (answered) return;
      return remote
        ? remote.handle(request, response, () => serveSignedIn(request, response), () => ownCredentialRoutes(request, response))
        : handleRequest(request, response);
    });
    const answering = handled
      .catch((error: unknown) => {
        log('Web host request failed:', error);
        if (!response.headersSent) sendText(response, 500, 'Internal error');
        else response.destroy();
      })
      .finally(() => inFlight.delete(answering));
    inFlight.add(answering);
  };
  // Remote: TLS 1.2 or newer (Node's default cipher list keeps to forward-secret AEAD suites).
  const server = remote?.checked.tls
    ? createHttpsServer({ cert: remote.checked.tls.cert, key: remote.checked.tls.key, minVersion: 'TLSv1.2' }, onRequest)
    : createServer(onRequest);

  async function handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const access = checkPageAccess(request, port);
    if (!access.ok) return sendText(response, 403, access.reason);
    if (await ownCredentialRoutes(request, response)) return;
    await serveSignedIn(request, response);
  }

  /** The HTTP chat API and its web chat page: they carry their own credentials (API key, visitor token). */
  async function ownCredentialRoutes(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const url = parseUrl(request.url, port);
    return url !== null && (await routes(request, response, url));
  }

  /** The pages and assets, once access was checked (loopback: Host; remote: transport, Host and session). */
  async function serveSignedIn(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const extra = remote?.headers ?? {};
    const url = parseUrl(request.url, port);
    if (url === null) return sendText(response, 400, 'Bad request', extra);
    if (request.method !== 'GET' && request.method !== 'HEAD') return sendText(response, 405, 'Method not allowed', { ...extra, Allow: 'GET, HEAD' });
    if (url.pathname === API_WS_PATH) return sendText(response, 426, 'The API is a WebSocket.', { ...extra, Upgrade: 'websocket' });
    await serveStatic(response, rendererRoot, url.pathname, extra);
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = parseUrl(request.url, port);
    if (url === null) return refuseUpgrade(socket, 400, 'Bad request');
    const access: UpgradeDecision = remote ? remote.checkUpgrade(request) : loopbackUpgrade(checkApiAccess(request, port, token));
    if (!access.ok) return refuseUpgrade(socket, access.status, access.reason);
    if (url.pathname !== API_WS_PATH) return refuseUpgrade(socket, 404, 'Not found');
    const sessionId = access.sessionId;
    wss.handleUpgrade(request, socket, head, (ws) => serveSocket(ws, sessionId));
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(requestedPort, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await studio.close();
    remote?.close();
    const code = (error as { code?: unknown }).code;
    if (code === 'EADDRINUSE') throw new InputError(`The port ${requestedPort} on ${host} is in use. Pick another with --port, or 0 for a free one.`);
    if (code === 'EADDRNOTAVAIL') throw new InputError(`This machine has no address ${host} to listen on. Use 0.0.0.0 (every address) or one of its own.`);
    if (code === 'EACCES') throw new InputError(`The port ${requestedPort} needs special rights on this system. Pick one above 1024, or 0 for a free one.`);
    throw error;
  }
  server.on('error', (error) => log('Web host error:', error));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the web host has no TCP address');
  port = address.port;

  return {
    url: remote ? publicUrl(remote, port) : `http://${LOOPBACK_HOST}:${port}/#token=${token}`,
    token,
    port,
    ...(remote?.generatedPassword !== undefined ? { generatedPassword: remote.generatedPassword } : {}),
    studio,
    close() {
      closing ??= (async () => {
        remote?.close();
        for (const client of wss.clients) client.terminate();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        // No new connections; idle ones close now, the requests in hand are answered first.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await Promise.allSettled([...inFlight]);
        server.closeAllConnections();
        await closed;
        await studio.close();
      })();
      return closing;
    },
  };
}

function parseUrl(raw: string | undefined, port: number): URL | null {
  if (raw === undefined || !raw.startsWith('/')) return null;
  try {
    return new URL(raw, `http://${LOOPBACK_HOST}:${port}`);
  } catch {
    return null;
  }
}

/** The address the owner opens: the first public name, with the port when the host serves TLS itself on another than 443. */
function publicUrl(remote: RemoteAccess, port: number): string {
  const first = remote.checked.publicHosts[0];
  if (first === undefined) throw new Error('a remote host has a public name');
  const name = first.name; // an IPv6 literal keeps its brackets
  const shownPort = first.port ?? (remote.checked.tls && port !== 443 ? port : undefined);
  return `https://${name}${shownPort === undefined ? '' : `:${shownPort}`}/`;
}

function loopbackUpgrade(access: AccessResult): UpgradeDecision {
  return access.ok ? { ok: true } : { ok: false, status: 403, reason: access.reason };
}

function refuseUpgrade(socket: Duplex, status: 400 | 401 | 403 | 404, reason: string): void {
  const text = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status];
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\n\r\n${body}`,
  );
}
