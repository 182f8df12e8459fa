// The renderer's one API client (the contract's ApiClient), over whichever carrier exists:
// - in the desktop app, the preload's `window.flowbot.call/on` (Electron IPC);
// - in a browser (the web host), a WebSocket to /api on the same origin, offering the tab's
//   access token as a subprotocol (access-token.ts; never a cookie).
// Inputs are checked against the contract before they are sent and outputs are parsed with the
// contract's schemas when they arrive (never cast). Failures become ApiCallError with a message
// a person can act on. The WebSocket reconnects by itself.
import { z } from 'zod';
import {
  apiEvents,
  API_WS_SIGNED_OUT_CLOSE_CODE,
  ApiErrorSchema,
  apiMethods,
  type ApiClient,
  type ApiErrorCode,
  type ApiEvent,
  type ApiEventPayload,
  type ApiInput,
  type ApiMethod,
  type ApiMethods,
  type ApiOutput,
} from '../../src-main/shared/api-contract';
import type { OwnerText } from '../../src-main/shared/owner-text';
import type { RunBlocker } from '../../src-main/shared/run-blocker';
import { i18n } from '../i18n';
import { refusalText } from '../i18n/run-blocker-text';
import { takeEarlySocket, type EarlySocket } from './early-socket-handoff';
import { accessToken, apiProtocols } from './access-token';

export type ClientErrorCode = ApiErrorCode | 'DISCONNECTED' | 'TIMEOUT' | 'BAD_ANSWER';

/**
 * A failed call as the renderer sees it: the API's codes plus the client's own (the connection
 * dropped, no answer in time, an answer that does not parse). The message is for people.
 */
export class ApiCallError extends Error {
  readonly code: ClientErrorCode;
  /** The message as a catalogue key, when the app gave one (shown in the studio's language). */
  readonly text: OwnerText | undefined;
  /** Why a flow may not run, when that is what the call refused; `text` is then the first line. */
  readonly blockers: readonly RunBlocker[] | undefined;
  constructor(code: ClientErrorCode, message: string, text?: OwnerText, blockers?: readonly RunBlocker[]) {
    super(message);
    this.name = 'ApiCallError';
    this.code = code;
    this.text = text;
    this.blockers = blockers;
  }
}

/** Words for people, whatever was thrown. */
export function userMessage(error: unknown): string {
  if (error instanceof ApiCallError) return refusalText(error.message, error.text, error.blockers);
  if (error instanceof Error && error.message) return error.message;
  return i18n.t('common:errors.somethingWrong');
}

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface StudioClient extends ApiClient {
  readonly connection: () => ConnectionState;
  onConnection(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}

const disconnected = () => i18n.t('common:app.reconnecting');
const CALL_TIMEOUT_MS = 30_000;
/** Calls that legitimately take longer than one answer (a test case replays a whole conversation). */
const LONG_CALL_TIMEOUT_MS: Partial<Record<ApiMethod, number>> = { 'tests.run': 5 * 60_000 };

function checkInput<M extends ApiMethod>(method: M, input: ApiInput<M>): void {
  const parsed = apiMethods[method].input.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first && first.path.length ? ` (${first.path.map(String).join('.')})` : '';
    throw new ApiCallError('INVALID_INPUT', i18n.t('common:errors.incomplete', { where, reason: first?.message ?? i18n.t('common:errors.invalid') }));
  }
}

function parseOutput<M extends ApiMethod>(method: M, raw: unknown): ApiOutput<M> {
  const schema: ApiMethods[M]['output'] = apiMethods[method]['output'];
  try {
    // Parsed by exactly this method's output schema; TypeScript cannot relate the generic index
    // to z.output on its own, so this one assertion states what the parse guarantees.
    return z.parse(schema, raw) as ApiOutput<M>;
  } catch {
    throw new ApiCallError('BAD_ANSWER', i18n.t('common:errors.badAnswerPage', { method }));
  }
}

