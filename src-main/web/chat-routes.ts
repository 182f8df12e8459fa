// The HTTP chat API and the web chat page (docs/http-chat.md, docs/http-chat.openapi.yaml):
//
//   POST /api/v1/bots/{bot}/conversations/{customer}/messages   { text, messageId? } -> replies + status
//   GET  /api/v1/bots/{bot}/conversations/{customer}            status + transcript
//   POST /api/v1/bots/{bot}/widget/sessions                     a visitor session for the web chat page
//   GET  /chat/{bot}, /chat/assets/widget.js, /chat/assets/widget.css   the web chat page
//
// Who may call: the bot's API key (Authorization: Bearer fbk_...), or a widget session token for
// its own customer only. No studio token and no cookie. The host mounting these routes checks
// the Host header first. Plain, distinct refusals: 400 (which field is wrong), 401 (no or wrong
// credentials), 403 (valid credentials, not for this), 404 (no such bot running here), 405,
// 409 (messageId reused), 413, 415, 429, 503 (the bot cannot answer now).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BotRuntime, BotRuntimes } from '../app/bot-runtime-port';
import type { ApiKeys } from '../app/http-chat/api-key';
import { ChatUnavailableError, MessageIdConflictError, type HttpChat } from '../app/http-chat/http-chat';
import { createRateLimiter, type RateLimiter } from '../app/http-chat/rate-limit';
import { WIDGET_TOKEN_PREFIX, type WidgetSessions } from '../app/http-chat/widget-sessions';
import { BASE_SECURITY_HEADERS, sendText } from './static-files';
import { WIDGET_CSP, WIDGET_CSS, WIDGET_JS, widgetHtml } from './chat-widget-page';

/** Ids in paths: a bot id as the settings make them; a customer id any client can mint safely. */
export const BOT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const CUSTOMER_ID_PATTERN = /^[A-Za-z0-9._:@+-]{1,128}$/;
export const MESSAGE_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
export const MAX_TEXT_CHARS = 4_000;
export const MAX_BODY_BYTES = 32 * 1024;

/** Every route this module serves (the OpenAPI file must name each: test/unit/http-chat-openapi.test.ts). */
export const CHAT_ROUTES = [
  { method: 'post', path: '/api/v1/bots/{bot}/conversations/{customer}/messages' },
  { method: 'get', path: '/api/v1/bots/{bot}/conversations/{customer}' },
  { method: 'post', path: '/api/v1/bots/{bot}/widget/sessions' },
  { method: 'get', path: '/chat/{bot}' },
  { method: 'get', path: '/chat/assets/widget.js' },
  { method: 'get', path: '/chat/assets/widget.css' },
] as const;

export interface ChatRoutesDeps {
  runtimes: BotRuntimes;
  chat: HttpChat;
  keys: ApiKeys;
  widget: { enabled(bot: string): boolean; sessions: WidgetSessions };
  /** Visitor sessions per client address (default 10 a minute). */
  sessionLimiter?: RateLimiter;
  /** Messages per widget visitor (default 30 a minute); API key clients are the owner's and not limited. */
  visitorLimiter?: RateLimiter;
  /** Who is asking, for the session limit (default: the socket's address; behind a trusted reverse proxy, the forwarded one). */
  clientAddress?: (request: IncomingMessage) => string | undefined;
  log?: (message: string) => void;
}

export type ChatRequestHandler = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<boolean>;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const UNAUTHENTICATED = { 'WWW-Authenticate': 'Bearer realm="flowbot"' };

