// The loopback web host (`npm run web`, `flowbot studio`): the built renderer and the same API
// as the desktop app, over a WebSocket, on 127.0.0.1 only. Like a notebook server it prints a
// URL with a random token, here in the fragment (#token=..., never sent in a request): the page
// keeps it for the tab and offers it when it opens the API WebSocket (see access.ts). The page
// and its assets hold no data and need no token; the API refuses anything without it. No
// cookie (cookies reach every port of this machine). Host and Origin are checked too, so a web
// page elsewhere (or a DNS-rebound name) cannot reach it.
import { existsSync, realpathSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
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
import { checkApiAccess, checkPageAccess, LOOPBACK_HOST, newAccessToken } from './access';
import { sendText, serveStatic } from './static-files';
import { serveApiSocket } from './ws-api';

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
  /** Only 127.0.0.1 is accepted; anything else is refused. */
  host?: string;
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
  /** Routes served before the page (any method; true: handled). Default: the HTTP chat API over the studio's active bot (chat-routes.ts). */
  routes?: (studio: Studio) => ChatRequestHandler;
}

export interface WebHost {
  /** `http://127.0.0.1:PORT/#token=TOKEN`: give it to the browser. */
  url: string;
  token: string;
  port: number;
  studio: Pick<Studio, 'whatsapp'>;
  close(): Promise<void>;
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const host = options.host ?? LOOPBACK_HOST;
  if (host !== LOOPBACK_HOST) {
    throw new InputError(
      `The web host listens on ${LOOPBACK_HOST} only: it gives access to your flows and settings, so it is never offered on "${host}". ` +
        'To use it from another machine, forward the port over SSH.',
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
  const token = newAccessToken();
  const studio: Studio = createStudio({
    dataDir: options.dataDir,
    templatesDir: options.templatesDir ?? DEFAULT_TEMPLATES_DIR,
    examplesDir: options.examplesDir ?? DEFAULT_EXAMPLES_DIR,
    ...(options.mcp ? { mcp: options.mcp } : {}),
    ...(options.whatsappSocketFactory ? { whatsappSocketFactory: options.whatsappSocketFactory } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.secrets ? { secrets: options.secrets } : {}),
    ...(options.served ? { served: options.served } : {}),
    log,
  });

  const routes = options.routes?.(studio) ?? createChatRoutes({ ...studio.chat, log }).handleChatRequest;
  let port = requestedPort;
  // Answers with the API's own subprotocol, never echoing the token one.
  const wss = new WebSocketServer({ noServer: true, maxPayload: API_WS_MAX_FRAME_BYTES, perMessageDeflate: false, handleProtocols: () => API_WS_PROTOCOL });
  wss.on('connection', (socket) => serveApiSocket(socket, { dispatcher: studio.dispatcher, events: studio.service.events, log }));

  /** Requests being answered (a chat message in hand): close() lets them finish. */
  const inFlight = new Set<Promise<void>>();
  const server = createServer((request, response) => {
    const answering = handleRequest(request, response)
      .catch((error: unknown) => {
        log('Web host request failed:', error);
        if (!response.headersSent) sendText(response, 500, 'Internal error');
        else response.destroy();
      })
      .finally(() => inFlight.delete(answering));
    inFlight.add(answering);
  });

  async function handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = parseUrl(request.url, port);
    if (url === null) return sendText(response, 400, 'Bad request');
    const access = checkPageAccess(request, port);
    if (!access.ok) return sendText(response, 403, access.reason);
    if (await routes(request, response, url)) return;
    if (request.method !== 'GET' && request.method !== 'HEAD') return sendText(response, 405, 'Method not allowed', { Allow: 'GET, HEAD' });
    if (url.pathname === API_WS_PATH) return sendText(response, 426, 'The API is a WebSocket.', { Upgrade: 'websocket' });
    await serveStatic(response, rendererRoot, url.pathname, {});
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = parseUrl(request.url, port);
    if (url === null) return refuseUpgrade(socket, 400, 'Bad request');
    const access = checkApiAccess(request, port, token);
    if (!access.ok) return refuseUpgrade(socket, 403, access.reason);
    if (url.pathname !== API_WS_PATH) return refuseUpgrade(socket, 404, 'Not found');
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(requestedPort, LOOPBACK_HOST, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await studio.close();
    const code = (error as { code?: unknown }).code;
    if (code === 'EADDRINUSE') throw new InputError(`The port ${requestedPort} on ${LOOPBACK_HOST} is in use. Pick another with --port, or 0 for a free one.`);
    if (code === 'EACCES') throw new InputError(`The port ${requestedPort} needs special rights on this system. Pick one above 1024, or 0 for a free one.`);
    throw error;
  }
  server.on('error', (error) => log('Web host error:', error));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the web host has no TCP address');
  port = address.port;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${LOOPBACK_HOST}:${port}/#token=${token}`,
    token,
    port,
    studio,
    close() {
      closing ??= (async () => {
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

function refuseUpgrade(socket: Duplex, status: 400 | 403 | 404, reason: string): void {
  const text = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found' }[status];
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\n\r\n${body}`,
  );
}