function parseEvent<E extends ApiEvent>(event: E, raw: unknown): ApiEventPayload<E> | undefined {
  const schema: (typeof apiEvents)[E] = apiEvents[event];
  const parsed = z.safeParse(schema, raw);
  // Parsed by exactly this event's schema (as in parseOutput: TypeScript cannot relate the generic index itself).
  return parsed.success ? (parsed.data as ApiEventPayload<E>) : undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEvent = (name: unknown): name is ApiEvent => typeof name === 'string' && Object.hasOwn(apiEvents, name);

function toCallError(error: unknown): ApiCallError {
  if (error instanceof ApiCallError) return error;
  const shaped = ApiErrorSchema.safeParse(error);
  if (shaped.success) return new ApiCallError(shaped.data.code, shaped.data.message, shaped.data.text, shaped.data.blockers);
  if (isRecord(error) && isRecord(error.error)) {
    const inner = ApiErrorSchema.safeParse(error.error);
    if (inner.success) return new ApiCallError(inner.data.code, inner.data.message, inner.data.text, inner.data.blockers);
  }
  const message = error instanceof Error ? error.message.replace(/^Error invoking remote method '[^']+': (?:\w*Error: )?/, '') : String(error);
  return new ApiCallError('INTERNAL', message || i18n.t('common:errors.somethingWrong'));
}

// --- Electron: the preload's bridge -------------------------------------------------------------

/** What the renderer needs of `window.flowbot` (the contract's FlowbotBridge), checked at run time. */
interface Bridge {
  call(method: string, input: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): unknown;
}

function isBridge(value: unknown): value is Bridge {
  return isRecord(value) && typeof value.call === 'function' && typeof value.on === 'function';
}

/** `window.flowbot` when the preload exposes the API, else undefined (a plain browser). */
export function findBridge(scope: object = globalThis): Bridge | undefined {
  const candidate: unknown = Reflect.get(scope, 'flowbot');
  return isBridge(candidate) ? candidate : undefined;
}

/** The bridge resolves every call to an ApiResult (`{ok, output}` or `{ok: false, error}`). */
const BridgeResultSchema = z.union([
  z.object({ ok: z.literal(true), output: z.unknown() }),
  z.object({ ok: z.literal(false), error: ApiErrorSchema }),
]);

export function ipcClient(bridge: Bridge): StudioClient {
  return {
    async call(method, input) {
      checkInput(method, input);
      let raw: unknown;
      try {
        raw = await bridge.call(method, input);
      } catch (error) {
        throw toCallError(error);
      }
      const result = BridgeResultSchema.safeParse(raw);
      if (!result.success) throw new ApiCallError('BAD_ANSWER', i18n.t('common:errors.badAnswerApp', { method }));
      if (!result.data.ok) {
        const { code, message, text, blockers } = result.data.error;
        throw new ApiCallError(code, message, text, blockers);
      }
      return parseOutput(method, result.data.output);
    },
    on(event, listener) {
      const off = bridge.on(event, (payload) => {
        const parsed = parseEvent(event, payload);
        if (parsed !== undefined) listener(parsed);
      });
      return () => {
        if (typeof off === 'function') off();
      };
    },
    connection: () => 'open',
    onConnection: () => () => {},
    close: () => {},
  };
}

// --- Browser: WebSocket to the web host ---------------------------------------------------------

interface Pending {
  method: ApiMethod;
  resolve(raw: unknown): void;
  reject(error: ApiCallError): void;
  timer: ReturnType<typeof setTimeout>;
  frame: string;
  sent: boolean;
}

export interface WsClientOptions {
  /** For tests: a WebSocket constructor. */
  WebSocketImpl?: typeof WebSocket;
  callTimeoutMs?: number;
  maxBackoffMs?: number;
  /** A socket public/early-socket.js opened before the app started (and the flow it already asked for). */
  early?: EarlySocket;
  /** The subprotocols each new socket offers (read at every connect: the web host's access token). */
  protocols?: () => string[];
  /** The host closed the socket because the sign-in ended (off loopback): no reconnecting then. */
  onSignedOut?: () => void;
}

export function apiSocketUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api`;
}

export function wsClient(url: string, options: WsClientOptions = {}): StudioClient {
  const WS = options.WebSocketImpl ?? WebSocket;
  const timeoutMs = options.callTimeoutMs ?? CALL_TIMEOUT_MS;
  const maxBackoff = options.maxBackoffMs ?? 5000;
  const pending = new Map<number, Pending>();
  const listeners = new Map<ApiEvent, Set<(payload: unknown) => void>>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let state: ConnectionState = 'connecting';
  let backoff = 250;
  let closed = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let early = options.early;
  /** The early socket's request, until a call asks for exactly it; its reply, if it came first. */
  let prefetch = early?.prefetch ? { ...early.prefetch, key: JSON.stringify(early.prefetch.input), reply: undefined as unknown } : undefined;

  const setState = (next: ConnectionState) => {
    if (state === next) return;
    state = next;
    for (const l of connectionListeners) l(next);
  };

  const flush = () => {
    if (!socket || socket.readyState !== WS.OPEN) return;
    for (const p of pending.values()) {
      if (!p.sent) {
        socket.send(p.frame);
        p.sent = true;
      }
    }
  };

  const onMessage = (data: unknown) => {
    if (typeof data !== 'string') return;
    let msg: unknown;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    handle(msg);
  };

  const handle = (msg: unknown) => {
    if (!isRecord(msg)) return;
    if (typeof msg.id === 'number') {
      const p = pending.get(msg.id);
      if (!p && prefetch && msg.id === prefetch.id) prefetch.reply = msg;
      if (!p) return;
      pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.ok === true) p.resolve(msg.output);
      else p.reject(toCallError(msg.error ?? { code: 'INTERNAL', message: i18n.t('common:errors.requestFailed') }));
      return;
    }
    if (isEvent(msg.event)) {
      for (const l of listeners.get(msg.event) ?? []) l(msg.payload);
    }
  };

  const connect = () => {
    if (closed) return;
    setState('connecting');
    let ws: WebSocket;
    const adopted = early && early.socket.readyState <= WS.OPEN ? early : undefined;
    early = undefined;
    if (adopted) {
      ws = adopted.socket;
    } else {
      prefetch = undefined;
      try {
        ws = options.protocols ? new WS(url, options.protocols()) : new WS(url);
      } catch {
        scheduleReconnect();
        return;
      }
    }
    socket = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      backoff = 250;
      setState('open');
      flush();
    };
    ws.onmessage = (e: MessageEvent) => onMessage(e.data);
    ws.onclose = (event: CloseEvent) => {
      if (socket !== ws) return;
      socket = null;
      if (event?.code === API_WS_SIGNED_OUT_CLOSE_CODE && options.onSignedOut) {
        closed = true;
        for (const [id, p] of pending) {
          pending.delete(id);
          clearTimeout(p.timer);
          p.reject(new ApiCallError('DISCONNECTED', disconnected()));
        }
        setState('closed');
        options.onSignedOut();
        return;
      }
      // Calls already sent may or may not have run: they fail (the caller retries if it is safe);
      // calls not yet sent wait for the next connection.
      for (const [id, p] of pending) {
        // A socket that never opened carried nothing to the host (the early socket's request
        // included): those calls go out again on the next connection.
        if (p.sent && !opened) p.sent = false;
        if (p.sent) {
          pending.delete(id);
          clearTimeout(p.timer);
          p.reject(new ApiCallError('DISCONNECTED', disconnected()));
        }
      }
      setState('closed');
      scheduleReconnect();
    };
    ws.onerror = () => {
      /* onclose follows */
    };
    if (adopted) {
      adopted.adopt();
      for (const frame of adopted.buffered.splice(0)) onMessage(frame);
      if (ws.readyState === WS.OPEN) ws.onopen(new Event('open'));
    }
  };

  const scheduleReconnect = () => {
    if (closed || reconnectTimer) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      connect();
    }, backoff);
    backoff = Math.min(backoff * 2, maxBackoff);
  };

  connect();

  return {
    call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
      try {
        checkInput(method, input);
      } catch (error) {
        return Promise.reject(toCallError(error));
      }
      if (closed) return Promise.reject(new ApiCallError('DISCONNECTED', i18n.t('common:errors.closing')));
      const early = prefetch && prefetch.method === method && prefetch.key === JSON.stringify(input) ? prefetch : undefined;
      if (prefetch && early) prefetch = undefined;
      const id = early ? early.id : nextId++;
      return new Promise<unknown>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(
            new ApiCallError(
              state === 'open' ? 'TIMEOUT' : 'DISCONNECTED',
              state === 'open' ? i18n.t('common:errors.timeout') : i18n.t('common:errors.unreachable'),
            ),
          );
        }, Math.max(timeoutMs, LONG_CALL_TIMEOUT_MS[method] ?? 0));
        pending.set(id, { method, resolve, reject, timer, frame: JSON.stringify({ id, method, input }), sent: early !== undefined });
        // Asked for before the app started (public/early-socket.js): answered already, or on its way.
        if (early?.reply !== undefined) handle(early.reply);
        else flush();
      }).then((raw) => parseOutput(method, raw));
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const wrapped = (payload: unknown) => {
        const parsed = parseEvent(event, payload);
        if (parsed !== undefined) listener(parsed);
      };
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
    connection: () => state,
    onConnection(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
    close() {
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      socket?.close();
      socket = null;
    },
  };
}

/** The client for this window: IPC in the desktop app, the WebSocket in a browser. */
export function createApiClient(): StudioClient {
  const bridge = findBridge();
  if (bridge) return ipcClient(bridge);
  const early = takeEarlySocket();
  return wsClient(apiSocketUrl(window.location), {
    protocols: () => apiProtocols(accessToken()),
    // The remote host's sign-in page (src-main/web/remote/sign-in-page.ts SIGN_IN_PATH), saying the session ended.
    onSignedOut: () => window.location.assign('/signin?ended'),
    ...(early ? { early } : {}),
  });
}