export function createChatRoutes(deps: ChatRoutesDeps): { handleChatRequest: ChatRequestHandler } {
  const sessionLimiter = deps.sessionLimiter ?? createRateLimiter({ limit: 10, windowMs: 60_000 });
  const visitorLimiter = deps.visitorLimiter ?? createRateLimiter({ limit: 30, windowMs: 60_000 });
  const log = deps.log ?? ((message: string) => console.error(`[http-chat] ${message}`));

  async function handleChatRequest(request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
    const path = url.pathname;
    if (path.startsWith('/chat/')) return servePage(request, response, path.slice('/chat/'.length));
    if (path !== '/api/v1' && !path.startsWith('/api/v1/')) return false;
    try {
      await serveApi(request, response, path);
    } catch (caught) {
      // The detail of an unexpected failure (a keychain that cannot be read, a store that cannot be opened) is the owner's, in the log.
      if (!(caught instanceof HttpError)) log(`${request.method ?? '?'} ${path} failed: ${caught instanceof Error ? caught.message : String(caught)}`);
      const error = caught instanceof HttpError ? caught : new HttpError(500, 'internal', 'Something went wrong on the server; the owner can read why in its log.');
      if (response.headersSent) response.destroy();
      else sendJson(response, error.status, { error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) } }, error.headers);
    }
    return true;
  }

  async function serveApi(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    const parts = path.split('/').slice(3); // '', 'api', 'v1'
    if (parts[0] !== 'bots' || parts.length < 3) throw new HttpError(404, 'not_found', `There is no API at ${path}.`);
    const bot = pathId(parts[1], 'bot', BOT_ID_PATTERN);
    const rest = parts.slice(2);
    if (rest.length === 2 && rest[0] === 'widget' && rest[1] === 'sessions') {
      allow(request, 'POST');
      return openWidgetSession(request, response, await runtimeOf(bot));
    }
    if (rest[0] !== 'conversations' || rest.length < 2 || rest.length > 3 || (rest.length === 3 && rest[2] !== 'messages')) {
      throw new HttpError(404, 'not_found', `There is no API at ${path}.`);
    }
    const customer = pathId(rest[1], 'customer', CUSTOMER_ID_PATTERN);
    allow(request, rest.length === 3 ? 'POST' : 'GET');
    const runtime = await runtimeOf(bot);
    const viaWidget = await authorize(request, bot, customer);
    if (rest.length === 2) {
      const conversation = await deps.chat.conversation(runtime, customer);
      if (!conversation) throw new HttpError(404, 'not_found', `The customer "${customer}" has no conversation with the bot "${bot}".`);
      return sendJson(response, 200, conversation);
    }
    const message = parseMessage(await readJson(request));
    if (viaWidget) limit(visitorLimiter, `${bot}\u0000${customer}`, 'messages');
    try {
      sendJson(response, 200, await deps.chat.send(runtime, customer, message));
    } catch (error) {
      if (error instanceof ChatUnavailableError) throw new HttpError(503, 'unavailable', error.message, undefined, { 'Retry-After': '30' });
      if (error instanceof MessageIdConflictError) throw new HttpError(409, 'message_id_conflict', error.message, 'messageId');
      throw error;
    }
  }

  async function runtimeOf(bot: string): Promise<BotRuntime> {
    const runtime = await deps.runtimes.get(bot);
    if (!runtime) throw new HttpError(404, 'bot_not_found', `There is no bot "${bot}" running here.`);
    return runtime;
  }

  /** The bot's API key (any customer), or a widget session token (its own customer only). True for a widget visitor. */
  async function authorize(request: IncomingMessage, bot: string, customer: string): Promise<boolean> {
    const header = request.headers.authorization;
    if (header === undefined) throw new HttpError(401, 'unauthenticated', 'Send the bot’s API key: Authorization: Bearer <key>.', undefined, UNAUTHENTICATED);
    const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(header);
    if (!match) throw new HttpError(401, 'unauthenticated', 'The Authorization header must be "Bearer <key>".', undefined, UNAUTHENTICATED);
    const token = match[1]!;
    if (token.startsWith(WIDGET_TOKEN_PREFIX)) {
      const own = deps.widget.enabled(bot) ? deps.widget.sessions.verify(bot, token) : undefined;
      if (own === undefined) throw new HttpError(401, 'unauthenticated', 'The chat session is not valid (expired, or the web chat is off): open a new one.', undefined, UNAUTHENTICATED);
      if (own !== customer) throw new HttpError(403, 'forbidden', 'This chat session may only talk as its own customer.');
      return true;
    }
    if (!(await deps.keys.matches(bot, token))) throw new HttpError(401, 'unauthenticated', `The API key is not the bot "${bot}"’s key.`, undefined, UNAUTHENTICATED);
    return false;
  }

  async function openWidgetSession(request: IncomingMessage, response: ServerResponse, runtime: BotRuntime): Promise<void> {
    if (!deps.widget.enabled(runtime.bot)) throw new HttpError(403, 'widget_off', `The web chat of the bot "${runtime.bot}" is switched off.`);
    limit(sessionLimiter, (deps.clientAddress ?? ((r: IncomingMessage) => r.socket.remoteAddress))(request) ?? 'unknown', 'chat sessions');
    const session = deps.widget.sessions.open(runtime.bot);
    sendJson(response, 201, session);
  }

  function limit(limiter: RateLimiter, key: string, what: string): void {
    const waitMs = limiter.hit(key);
    if (waitMs === undefined) return;
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    log(`too many ${what} from ${key.replace('\u0000', '/')}: refused for ${seconds} s`);
    throw new HttpError(429, 'rate_limited', `Too many ${what}: try again in ${seconds} s.`, undefined, { 'Retry-After': String(seconds) });
  }

  async function servePage(request: IncomingMessage, response: ServerResponse, rest: string): Promise<boolean> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendText(response, 405, 'Method not allowed', { Allow: 'GET, HEAD' });
      return true;
    }
    if (rest === 'assets/widget.js') return sendAsset(response, 'text/javascript; charset=utf-8', WIDGET_JS);
    if (rest === 'assets/widget.css') return sendAsset(response, 'text/css; charset=utf-8', WIDGET_CSS);
    const bot = safeDecode(rest);
    const runtime = bot !== undefined && BOT_ID_PATTERN.test(bot) ? await deps.runtimes.get(bot) : undefined;
    if (!runtime || !deps.widget.enabled(runtime.bot)) {
      sendText(response, 404, 'There is no web chat here.');
      return true;
    }
    const { 'X-Frame-Options': _framing, ...headers } = BASE_SECURITY_HEADERS;
    const body = widgetHtml(runtime.bot);
    response.writeHead(200, {
      ...headers,
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(body)),
      'Cache-Control': 'no-store',
      'Content-Security-Policy': WIDGET_CSP,
    });
    response.end(request.method === 'HEAD' ? undefined : body);
    return true;
  }

  return { handleChatRequest };
}

