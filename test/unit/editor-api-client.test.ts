// The renderer's API client over both carriers, with fakes: the Electron bridge (ApiResult
// envelopes) and a scripted WebSocket (replies by id, events, reconnects).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiCallError, apiSocketUrl, findBridge, ipcClient, wsClient } from '../../src-renderer/api/client';

describe('IPC client (window.flowbot)', () => {
  const bridge = (reply: unknown) => {
    const listeners: ((p: unknown) => void)[] = [];
    return {
      calls: [] as unknown[],
      listeners,
      call(method: string, input: unknown) {
        this.calls.push({ method, input });
        return Promise.resolve(reply);
      },
      on(_event: string, listener: (p: unknown) => void) {
        listeners.push(listener);
        return () => listeners.splice(listeners.indexOf(listener), 1);
      },
    };
  };

  it('finds the bridge only when it offers call and on', () => {
    expect(findBridge({})).toBeUndefined();
    expect(findBridge({ flowbot: { version: '1' } })).toBeUndefined();
    expect(findBridge({ flowbot: bridge(null) })).toBeDefined();
  });

  it('unwraps a result and parses it with the contract', async () => {
    const b = bridge({ ok: true, output: { templates: [{ id: 'faq', name: 'FAQ' }] } });
    await expect(ipcClient(b).call('templates.list', {})).resolves.toEqual({ templates: [{ id: 'faq', name: 'FAQ' }] });
  });

  it('turns an error result into an ApiCallError with its message', async () => {
    const b = bridge({ ok: false, error: { code: 'NOT_FOUND', message: 'There is no flow "x".' } });
    await expect(ipcClient(b).call('flows.get', { id: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'There is no flow "x".' });
  });

  it('refuses an answer that does not match the contract, and an input that does not either (not sent)', async () => {
    await expect(ipcClient(bridge({ ok: true, output: { templates: 'nope' } })).call('templates.list', {})).rejects.toMatchObject({ code: 'BAD_ANSWER' });
    const b = bridge({ ok: true, output: {} });
    // A wrong payload, as a bug would send it (an id the contract refuses).
    await expect(ipcClient(b).call('flows.get', { id: 'Not An Id' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(b.calls).toEqual([]);
  });

  it('passes on only events whose payload matches the contract', () => {
    const b = bridge(null);
    const seen: unknown[] = [];
    const off = ipcClient(b).on('flows.changed', (p) => seen.push(p));
    b.listeners[0]?.({ id: 'faq' });
    b.listeners[0]?.({ nope: true });
    off();
    expect(seen).toEqual([{ id: 'faq' }]);
    expect(b.listeners).toEqual([]);
  });
});

class FakeSocket {
  static readonly OPEN = 1;
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(frame: string) {
    this.sent.push(frame);
  }
  close() {
    this.readyState = 3;
    this.onclose?.();
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  reply(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  lastId(): number {
    return (JSON.parse(this.sent.at(-1)!) as { id: number }).id;
  }
}

describe('WebSocket client (web host)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
  });
  afterEach(() => vi.useRealTimers());
  const make = () => wsClient('ws://127.0.0.1:1/api', { WebSocketImpl: FakeSocket as unknown as typeof WebSocket, callTimeoutMs: 5000 });

  it('off loopback: a socket closed because the sign-in ended fails its calls, stops reconnecting and says so', async () => {
    const onSignedOut = vi.fn();
    const client = wsClient('wss://studio.test/api', { WebSocketImpl: FakeSocket as unknown as typeof WebSocket, onSignedOut });
    const socket = FakeSocket.all[0]!;
    socket.open();
    const call = client.call('flows.list', {});
    (socket.onclose as unknown as (e: { code: number }) => void)({ code: 4401 });
    await expect(call).rejects.toMatchObject({ code: 'DISCONNECTED' });
    expect(onSignedOut).toHaveBeenCalledOnce();
    expect(client.connection()).toBe('closed');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('adopts the early socket: its buffered answer serves the matching call, other calls get their own ids', async () => {
    const early = new FakeSocket('ws://127.0.0.1:1/api');
    early.readyState = 1;
    const doc = { ok: false, file: 'faq.flow.json', problems: [], text: '{' };
    const adopt = vi.fn();
    const client = wsClient('ws://127.0.0.1:1/api', {
      WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
      early: {
        socket: early as unknown as WebSocket,
        buffered: [JSON.stringify({ id: -1, ok: true, output: doc })],
        prefetch: { id: -1, method: 'flows.get', input: { id: 'faq' } },
        adopt,
      },
    });
    expect(FakeSocket.all).toHaveLength(1);
    expect(adopt).toHaveBeenCalledOnce();
    expect(client.connection()).toBe('open');
    await expect(client.call('flows.get', { id: 'faq' })).resolves.toEqual(doc);
    // Used once: the same call again, and any other call, go out with the client's own ids.
    const again = client.call('flows.get', { id: 'faq' });
    expect(early.sent.map((f) => JSON.parse(f) as unknown)).toEqual([{ id: 1, method: 'flows.get', input: { id: 'faq' } }]);
    early.reply({ id: 1, ok: true, output: doc });
    await expect(again).resolves.toEqual(doc);
    client.close();
  });

  it('waits for the early answer when the call comes first, and ignores a prefetch for another flow', async () => {
    const early = new FakeSocket('ws://127.0.0.1:1/api');
    const client = wsClient('ws://127.0.0.1:1/api', {
      WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
      early: { socket: early as unknown as WebSocket, buffered: [], prefetch: { id: -1, method: 'flows.get', input: { id: 'faq' } }, adopt: () => {} },
    });
    const doc = { ok: false, file: 'faq.flow.json', problems: [], text: '{' };
    const waiting = client.call('flows.get', { id: 'faq' });
    const other = client.call('flows.get', { id: 'other' });
    early.open();
    // Only the other call is sent: the early one is already on its way.
    expect(early.sent.map((f) => (JSON.parse(f) as { id: number }).id)).toEqual([1]);
    early.reply({ id: -1, ok: true, output: doc });
    await expect(waiting).resolves.toEqual(doc);
    early.reply({ id: 1, ok: true, output: doc });
    await expect(other).resolves.toEqual(doc);
    client.close();
  });

  it('an early socket that fails before it opens: its request goes out again on the next connection', async () => {
    const early = new FakeSocket('ws://127.0.0.1:1/api');
    const client = wsClient('ws://127.0.0.1:1/api', {
      WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
      maxBackoffMs: 10,
      early: { socket: early as unknown as WebSocket, buffered: [], prefetch: { id: -1, method: 'flows.get', input: { id: 'faq' } }, adopt: () => {} },
    });
    const doc = { ok: false, file: 'faq.flow.json', problems: [], text: '{' };
    const waiting = client.call('flows.get', { id: 'faq' });
    early.close(); // never opened: the host got nothing
    await vi.advanceTimersByTimeAsync(300);
    const next = FakeSocket.all[1]!;
    next.open();
    expect(next.sent.map((f) => JSON.parse(f) as unknown)).toEqual([{ id: -1, method: 'flows.get', input: { id: 'faq' } }]);
    next.reply({ id: -1, ok: true, output: doc });
    await expect(waiting).resolves.toEqual(doc);
    client.close();
  });

  it('uses the page origin for the socket address', () => {
    expect(apiSocketUrl({ protocol: 'http:', host: '127.0.0.1:4000' })).toBe('ws://127.0.0.1:4000/api');
    expect(apiSocketUrl({ protocol: 'https:', host: 'x' })).toBe('wss://x/api');
  });

  it('queues calls until the socket opens, then matches replies by id (in any order)', async () => {
    const client = make();
    const a = client.call('templates.list', {});
    const b = client.call('flows.list', {});
    const socket = FakeSocket.all[0]!;
    expect(socket.sent).toEqual([]);
    socket.open();
    expect(socket.sent.map((f) => JSON.parse(f) as unknown)).toEqual([
      { id: 1, method: 'templates.list', input: {} },
      { id: 2, method: 'flows.list', input: {} },
    ]);
    socket.reply({ id: 2, ok: true, output: { flows: [], broken: [] } });
    socket.reply({ id: 1, ok: false, error: { code: 'INTERNAL', message: 'Templates folder missing.' } });
    await expect(b).resolves.toEqual({ flows: [], broken: [] });
    await expect(a).rejects.toMatchObject({ code: 'INTERNAL', message: 'Templates folder missing.' });
    client.close();
  });

  it('fails calls in flight when the connection drops, reconnects, and works again', async () => {
    const client = make();
    const states: string[] = [];
    client.onConnection((s) => states.push(s));
    FakeSocket.all[0]!.open();
    const lost = client.call('flows.list', {});
    FakeSocket.all[0]!.close();
    await expect(lost).rejects.toBeInstanceOf(ApiCallError);
    await expect(lost).rejects.toMatchObject({ code: 'DISCONNECTED' });
    expect(client.connection()).toBe('closed');
    await vi.advanceTimersByTimeAsync(300);
    expect(FakeSocket.all).toHaveLength(2);
    const later = client.call('templates.list', {});
    FakeSocket.all[1]!.open();
    FakeSocket.all[1]!.reply({ id: FakeSocket.all[1]!.lastId(), ok: true, output: { templates: [] } });
    await expect(later).resolves.toEqual({ templates: [] });
    expect(states).toEqual(['open', 'closed', 'connecting', 'open']);
    client.close();
  });

  it('gives up on a call with no answer, in words', async () => {
    const client = make();
    FakeSocket.all[0]!.open();
    const call = client.call('flows.list', {});
    const settled = expect(call).rejects.toMatchObject({ code: 'TIMEOUT', message: 'Flowbot Studio did not answer in time. Please try again.' });
    await vi.advanceTimersByTimeAsync(5001);
    await settled;
    client.close();
  });

  it('delivers pushed events to their listeners', () => {
    const client = make();
    const seen: unknown[] = [];
    client.on('flows.changed', (p) => seen.push(p));
    FakeSocket.all[0]!.open();
    FakeSocket.all[0]!.reply({ event: 'flows.changed', payload: { id: 'faq' } });
    FakeSocket.all[0]!.reply({ event: 'unknown.event', payload: {} });
    expect(seen).toEqual([{ id: 'faq' }]);
    client.close();
  });
});
