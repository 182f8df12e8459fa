// The API over one WebSocket: JSON text frames `{id, method, input}` in, `{id, ok, output}` /
// `{id, ok: false, error}` replies and `{event, payload}` pushes out (see the contract). A bad
// frame gets an error reply and the connection stays usable; nothing a client sends can throw
// out of here.
import type { RawData, WebSocket } from 'ws';
import { API_WS_SIGNED_OUT_CLOSE_CODE, WireRequestSchema, type ApiError, type WireEvent, type WireReply } from '../shared/api-contract';
import type { ApiDispatcher } from '../api/dispatcher';
import { describeIssues } from '../core/zod-issues';
import type { EventHub } from '../app/event-hub';


/** Calls one connection may have running at once; more are answered with an error. */
export const MAX_CALLS_IN_FLIGHT = 64;

export function serveApiSocket(
  socket: WebSocket,
  deps: {
    dispatcher: ApiDispatcher;
    events: EventHub;
    log: (message: string, error?: unknown) => void;
    /** Off loopback: whether the socket's sign-in still holds (`use`: a call, which counts as activity); when not, the socket is closed. */
    stillSignedIn?: (use: boolean) => boolean;
  },
): void {
  let inFlight = 0;
  /** False (and the socket closed) once the session ended: nothing more goes out or is run. */
  const admitted = (use: boolean): boolean => {
    if (deps.stillSignedIn === undefined || deps.stillSignedIn(use)) return true;
    socket.close(API_WS_SIGNED_OUT_CLOSE_CODE, 'signed out');
    return false;
  };
  const send = (frame: WireReply | WireEvent): void => {
    if (socket.readyState !== socket.OPEN) return;
    if (!('id' in frame) && !admitted(false)) return;
    socket.send(JSON.stringify(frame), (error) => {
      if (error) deps.log('A WebSocket send failed:', error);
    });
  };
  const refuse = (id: number | null, error: ApiError): void => send({ id, ok: false, error });

  const unsubscribe = deps.events.on(({ event, payload }) => send({ event, payload }));
  socket.on('close', unsubscribe);
  socket.on('error', (error) => deps.log('WebSocket error:', error));

  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (!admitted(true)) return;
    if (isBinary) return refuse(null, { code: 'INVALID_INPUT', message: 'Frames must be JSON text, not binary.' });
    const text = rawText(data);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return refuse(null, {
        code: 'INVALID_INPUT',
        message: `The frame is not JSON (${error instanceof Error ? error.message.split('\n', 1)[0] : 'parse error'}). Send {"id": number, "method": string, "input": ...}.`,
      });
    }
    const request = WireRequestSchema.safeParse(value);
    if (!request.success) {
      const id = idOf(value);
      return refuse(id, {
        code: 'INVALID_INPUT',
        message: `Not a call: ${describeIssues(request.error.issues, value, 'frame')}. Send {"id": number, "method": string, "input": ...}.`,
      });
    }
    const { id, method, input } = request.data;
    if (inFlight >= MAX_CALLS_IN_FLIGHT) {
      return refuse(id, { code: 'INVALID_INPUT', message: `Too many calls at once (at most ${MAX_CALLS_IN_FLIGHT}); wait for replies first.` });
    }
    inFlight++;
    deps.dispatcher
      .dispatch(method, input)
      .then((result) => send({ id, ...result }))
      .catch((error: unknown) => {
        // dispatch never rejects; kept so a bug cannot become an unhandled rejection.
        deps.log(`API ${method} failed outside the dispatcher:`, error);
        refuse(id, { code: 'INTERNAL', message: `${method} failed.` });
      })
      .finally(() => {
        inFlight--;
      });
  });
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function idOf(value: unknown): number | null {
  if (typeof value !== 'object' || value === null) return null;
  const id = (value as { id?: unknown }).id;
  return typeof id === 'number' && Number.isFinite(id) ? id : null;
}