function sendAsset(response: ServerResponse, type: string, body: string): true {
  response.writeHead(200, {
    ...BASE_SECURITY_HEADERS,
    'Content-Type': type,
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-cache',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  });
  response.end(response.req.method === 'HEAD' ? undefined : body);
  return true;
}

function sendJson(response: ServerResponse, status: number, value: unknown, extra: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  response.writeHead(status, {
    ...BASE_SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
    ...extra,
  });
  response.end(body);
}

function allow(request: IncomingMessage, method: 'GET' | 'POST'): void {
  if (request.method === method) return;
  throw new HttpError(405, 'method_not_allowed', `Use ${method} here, not ${request.method ?? '?'}.`, undefined, { Allow: method });
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function pathId(raw: string | undefined, field: 'bot' | 'customer', pattern: RegExp): string {
  const value = raw === undefined ? undefined : safeDecode(raw);
  if (value === undefined || !pattern.test(value)) {
    const rule = field === 'bot' ? '1 to 64 letters, digits, "-" or "_"' : '1 to 128 letters, digits or . _ : @ + -';
    throw new HttpError(400, 'invalid_path', `The ${field} id in the path must be ${rule}.`, field);
  }
  return value;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new HttpError(415, 'unsupported_media_type', 'Send the message as JSON (Content-Type: application/json).');
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'invalid_json', 'The body is not valid JSON.', 'body');
  }
}

const tooLarge = () => new HttpError(413, 'too_large', `The body is larger than ${MAX_BODY_BYTES} bytes.`, 'body');

function parseMessage(body: unknown): { text: string; messageId?: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'invalid_body', 'The body must be a JSON object: { "text": "...", "messageId": "..." }.', 'body');
  const unknown = Object.keys(body).find((k) => k !== 'text' && k !== 'messageId');
  if (unknown !== undefined) throw new HttpError(400, 'invalid_body', `Unknown field "${unknown}": a message has only "text" and "messageId".`, unknown);
  const { text, messageId } = body as { text?: unknown; messageId?: unknown };
  if (typeof text !== 'string') throw new HttpError(400, 'invalid_body', '"text" must be a string.', 'text');
  if (text.trim() === '') throw new HttpError(400, 'invalid_body', '"text" must not be empty.', 'text');
  if ([...text].length > MAX_TEXT_CHARS) throw new HttpError(400, 'invalid_body', `"text" is longer than ${MAX_TEXT_CHARS} characters.`, 'text');
  if (messageId === undefined) return { text };
  if (typeof messageId !== 'string' || !MESSAGE_ID_PATTERN.test(messageId)) {
    throw new HttpError(400, 'invalid_body', '"messageId" must be a string of 1 to 128 letters, digits or . _ : -.', 'messageId');
  }
  return { text, messageId };
}
