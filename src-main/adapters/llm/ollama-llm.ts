// LlmPort over the official `ollama` client: works unchanged against a local or remote Ollama
// (and against the scripted server the tests start). Every request has a timeout and can be
// cancelled; failures are turned into messages an owner can act on.
//
// Wire format: /api/chat with `tools` ({type:"function", function:{name, description,
// parameters}}); the reply's message.tool_calls carry arguments as objects and (on most
// versions) no ids, so ids are derived (llm-common). Streaming is NDJSON: text pieces, and tool
// calls as whole objects in one or more chunks; both are accumulated.
import { Ollama, type ChatRequest, type Message, type Tool } from 'ollama';
import type { CallOptions, LlmChatOptions, LlmChatRequest, LlmChatResult, LlmPort, LlmPullOptions } from '../../runtime/ports';
import type { LlmMessage, LlmModelInfo, LlmToolCall, LlmToolSpec } from '../../shared/llm-message';
import {
  CallbackError,
  ThinkFilter,
  callSignal,
  emitText,
  isoDate,
  isPlainObject,
  memoize,
  normalizeArguments,
  toolCallIdFactory,
  type CallSignal,
  type Lazy,
} from './llm-common';
import { llmErrors, saysNoToolSupport, serverText, type LlmTarget } from './llm-errors';
import { LlmError } from '../../shared/llm-message';
import { tryParseJson } from '../../shared/try-parse-json';

