// The one generic adapter between a transport (Electron IPC, the web host's WebSocket) and the
// service: every call's input is parsed with its method's schema, the handler runs, its output
// is parsed too, and every failure becomes an ApiError { code, message } for people, never a
// stack trace. Transports stay thin: they only carry (method, input) in and ApiResult out.
import type { z } from 'zod';
import {
  ApiCallError,
  apiMethods,
  isApiMethod,
  type ApiError,
  type ApiMethod,
  type ApiMethods,
  type ApiOutput,
  type ApiResult,
} from '../shared/api-contract';
import { describeIssues } from '../core/zod-issues';

/** What a handler receives: the parsed input (defaults applied, unknown fields refused). */
export type ApiHandlerInput<M extends ApiMethod> = z.output<ApiMethods[M]['input']>;

/** One handler per contract method. Throw ApiCallError for an expected failure. */
export type ApiHandlers = {
  [M in ApiMethod]: (input: ApiHandlerInput<M>) => Promise<ApiOutput<M>> | ApiOutput<M>;
};

export interface ApiDispatcher {
  /** Never rejects: any failure is an `{ ok: false, error }` result. */
  dispatch(method: unknown, input: unknown): Promise<ApiResult>;
}

export interface DispatcherOptions {
  /** Where unexpected failures (INTERNAL) are written with their stack; default console.error. */
  log?: (message: string, error: unknown) => void;
}

/** How many input problems one INVALID_INPUT message lists before "and N more". */
const MAX_MESSAGE_CHARS = 500;
const MAX_EXPECTED_MESSAGE_CHARS = 4000;

export function createApiDispatcher(handlers: ApiHandlers, options: DispatcherOptions = {}): ApiDispatcher {
  const log = options.log ?? ((message, error) => console.error(message, error));
  return {
    async dispatch(method, input) {
      if (!isApiMethod(method)) {
        return failure('UNKNOWN_METHOD', `Unknown API method ${describeName(method)}.`);
      }
      const schemas = apiMethods[method];
      // A call without input (a WebSocket frame without "input") means "no arguments".
      const parsedInput = schemas.input.safeParse(input === undefined ? {} : input);
      if (!parsedInput.success) {
        return failure('INVALID_INPUT', `${method}: ${describeIssues(parsedInput.error.issues, input, 'input')}`);
      }
      let output: unknown;
      try {
        // The handler for `method` takes that method's parsed input: the map is keyed by method.
        const handler = handlers[method] as (value: unknown) => unknown;
        output = await handler(parsedInput.data);
      } catch (error) {
        if (error instanceof ApiCallError) return failure(error.code, bounded(error.message), error.text, error.blockers);
        log(`API ${method} failed:`, error);
        const reason = error instanceof Error ? oneLine(error.message) : '';
        return failure('INTERNAL', `${method} failed${reason ? `: ${reason}` : '.'}`);
      }
      const parsedOutput = schemas.output.safeParse(output);
      if (!parsedOutput.success) {
        log(`API ${method} returned a result that does not match the contract:`, describeIssues(parsedOutput.error.issues, output, 'output'));
        return failure('INTERNAL', `${method} failed: the app produced an invalid result (details in the log).`);
      }
      return { ok: true, output: parsedOutput.data } as ApiResult;
    },
  };
}

/** `input.flow.nodes[2].data.question: expected text; input.name: missing`. */

function failure(code: ApiError['code'], message: string, text?: ApiError['text'], blockers?: ApiError['blockers']): ApiResult {
  return { ok: false, error: { code, message, ...(text ? { text } : {}), ...(blockers ? { blockers } : {}) } };
}

function describeName(method: unknown): string {
  if (typeof method !== 'string') return `(expected a method name, got ${method === null ? 'null' : typeof method})`;
  return JSON.stringify(method.length > 80 ? `${method.slice(0, 80)}…` : method);
}

/** The first line of a message, bounded: stack traces and multi-line dumps stay in the log. */
function oneLine(message: string): string {
  return bounded(message.split('\n', 1)[0]?.trim() ?? '', MAX_MESSAGE_CHARS);
}

function bounded(message: string, max = MAX_EXPECTED_MESSAGE_CHARS): string {
  return message.length > max ? `${message.slice(0, max)}…` : message;
}
