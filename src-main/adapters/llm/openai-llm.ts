// LlmPort over the official `openai` client, for any OpenAI-compatible chat-completions
// endpoint: OpenAI itself, vLLM, LM Studio's server, llama.cpp's server, Ollama's /v1.
//
// Wire format: POST {baseUrl}/chat/completions with `tools` ({type:"function", function:{name,
// description, parameters}}); tool calls come back with ids and JSON-string arguments, and when
// streamed (SSE) as deltas keyed by `index` whose argument pieces are concatenated.
// GET {baseUrl}/models lists the models.
//
// Retries: maxRetries is 0. The client's retry sleep does not listen to the AbortSignal (a
// cancel during a 429 Retry-After wait would hang up to a minute), each retry gets a fresh
// per-attempt timeout (so the owner's llm.timeoutMs would no longer bound the call), a local
// server that answers 500 has usually run out of memory (a retry doubles the load), and an
// owner offline with a local server should hear "cannot reach" at once, not after backoff. A
// failed model call is cheap to repeat one level up, where the whole turn's budget is known.
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { CallOptions, LlmChatOptions, LlmChatRequest, LlmChatResult, LlmPort } from '../../runtime/ports';
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
import { tryParseJson } from '../../shared/try-parse-json';

export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

export interface OpenAiLlmOptions {
  /** The API's base URL, usually ending in /v1 (default https://api.openai.com/v1). */
  baseUrl?: string;
  model: string;
  /** The API key (e.g. from the keychain), read on first use. Absent: local servers that need none. */
  apiKey?: Lazy<string | undefined>;
  /** Where the key comes from, for the message when the server refuses it (never the key itself). */
  apiKeyHint?: string;
  headers?: Lazy<Record<string, string> | undefined>;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 120_000;
/** Sent when no key is configured: the client requires one, and servers that need none ignore it. */
const NO_KEY = 'no-api-key';

export function createOpenAiLlm(options: OpenAiLlmOptions): LlmPort {
  const baseUrl = (options.baseUrl ?? DEFAULT_OPENAI_BASE_URL).replace(/\/+$/, '');
  const { model } = options;
  const label = /^https:\/\/api\.openai\.com(\/|$)/.test(baseUrl) ? `OpenAI at ${baseUrl}` : `the OpenAI-compatible server at ${baseUrl}`;
  const timeoutDefault = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  const connect = memoize(async () => {
    const [apiKey, headers] = await Promise.all([memoize(options.apiKey)(), memoize(options.headers)()]);
    const client = new OpenAI({
      baseURL: baseUrl,
      apiKey: apiKey || NO_KEY,
      // Nothing from the process environment (OPENAI_ORG_ID, OPENAI_ADMIN_KEY, …): the config decides.
      organization: null,
      project: null,
      adminAPIKey: null,
      webhookSecret: null,
      ...(headers && Object.keys(headers).length ? { defaultHeaders: headers } : {}),
      timeout: timeoutDefault,
      maxRetries: 0,
      logLevel: 'off',
      fetch: normalizingFetch,
    });
    return { client, hasKey: Boolean(apiKey), secrets: [apiKey, ...Object.values(headers ?? {})] };
  });

  async function begin(opts: CallOptions) {
    const timeoutMs = opts.timeoutMs ?? timeoutDefault;
    const call = callSignal(timeoutMs, opts.signal);
    const target: LlmTarget = { label, model, secrets: [] };
    if (call.cancelled()) throw llmErrors.cancelled(target);
    // Outside the error translation: a missing keychain secret explains itself.
    const { client, hasKey, secrets } = await connect();
    target.secrets = secrets;
    const ctx: ExplainContext = { target, call, timeoutMs, baseUrl, hasKey, hadTools: false, listing: false, apiKeyHint: options.apiKeyHint };
    return { client, ctx, requestOptions: { signal: call.signal, timeout: timeoutMs, maxRetries: 0 } };
  }

  return {
    async chat(request: LlmChatRequest, opts: LlmChatOptions = {}): Promise<LlmChatResult> {
      const { client, ctx, requestOptions } = await begin(opts);
      const messages = request.messages.map(toOpenAiMessage);
      const tools = request.tools?.length ? request.tools.map(toOpenAiTool) : undefined;
      ctx.hadTools = Boolean(tools);
      const body = { model, messages, ...(tools ? { tools } : {}) };
      const think = new ThinkFilter();
      try {
        if (!opts.onText) {
          const completion = (await client.chat.completions.create({ ...body, stream: false }, requestOptions)) as unknown;
          const choice = isPlainObject(completion) && Array.isArray(completion.choices) ? completion.choices[0] : undefined;
          if (!isPlainObject(choice) || !isPlainObject(choice.message)) throw noChoices(ctx.target, completion);
          const message = choice.message;
          const content = typeof message.content === 'string' ? message.content : typeof message.refusal === 'string' ? message.refusal : '';
          const calls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
          return { text: think.push(content) + think.end(), toolCalls: toToolCalls(calls.map(fromWholeCall), messages) };
        }

        const stream = await client.chat.completions.create({ ...body, stream: true }, requestOptions);
        let text = '';
        let sawChoice = false;
        const calls = new ToolCallDeltas();
        const emit = (piece: string) => {
          text += piece;
          emitText(opts.onText, piece);
        };
        for await (const chunk of stream as AsyncIterable<unknown>) {
          if (!isPlainObject(chunk)) continue;
          if (isPlainObject(chunk.error)) throw llmErrors.streamError(ctx.target, String(chunk.error.message ?? ''));
          const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
          if (!isPlainObject(choice)) continue;
          sawChoice = true;
          // Some servers put a whole `message` in stream chunks instead of a `delta`.
          const delta = isPlainObject(choice.delta) ? choice.delta : isPlainObject(choice.message) ? choice.message : {};
          if (typeof delta.content === 'string' && delta.content) emit(think.push(delta.content));
          if (Array.isArray(delta.tool_calls)) for (const piece of delta.tool_calls) calls.add(piece);
        }
        // The client ends an aborted stream quietly: the signal says whether it was cut short.
        if (ctx.call.signal.aborted) throw ctx.call.signal.reason;
        emit(think.end());
        if (!sawChoice) throw llmErrors.malformed(ctx.target, 'sent a streamed reply without choices');
        return { text, toolCalls: toToolCalls(calls.list(), messages) };
      } catch (error) {
        throw explain(error, ctx);
      }
    },

    async listModels(opts: CallOptions = {}): Promise<LlmModelInfo[]> {
      const { client, ctx, requestOptions } = await begin(opts);
      ctx.listing = true;
      try {
        const page = await client.models.list(requestOptions);
        const data = (page as { data?: unknown }).data;
        // The client turns a body without `data` into an empty list: only a real list says "list".
        if (!Array.isArray(data) || (!data.length && (page as { object?: unknown }).object !== 'list')) {
          throw llmErrors.malformed(ctx.target, `sent a model list that is not in the OpenAI format (GET ${baseUrl}/models)`);
        }
        return data.filter(isPlainObject).map((m) => {
          const modifiedAt = isoDate(m.created);
          return { name: String(m.id ?? ''), ...(modifiedAt ? { modifiedAt } : {}) };
        });
      } catch (error) {
        throw explain(error, ctx);
      }
    },
  };
}

/**
 * Error bodies in the shapes servers really send, turned into OpenAI's {"error": {...}} so the
 * client keeps the message: vLLM's (older) top-level {"object":"error","message",…} and
 * FastAPI's {"detail": …}.
 */
const normalizingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  if (response.ok || !(response.headers.get('content-type') ?? '').includes('json')) return response;
  const text = await response.text();
  const body = tryParseJson(text);
  let normalized = text;
  if (isPlainObject(body) && !('error' in body)) {
    const message = typeof body.message === 'string' ? body.message : typeof body.detail === 'string' ? body.detail : undefined;
    if (message !== undefined) {
      normalized = JSON.stringify({ error: { message, type: body.type ?? null, param: body.param ?? null, code: body.code ?? null } });
    }
  }
  return new Response(normalized, { status: response.status, statusText: response.statusText, headers: response.headers });
};

