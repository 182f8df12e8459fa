// What both LLM adapters share: the per-call signal (timeout + caller's cancel), values
// resolved lazily (keychain secrets), tool-call argument normalization, tool-call ids for
// providers that send none, and removal of a reasoning model's <think> block.
import { createHash } from 'node:crypto';

/** A value given now, or read on first use (e.g. from the keychain), then kept. */
export type Lazy<T> = T | (() => Promise<T>);

/** Memoizes a lazy value; a failed read is not kept, so the next call tries again. */
export function memoize<T>(value: Lazy<T>): () => Promise<T> {
  if (typeof value !== 'function') return () => Promise.resolve(value);
  const read = value as () => Promise<T>;
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= read().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

export interface CallSignal {
  /** Aborts on the timeout or the caller's signal, whichever comes first. */
  signal: AbortSignal;
  timedOut(): boolean;
  cancelled(): boolean;
}

export function callSignal(timeoutMs: number, caller?: AbortSignal): CallSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return {
    signal: caller ? AbortSignal.any([timeout, caller]) : timeout,
    timedOut: () => timeout.aborted && !caller?.aborted,
    cancelled: () => caller?.aborted === true,
  };
}

/**
 * Tool-call arguments as the loop gets them: Ollama sends an object, OpenAI a JSON string.
 * Never throws: text that is not JSON comes back as rawArguments (arguments undefined).
 * An empty string (a tool without parameters, as some servers send it) counts as {}.
 * A JSON string that itself holds a JSON object (double-encoded, seen from some proxies) is
 * unwrapped once.
 */
export function normalizeArguments(value: unknown): { arguments: unknown; rawArguments?: string } {
  if (value === undefined) return { arguments: {} };
  if (typeof value !== 'string') return { arguments: value };
  if (value.trim() === '') return { arguments: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { arguments: undefined, rawArguments: value };
  }
  if (typeof parsed === 'string' && /^\s*\{/.test(parsed)) {
    try {
      return { arguments: JSON.parse(parsed) };
    } catch {
      // Not double-encoded after all: the string is the value.
    }
  }
  return { arguments: parsed };
}

/**
 * An id for a tool call the provider gave none for: derived from the request's messages, the
 * call's position and its content. Unique within a turn (position), different between turns
 * (the history differs), and the same when the same request gets the same reply (replays).
 */
export function toolCallIdFactory(requestMessages: unknown): (index: number, name: string, args: unknown) => string {
  const seed = createHash('sha256').update(JSON.stringify(requestMessages)).digest('hex');
  return (index, name, args) =>
    `call_${createHash('sha256').update(`${seed}\n${index}\n${name}\n${typeof args === 'string' ? args : JSON.stringify(args ?? null)}`).digest('hex').slice(0, 24)}`;
}

const OPEN = '<think>';
const CLOSE = '</think>';

/**
 * Removes a leading <think>…</think> block (reasoning models such as qwen3 or deepseek-r1
 * put it in the reply text on some servers) from a reply, also when it arrives in pieces.
 * Text that does not start with <think> passes through unchanged.
 */
export class ThinkFilter {
  private state: 'start' | 'thinking' | 'after' | 'text' = 'start';
  private buffer = '';

  /** Feeds a piece of the reply; returns the visible text it adds (maybe ''). */
  push(delta: string): string {
    if (this.state === 'text') return delta;
    this.buffer += delta;
    if (this.state === 'start') {
      const head = this.buffer.trimStart();
      if (head === '' || (head.length < OPEN.length && OPEN.startsWith(head))) return '';
      if (!head.startsWith(OPEN)) return this.release('text');
      this.state = 'thinking';
      this.buffer = head.slice(OPEN.length);
    }
    if (this.state === 'thinking') {
      const end = this.buffer.indexOf(CLOSE);
      if (end < 0) {
        this.buffer = this.buffer.slice(-CLOSE.length);
        return '';
      }
      this.state = 'after';
      this.buffer = this.buffer.slice(end + CLOSE.length);
    }
    // 'after': drop the whitespace between the block and the answer.
    this.buffer = this.buffer.trimStart();
    return this.buffer === '' ? '' : this.release('text');
  }

  /** The end of the reply: what is still held back (an unterminated block is dropped). */
  end(): string {
    return this.state === 'start' ? this.release('text') : '';
  }

  private release(state: 'text'): string {
    this.state = state;
    const out = this.buffer;
    this.buffer = '';
    return out;
  }
}

/** Calls a caller's callback; an exception from it is the caller's, not the provider's. */
export class CallbackError extends Error {
  constructor(readonly original: unknown) {
    super('onText callback failed');
  }
}

export function emitText(onText: ((delta: string) => void) | undefined, delta: string): void {
  if (!onText || delta === '') return;
  try {
    onText(delta);
  } catch (error) {
    throw new CallbackError(error);
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Replaces each secret in text by [secret] (a server may echo the API key back). */
export function maskSecrets(text: string, secrets: (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 4) out = out.split(secret).join('[secret]');
  return out;
}

/** ISO 8601 from a Date, a date string, or unix seconds; undefined when absent or unusable. */
export function isoDate(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value === 'string' && value) return value;
  if (typeof value === 'number' && value > 0) return new Date(value * 1000).toISOString();
  return undefined;
}
