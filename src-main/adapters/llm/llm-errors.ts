// The wording of model errors, shared by the Ollama and OpenAI-compatible adapters: each
// names the server (and model) and says what to do. No stack traces, no raw client errors,
// and never an API key (text a server sends back is masked and shortened).
import { LlmError } from '../../shared/llm-message';
import { maskSecrets } from './llm-common';

export interface LlmTarget {
  /** "Ollama at http://…" or "the OpenAI-compatible server at https://…/v1". */
  label: string;
  model: string;
  /** Values that must never appear in a message (the API key, header values). */
  secrets: (string | undefined)[];
}

const TOOL_MODELS = 'e.g. qwen3, llama3.1';
const MAX_SERVER_TEXT = 300;

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** A server's own words, safe to show: secrets masked, whitespace collapsed, shortened. */
export function serverText(target: LlmTarget, text: string): string {
  const clean = maskSecrets(text, target.secrets).replace(/\s+/g, ' ').trim();
  return clean.length > MAX_SERVER_TEXT ? `${clean.slice(0, MAX_SERVER_TEXT)}…` : clean;
}

export const llmErrors = {
  cancelled: (t: LlmTarget) => new LlmError('cancelled', `The request to ${t.label} was cancelled`),

  timedOut: (t: LlmTarget, timeoutMs: number) =>
    new LlmError('timeout', `${capital(t.label)} did not answer within ${Math.max(1, Math.round(timeoutMs / 1000))} s (model "${t.model}")`),

  unreachable: (t: LlmTarget, hint: string) => new LlmError('unreachable', `Cannot reach ${t.label}. ${hint}`),

  /** state: "is not installed on" (Ollama), "was not found on" (OpenAI-compatible). */
  modelMissing: (t: LlmTarget, state: string, hint: string, status?: number) =>
    new LlmError('model_missing', `The model "${t.model}" ${state} ${t.label}. ${hint}`, status),

  noToolSupport: (t: LlmTarget, status?: number, detail = '') =>
    new LlmError(
      'no_tool_support',
      `The model "${t.model}" on ${t.label} does not support tool calling. ` +
        `Pick a model with tool support (${TOOL_MODELS}) or remove the tools from this AI step.${detail}`,
      status,
    ),

  toolsRejected: (t: LlmTarget, status: number, text: string) =>
    new LlmError('bad_request', `${capital(t.label)} rejected the tools offered to model "${t.model}" (HTTP ${status}): ${serverText(t, text)}`, status),

  /** Something answered, but not this API (HTTP 404 on the API's own path). */
  noApi: (t: LlmTarget, text: string, hint: string) =>
    new LlmError('unreachable', `${capital(t.label)} does not serve the expected API (HTTP 404${text ? `: ${serverText(t, text)}` : ''}). ${hint}`, 404),

  auth: (t: LlmTarget, status: number, hint: string) =>
    new LlmError('auth', `${capital(t.label)} refused the request (HTTP ${status}): ${hint}`, status),

  rateLimited: (t: LlmTarget, retryAfterS: number | undefined, text: string) =>
    new LlmError(
      'rate_limited',
      `${capital(t.label)} is rate limiting requests (HTTP 429)` +
        (retryAfterS !== undefined ? `; it asks to wait ${retryAfterS} s` : '') +
        (text ? `: ${serverText(t, text)}` : '') +
        '. Try again later, or check the account\'s quota.',
      429,
    ),

  http: (t: LlmTarget, status: number, text: string) =>
    new LlmError(status >= 500 ? 'server' : 'bad_request', `${capital(t.label)} answered with an error (HTTP ${status}): ${serverText(t, text) || 'no details'}`, status),

  streamError: (t: LlmTarget, text: string) =>
    new LlmError('server', `${capital(t.label)} reported an error while answering (model "${t.model}"): ${serverText(t, text) || 'no details'}`),

  malformed: (t: LlmTarget, what: string) => new LlmError('malformed', `${capital(t.label)} ${what} (model "${t.model}")`),

  failed: (t: LlmTarget, text: string) => new LlmError('malformed', `${capital(t.label)} failed: ${serverText(t, text)}`),
};

/** A message that says the model or server cannot do tool calling (Ollama, vLLM, LM Studio, llama.cpp). */
export function saysNoToolSupport(text: string): boolean {
  return /does not support tools|(tools?|tool calling|function calling) (is |are )?not supported|not support(ed)? (for )?(tools|tool calling|function calling)|enable-auto-tool-choice|--jinja/i.test(
    text,
  );
}