function toOpenAiTool(tool: LlmToolSpec): ChatCompletionTool {
  return {
    type: 'function',
    function: { name: tool.name, ...(tool.description ? { description: tool.description } : {}), parameters: tool.parameters },
  };
}

function toOpenAiMessage(message: LlmMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
    case 'assistant':
      if (!message.toolCalls?.length) return { role: 'assistant', content: message.content };
      return {
        role: 'assistant',
        content: message.content || null,
        // Arguments that were not a JSON object are sent as {}: some servers parse this field
        // to render their chat template and refuse the whole request otherwise. The tool
        // message answering the call says what was wrong.
        tool_calls: message.toolCalls.map((call) => ({
          id: call.id,
          type: 'function' as const,
          function: { name: call.name, arguments: JSON.stringify(isPlainObject(call.arguments) ? call.arguments : {}) },
        })),
      };
    default:
      return { role: message.role, content: message.content };
  }
}

interface RawCall {
  index: number;
  id?: string;
  name: string;
  /** The argument text as sent (JSON string), or an object from a server that sends one. */
  arguments: unknown;
}

function fromWholeCall(call: unknown, index: number): RawCall {
  const c = isPlainObject(call) ? call : {};
  const fn = isPlainObject(c.function) ? c.function : {};
  return { index, ...(typeof c.id === 'string' && c.id ? { id: c.id } : {}), name: typeof fn.name === 'string' ? fn.name : '', arguments: fn.arguments };
}