export interface OllamaLlmOptions {
  host: string;
  model: string;
  /** Extra headers (e.g. for a proxy in front of a remote Ollama); may be read on first use. */
  headers?: Lazy<Record<string, string> | undefined>;
  /** Sent as "Authorization: Bearer …" (ollama.com, or a proxy); may be read on first use. */
  apiKey?: Lazy<string | undefined>;
  /** Where the key comes from, for the message when the host refuses it (never the key itself). */
  apiKeyHint?: string;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 120_000;
const DEFAULT_PULL_IDLE_MS = 120_000;

/** The Ollama adapter: an LlmPort that can also pull models. */
export type OllamaLlm = LlmPort & Required<Pick<LlmPort, 'pull'>>;

export function createOllamaLlm(options: OllamaLlmOptions): OllamaLlm {
  const { host, model } = options;
  const readAuth = memoize(async () => {
    const [headers, apiKey] = await Promise.all([memoize(options.headers)(), memoize(options.apiKey)()]);
    return {
      headers: { ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}), ...headers },
      secrets: [apiKey, ...Object.values(headers ?? {})],
    };
  });

  async function connect(opts: CallOptions) {
    const timeoutMs = opts.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const call = callSignal(timeoutMs, opts.signal);
    const target: LlmTarget = { label: `Ollama at ${host}`, model, secrets: [] };
    if (call.cancelled()) throw llmErrors.cancelled(target);
    // Outside the error translation: a missing keychain secret explains itself.
    const auth = await readAuth();
    target.secrets = auth.secrets;
    const client = new Ollama({
      host,
      ...(Object.keys(auth.headers).length ? { headers: auth.headers } : {}),
      fetch: boundFetch(call.signal),
    });
    return { client, call, target, timeoutMs };
  }

  return {
    async chat(request: LlmChatRequest, opts: LlmChatOptions = {}): Promise<LlmChatResult> {
      const { client, call, target, timeoutMs } = await connect(opts);
      const messages = request.messages.map(toOllamaMessage);
      const tools = request.tools?.length ? request.tools.map(toOllamaTool) : undefined;
      const body: ChatRequest = { model, messages, ...(tools ? { tools } : {}) };
      const think = new ThinkFilter();
      const phase = { streaming: false };
      try {
        if (!opts.onText) {
          const response = await client.chat({ ...body, stream: false });
          const message = response?.message as unknown;
          const calls = isPlainObject(message) && Array.isArray(message.tool_calls) ? message.tool_calls : [];
          if (!isPlainObject(message) || (typeof message.content !== 'string' && !calls.length)) {
            throw llmErrors.malformed(target, 'sent a reply without message text');
          }
          const content = typeof message.content === 'string' ? message.content : '';
          return { text: think.push(content) + think.end(), toolCalls: toToolCalls(calls, messages) };
        }
        const stream = await client.chat({ ...body, stream: true });
        phase.streaming = true;
        let text = '';
        let sawMessage = false;
        const calls: unknown[] = [];
        const emit = (piece: string) => {
          text += piece;
          emitText(opts.onText, piece);
        };
        for await (const part of stream) {
          const message = (part as { message?: unknown })?.message;
          if (!isPlainObject(message)) continue;
          sawMessage = true;
          if (typeof message.content === 'string' && message.content) emit(think.push(message.content));
          if (Array.isArray(message.tool_calls)) calls.push(...message.tool_calls);
        }
        emit(think.end());
        if (!sawMessage) throw llmErrors.malformed(target, 'sent a reply without message text');
        return { text, toolCalls: toToolCalls(calls, messages) };
      } catch (error) {
        throw explain(error, { target, call, timeoutMs, streaming: phase.streaming, options });
      }
    },

    async listModels(opts: CallOptions = {}): Promise<LlmModelInfo[]> {
      const { client, call, target, timeoutMs } = await connect(opts);
      try {
        const response = (await client.list()) as unknown;
        const models = isPlainObject(response) ? response.models : undefined;
        if (!Array.isArray(models)) throw llmErrors.malformed(target, 'sent a model list that is not in Ollama\'s format (GET /api/tags)');
        return models.filter(isPlainObject).map((m) => {
          const modifiedAt = isoDate(m.modified_at);
          return {
            name: String(m.name ?? m.model ?? ''),
            ...(typeof m.size === 'number' ? { size: m.size } : {}),
            ...(modifiedAt ? { modifiedAt } : {}),
          };
        });
      } catch (error) {
        throw explain(error, { target, call, timeoutMs, streaming: false, options });
      }
    },

    /**
     * POST /api/pull, streamed: each NDJSON line ({status, digest?, total?, completed?}) goes to
     * onProgress; the client ends at {"status":"success"} and throws on {"error"} or a stream
     * that stops without success. Bounded by inactivity, not by total time.
     */
    async pull(name: string, opts: LlmPullOptions): Promise<void> {
      const idleMs = opts.idleTimeoutMs ?? DEFAULT_PULL_IDLE_MS;
      const target: LlmTarget = { label: `Ollama at ${host}`, model: name, secrets: [] };
      if (opts.signal?.aborted) throw llmErrors.cancelled(target);
      const idle = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => idle.abort(), idleMs);
      };
      const signal = opts.signal ? AbortSignal.any([idle.signal, opts.signal]) : idle.signal;
      const call: CallSignal = { signal, timedOut: () => idle.signal.aborted && !opts.signal?.aborted, cancelled: () => opts.signal?.aborted === true };
      const auth = await readAuth();
      target.secrets = auth.secrets;
      const client = new Ollama({ host, ...(Object.keys(auth.headers).length ? { headers: auth.headers } : {}), fetch: boundFetch(signal) });
      arm();
      try {
        const stream = await client.pull({ model: name, stream: true });
        for await (const part of stream as AsyncIterable<unknown>) {
          arm();
          if (!isPlainObject(part) || typeof part.status !== 'string') continue;
          opts.onProgress({
            status: part.status,
            ...(typeof part.digest === 'string' && part.digest ? { digest: part.digest } : {}),
            ...(typeof part.total === 'number' ? { total: part.total } : {}),
            ...(typeof part.completed === 'number' ? { completed: part.completed } : {}),
          });
        }
      } catch (error) {
        if (call.cancelled()) throw llmErrors.cancelled(target);
        if (call.timedOut()) throw new LlmError('timeout', `Ollama at ${host} sent nothing for ${Math.round(idleMs / 1000)} s while pulling "${name}"; the download was stopped. Try again.`);
        const message = (error as { message?: unknown })?.message;
        if (typeof message === 'string' && /manifest|file does not exist|not found/i.test(message)) {
          throw new LlmError('model_missing', `Ollama at ${host} cannot pull "${name}": ${serverText(target, message)}. Check the name (e.g. qwen3:4b) in the Ollama library.`);
        }
        throw explain(error, { target, call, timeoutMs: idleMs, streaming: true, options });
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/**
 * fetch bound to this call's signal (the client passes none for non-streamed requests), and
 * every error body turned into Ollama's {"error": "text"}: the client logs non-JSON bodies to
 * stdout (which would corrupt `flowbot chat --json`) and shows an object as "[object Object]"
 * (a proxy or an OpenAI-style server answering {"error": {"message": …}}).
 */
function boundFetch(signal: AbortSignal): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
    if (response.ok) return response;
    const text = (await response.text()).trim();
      const body = tryParseJson(text);
    const error = isPlainObject(body) ? body.error : undefined;
    const message =
      typeof error === 'string' ? error : isPlainObject(error) && typeof error.message === 'string' ? error.message : text;
    return new Response(JSON.stringify({ error: message || `HTTP ${response.status} ${response.statusText}`.trim() }), {
      status: response.status,
      statusText: response.statusText,
      headers: { 'content-type': 'application/json' },
    });
  };
}

