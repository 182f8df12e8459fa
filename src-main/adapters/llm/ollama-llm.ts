// LlmPort over the official `ollama` client: works unchanged against a local or remote Ollama
// (and against the scripted server the tests start). Every request has a timeout and can be
// cancelled; failures are turned into messages an owner can act on.
import { Ollama } from 'ollama';
import type { CallOptions, LlmPort } from '../../runtime/ports';
import type { LlmMessage } from '../../shared/llm-message';

export interface OllamaLlmOptions {
  host: string;
  model: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 120_000;

export function createOllamaLlm(options: OllamaLlmOptions): LlmPort {
  return {
    async chat(request: { messages: LlmMessage[] }, opts: CallOptions = {}) {
      const timeoutMs = opts.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(opts.signal ? [opts.signal] : [])]);
      const client = new Ollama({
        host: options.host,
        ...(options.headers ? { headers: options.headers } : {}),
        fetch: (input, init) => fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal }),
      });
      try {
        const response = await client.chat({ model: options.model, messages: request.messages, stream: false });
        if (typeof response?.message?.content !== 'string') {
          throw new Error(`Ollama at ${options.host} sent a reply without message text`);
        }
        return { text: response.message.content };
      } catch (error) {
        throw explain(error, options, timeoutMs, opts.signal);
      }
    },
  };
}

function explain(error: unknown, options: OllamaLlmOptions, timeoutMs: number, callerSignal?: AbortSignal): Error {
  const { host, model } = options;
  if (callerSignal?.aborted) return new Error(`The request to Ollama at ${host} was cancelled`);
  const err = error as { name?: string; status_code?: number; message?: string; cause?: { code?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') {
    return new Error(`Ollama at ${host} did not answer within ${Math.round(timeoutMs / 1000)} s (model "${model}")`);
  }
  if (err.status_code === 404 || /model .*not found/i.test(err.message ?? '')) {
    return new Error(`The model "${model}" is not installed on Ollama at ${host}. Install it with: ollama pull ${model}`);
  }
  if (err.cause?.code === 'ECONNREFUSED' || err.cause?.code === 'ENOTFOUND' || /fetch failed/i.test(err.message ?? '')) {
    return new Error(`Cannot reach Ollama at ${host}. Is it running? (start it with: ollama serve)`);
  }
  if (err.status_code) return new Error(`Ollama at ${host} answered with an error (HTTP ${err.status_code}): ${err.message}`);
  return new Error(`Ollama at ${host} failed: ${err.message ?? String(error)}`);
}