/** Streamed tool-call deltas, accumulated by `index` (name replaced, argument pieces appended). */
class ToolCallDeltas {
  private readonly byIndex = new Map<number, RawCall & { text: string; object?: unknown }>();
  private last: (RawCall & { text: string; object?: unknown }) | undefined;

  add(piece: unknown): void {
    if (!isPlainObject(piece)) return;
    const id = typeof piece.id === 'string' && piece.id ? piece.id : undefined;
    let index: number;
    if (typeof piece.index === 'number') index = piece.index;
    // No index (some servers): a new id starts a new call, anything else continues the last one.
    else if (!this.last || (id && ![...this.byIndex.values()].some((c) => c.id === id))) index = this.byIndex.size;
    else index = this.last.index;
    let entry = this.byIndex.get(index);
    if (!entry) {
      entry = { index, name: '', arguments: undefined, text: '' };
      this.byIndex.set(index, entry);
    }
    this.last = entry;
    if (id) entry.id = id;
    const fn = isPlainObject(piece.function) ? piece.function : {};
    if (typeof fn.name === 'string' && fn.name) entry.name = fn.name;
    if (typeof fn.arguments === 'string') entry.text += fn.arguments;
    else if (fn.arguments !== undefined && fn.arguments !== null) entry.object = fn.arguments;
  }

  list(): RawCall[] {
    return [...this.byIndex.values()]
      .sort((a, b) => a.index - b.index)
      .map((c) => ({ index: c.index, ...(c.id ? { id: c.id } : {}), name: c.name, arguments: c.object !== undefined && c.text === '' ? c.object : c.text }));
  }
}

function toToolCalls(calls: RawCall[], requestMessages: unknown): LlmToolCall[] {
  if (!calls.length) return [];
  const idFor = toolCallIdFactory(requestMessages);
  return calls.map((call, position) => {
    const args = normalizeArguments(call.arguments);
    return { id: call.id ?? idFor(position, call.name, args.rawArguments ?? args.arguments), name: call.name, ...args };
  });
}

function noChoices(target: LlmTarget, body: unknown): Error {
  if (isPlainObject(body) && isPlainObject(body.error)) return llmErrors.streamError(target, String(body.error.message ?? ''));
  if (typeof body === 'string') return llmErrors.malformed(target, 'sent a reply that is not JSON (is llm.baseUrl the API, e.g. ending in /v1?)');
  return llmErrors.malformed(target, 'sent a reply without choices');
}