function toOllamaTool(tool: LlmToolSpec): Tool {
  return {
    type: 'function',
    function: { name: tool.name, ...(tool.description ? { description: tool.description } : {}), parameters: tool.parameters as Tool['function']['parameters'] },
  };
}

/** Ollama's message shape, with the fields newer versions read (tool call ids) that the client's types lack. */
type WireMessage = Message & { tool_call_id?: string; tool_calls?: (NonNullable<Message['tool_calls']>[number] & { id?: string })[] };

function toOllamaMessage(message: LlmMessage): WireMessage {
  switch (message.role) {
    case 'tool':
      return { role: 'tool', content: message.content, tool_name: message.name, tool_call_id: message.toolCallId };
    case 'assistant':
      if (!message.toolCalls?.length) return { role: 'assistant', content: message.content };
      return {
        role: 'assistant',
        content: message.content,
        // Ollama only takes objects here: a call whose arguments were not JSON is sent with {}
        // (the tool message that answers it says what was wrong).
        tool_calls: message.toolCalls.map((call) => ({
          id: call.id,
          function: { name: call.name, arguments: isPlainObject(call.arguments) ? call.arguments : {} },
        })),
      };
    default:
      return { role: message.role, content: message.content };
  }
}

function toToolCalls(calls: unknown[], requestMessages: unknown): LlmToolCall[] {
  if (!calls.length) return [];
  const idFor = toolCallIdFactory(requestMessages);
  return calls.map((call, index) => {
    const c = isPlainObject(call) ? call : {};
    const fn = isPlainObject(c.function) ? c.function : {};
    const name = typeof fn.name === 'string' ? fn.name : '';
    const args = normalizeArguments(fn.arguments);
    const id = typeof c.id === 'string' && c.id ? c.id : idFor(index, name, args.rawArguments ?? args.arguments);
    return { id, name, ...args };
  });
}

interface ExplainContext {
  target: LlmTarget;
  call: CallSignal;
  timeoutMs: number;
  streaming: boolean;
  options: OllamaLlmOptions;
}

function explain(error: unknown, ctx: ExplainContext): Error {
  const { target, call, options } = ctx;
  if (error instanceof CallbackError) return error.original instanceof Error ? error.original : new Error(String(error.original));
  if (call.cancelled()) return llmErrors.cancelled(target);
  if (call.timedOut()) return llmErrors.timedOut(target, ctx.timeoutMs);
  if (error instanceof Error && error.name === 'LlmError') return error;
  const err = (error ?? {}) as { name?: string; status_code?: number; message?: string; cause?: { code?: string } };
  const message = err.message ?? String(error);
  const status = err.status_code;
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return llmErrors.timedOut(target, ctx.timeoutMs);
  if (saysNoToolSupport(message)) return llmErrors.noToolSupport(target, status);
  if (/model .*not found|not found.*pull/i.test(message)) {
    return llmErrors.modelMissing(target, 'is not installed on', `Install it with: ollama pull ${options.model}`, status);
  }
  if (status === 404) {
    return llmErrors.noApi(target, message, "Check llm.host: it is Ollama's address without a path, e.g. http://127.0.0.1:11434");
  }
  const code = err.cause?.code ?? '';
  if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN'].includes(code) || /fetch failed/i.test(message)) {
    return llmErrors.unreachable(target, 'Is it running? (start it with: ollama serve)');
  }
  if (status === 401 || status === 403) {
    return llmErrors.auth(target, status, `check ${options.apiKeyHint ?? 'llm.apiKey and llm.headers'} (a remote Ollama or a proxy in front of it may need a key).`);
  }
  if (status === 429) return llmErrors.rateLimited(target, undefined, message);
  if (status) return llmErrors.http(target, status, message);
  if (/did not receive done/i.test(message)) return llmErrors.malformed(target, 'ended its streamed reply before it was done');
  if (ctx.streaming && !(error instanceof SyntaxError)) return llmErrors.streamError(target, message);
  return llmErrors.failed(target, message);
}