interface ExplainContext {
  target: LlmTarget;
  call: CallSignal;
  timeoutMs: number;
  baseUrl: string;
  hasKey: boolean;
  hadTools: boolean;
  /** GET /models rather than a chat request. */
  listing: boolean;
  apiKeyHint: string | undefined;
}

function explain(error: unknown, ctx: ExplainContext): Error {
  const { target, call } = ctx;
  if (error instanceof CallbackError) return error.original instanceof Error ? error.original : new Error(String(error.original));
  if (call.cancelled()) return llmErrors.cancelled(target);
  if (call.timedOut() || error instanceof APIConnectionTimeoutError) return llmErrors.timedOut(target, ctx.timeoutMs);
  if (error instanceof Error && error.name === 'LlmError') return error;
  if (error instanceof APIUserAbortError) return llmErrors.cancelled(target);
  if (error instanceof APIConnectionError) {
    // The client's error wraps fetch's TypeError("fetch failed"), which wraps the cause.
    const cause = (error as { cause?: { code?: string; cause?: { code?: string; message?: string } } }).cause;
    const reason = cause?.cause?.code ?? cause?.code ?? cause?.cause?.message;
    return llmErrors.unreachable(target, `Check llm.baseUrl and that the server is running${reason ? ` (${serverText(target, reason)})` : ''}.`);
  }
  if (error instanceof APIError) return explainStatus(error, ctx);
  if (error instanceof SyntaxError) return llmErrors.malformed(target, 'sent a response that is not valid JSON');
  const err = error as { name?: string; message?: string };
  if (err?.name === 'AbortError' || err?.name === 'TimeoutError') return llmErrors.timedOut(target, ctx.timeoutMs);
  return llmErrors.failed(target, err?.message ?? String(error));
}

function explainStatus(error: APIError, ctx: ExplainContext): Error {
  const { target } = ctx;
  const status = error.status;
  const body = error.error as unknown;
  const text =
    typeof body === 'string' ? body : isPlainObject(body) && typeof body.message === 'string' ? body.message : error.message.replace(/^\d{3}\s+/, '');
  // An error event inside a stream has no HTTP status.
  if (status === undefined) return llmErrors.streamError(target, text);
  if (status === 401) {
    return llmErrors.auth(
      target,
      401,
      ctx.hasKey
        ? `the API key was refused. Check ${ctx.apiKeyHint ?? 'llm.apiKey'}.`
        : 'it needs an API key. Set llm.apiKey to {"secret": "NAME"} and store the key with: flowbot secrets set NAME --scope llm',
    );
  }
  if (status === 403) return llmErrors.auth(target, 403, `the API key has no access to model "${target.model}" here${text ? ` (${serverText(target, text)})` : ''}.`);
  if (status === 429) {
    const retryAfter = Number.parseFloat(error.headers?.get('retry-after') ?? '');
    return llmErrors.rateLimited(target, Number.isFinite(retryAfter) ? Math.ceil(retryAfter) : undefined, text);
  }
  if (ctx.hadTools && saysNoToolSupport(text)) {
    const hint = /enable-auto-tool-choice/i.test(text)
      ? ' (vLLM: start it with --enable-auto-tool-choice and a --tool-call-parser for the model.)'
      : /--jinja/i.test(text)
        ? ' (llama.cpp: start llama-server with --jinja.)'
        : '';
    return llmErrors.noToolSupport(target, status, `${hint} The server said: ${serverText(target, text)}`);
  }
  const modelUnknown = error.code === 'model_not_found' || /model\b.*(not (found|exist|available)|does not exist)/i.test(text);
  if (!ctx.listing && (status === 404 || status === 400) && modelUnknown) {
    return llmErrors.modelMissing(target, 'was not found on', `List the models it serves (GET ${ctx.baseUrl}/models) and set llm.model to one of them.`, status);
  }
  if (status === 404) return llmErrors.noApi(target, text, 'Check llm.baseUrl: for most servers it ends in /v1 (e.g. http://127.0.0.1:8000/v1).');
  if (ctx.hadTools && status === 400 && /tool|function/i.test(text)) return llmErrors.toolsRejected(target, status, text);
  return llmErrors.http(target, status, text);
}
