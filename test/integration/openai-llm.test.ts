// The real `openai` client over real HTTP against the scripted server (OpenAI's
// /v1/chat/completions, SSE streaming and not, tool calls with ids and JSON-string arguments,
// streamed as deltas; /v1/models; OpenAI's error shapes and vLLM's).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiLlm } from '../../src-main/adapters/llm/openai-llm';
import { LlmError, type LlmMessage, type LlmToolSpec } from '../../src-main/shared/llm-message';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../fixtures/scripted-llm-server';

const API_KEY = 'sk-test-4f8a9c2e1b7d';

let server: ScriptedLlmServer;
let open: ScriptedLlmServer;
beforeAll(async () => {
  // One server that needs a key (like OpenAI), one that needs none (like a local llama.cpp).
  server = await startScriptedLlmServer({ models: ['gpt-4o-mini', 'qwen3:4b'], noToolModels: ['phi3:mini'], apiKey: API_KEY });
  open = await startScriptedLlmServer({ models: ['local-model'] });
});
afterAll(async () => {
  await server.close();
  await open.close();
});

const messages = [
  { role: 'system' as const, content: 'Be brief.' },
  { role: 'user' as const, content: 'Hi' },
];

const tools: LlmToolSpec[] = [
  {
    name: 'get_order_status',
    description: 'Looks up an order.',
    parameters: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
  },
  { name: 'search_customers', parameters: { type: 'object', properties: { query: { type: 'string' } } } },
];

const llmFor = (model = 'gpt-4o-mini', extra: Partial<Parameters<typeof createOpenAiLlm>[0]> = {}) =>
  createOpenAiLlm({ baseUrl: server.openaiBaseUrl, model, apiKey: API_KEY, ...extra });
const lastChat = (s = server) => s.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)!;

async function rejection(promise: Promise<unknown>): Promise<LlmError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LlmError);
  return error as LlmError;
}

describe('openai-compatible LLM adapter: text', () => {
  it('sends the model, messages and key and returns the reply text', async () => {
    server.script({ content: 'Hello there!' });
    const llm = llmFor('gpt-4o-mini', { headers: { 'X-Team': 'support' } });
    await expect(llm.chat({ messages })).resolves.toEqual({ text: 'Hello there!', toolCalls: [] });
    const request = lastChat();
    expect(request.body.model).toBe('gpt-4o-mini');
    expect(request.body.stream).toBe(false);
    expect(request.body.messages).toEqual(messages);
    expect(request.body).not.toHaveProperty('tools');
    expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request.headers['x-team']).toBe('support');
  });

  it('streams the reply over SSE: the onText pieces join to the text', async () => {
    const reply = 'We are open Monday to Saturday, 9:00 to 18:00.';
    server.script({ content: reply });
    const pieces: string[] = [];
    const result = await llmFor().chat({ messages }, { onText: (d) => pieces.push(d) });
    expect(lastChat().body.stream).toBe(true);
    expect(result).toEqual({ text: reply, toolCalls: [] });
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(reply);
  });

  it('works with a local server that needs no key (a placeholder is sent)', async () => {
    open.script({ content: 'Local hello.' });
    const llm = createOpenAiLlm({ baseUrl: open.openaiBaseUrl, model: 'local-model' });
    await expect(llm.chat({ messages })).resolves.toEqual({ text: 'Local hello.', toolCalls: [] });
    expect(lastChat(open).headers.authorization).toBe('Bearer no-api-key');
  });

  it('reads the key on first use, once, and tries again after a failed read', async () => {
    let reads = 0;
    const llm = llmFor('gpt-4o-mini', {
      apiKey: async () => {
        reads++;
        if (reads === 1) throw new Error('llm.apiKey refers to the keychain secret "openai-key", which is not set');
        return API_KEY;
      },
    });
    expect(reads).toBe(0);
    await expect(llm.chat({ messages })).rejects.toThrow('llm.apiKey refers to the keychain secret "openai-key", which is not set');
    server.script({ content: 'one' }, { content: 'two' });
    await llm.chat({ messages });
    await llm.chat({ messages });
    expect(reads).toBe(2);
  });

  it('removes a reasoning model\'s leading <think> block, also when streamed', async () => {
    const raw = '<think>Short answer.</think>\nOpen 9 to 18.';
    server.script({ content: raw }, { content: raw });
    await expect(llmFor().chat({ messages })).resolves.toEqual({ text: 'Open 9 to 18.', toolCalls: [] });
    const pieces: string[] = [];
    expect((await llmFor().chat({ messages }, { onText: (d) => pieces.push(d) })).text).toBe('Open 9 to 18.');
    expect(pieces.join('')).toBe('Open 9 to 18.');
  });
});

describe('openai-compatible LLM adapter: tools', () => {
  it('offers exactly the tools it is given, in OpenAI\'s format, and returns a tool call with its id', async () => {
    server.script({ toolCalls: [{ name: 'get_order_status', arguments: { orderId: 'A102' }, id: 'call_abc' }] });
    const result = await llmFor().chat({ messages, tools });
    expect(lastChat().body.tools).toEqual([
      { type: 'function', function: { name: 'get_order_status', description: 'Looks up an order.', parameters: tools[0]!.parameters } },
      { type: 'function', function: { name: 'search_customers', parameters: tools[1]!.parameters } },
    ]);
    expect(lastChat().body).not.toHaveProperty('tool_choice');
    expect(result).toEqual({ text: '', toolCalls: [{ id: 'call_abc', name: 'get_order_status', arguments: { orderId: 'A102' } }] });
  });

  for (const streamed of [false, true]) {
    it(`returns parallel tool calls of one turn with text (${streamed ? 'streamed deltas' : 'not streamed'})`, async () => {
      server.script({
        content: 'Let me check both orders.',
        toolCalls: [
          { name: 'get_order_status', arguments: { orderId: 'A102' }, id: 'call_1' },
          { name: 'get_order_status', arguments: { orderId: 'A103' }, id: 'call_2' },
          { name: 'search_customers', arguments: { query: 'Ana "the boss" Silva' }, id: 'call_3' },
        ],
      });
      const pieces: string[] = [];
      const result = await llmFor().chat({ messages, tools }, streamed ? { onText: (d) => pieces.push(d) } : {});
      expect(result.text).toBe('Let me check both orders.');
      if (streamed) expect(pieces.join('')).toBe('Let me check both orders.');
      expect(result.toolCalls).toEqual([
        { id: 'call_1', name: 'get_order_status', arguments: { orderId: 'A102' } },
        { id: 'call_2', name: 'get_order_status', arguments: { orderId: 'A103' } },
        { id: 'call_3', name: 'search_customers', arguments: { query: 'Ana "the boss" Silva' } },
      ]);
    });

    it(`reports malformed tool-call arguments as rawArguments instead of throwing (${streamed ? 'streamed deltas' : 'not streamed'})`, async () => {
      server.script({
        toolCalls: [
          { name: 'get_order_status', arguments: "{'orderId': 'A102'}", id: 'call_bad' },
          { name: 'search_customers', arguments: '', id: 'call_empty' },
          { name: 'search_customers', arguments: '{"query": "Ana"', id: 'call_cut' },
        ],
      });
      const result = await llmFor().chat({ messages, tools }, streamed ? { onText: () => undefined } : {});
      expect(result.toolCalls).toEqual([
        { id: 'call_bad', name: 'get_order_status', arguments: undefined, rawArguments: "{'orderId': 'A102'}" },
        // An empty argument string is a call without arguments.
        { id: 'call_empty', name: 'search_customers', arguments: {} },
        { id: 'call_cut', name: 'search_customers', arguments: undefined, rawArguments: '{"query": "Ana"' },
      ]);
    });
  }

  it('accumulates hand-written SSE deltas: split names and arguments, no ids, interleaved indexes', async () => {
    const chunk = (delta: unknown, finish: string | null = null) =>
      `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const sse =
      chunk({ role: 'assistant', content: null }) +
      chunk({ tool_calls: [{ index: 0, type: 'function', function: { name: 'get_order_status', arguments: '{"ord' } }] }) +
      chunk({ tool_calls: [{ index: 1, type: 'function', function: { name: 'search_customers', arguments: '{"query"' } }] }) +
      chunk({ tool_calls: [{ index: 0, function: { arguments: 'erId":"A1"}' } }] }) +
      chunk({ tool_calls: [{ index: 1, function: { arguments: ':"Ana"}' } }] }) +
      chunk({}, 'tool_calls') +
      'data: [DONE]\n\n';
    server.script({ raw: sse, contentType: 'text/event-stream' });
    const result = await llmFor().chat({ messages, tools }, { onText: () => undefined });
    expect(result.toolCalls).toEqual([
      { id: expect.stringMatching(/^call_[0-9a-f]{24}$/), name: 'get_order_status', arguments: { orderId: 'A1' } },
      { id: expect.stringMatching(/^call_[0-9a-f]{24}$/), name: 'search_customers', arguments: { query: 'Ana' } },
    ]);
    expect(result.toolCalls[0]!.id).not.toBe(result.toolCalls[1]!.id);
  });

  it('sends earlier tool calls and their results back in OpenAI\'s format', async () => {
    server.script({ content: 'Order A102 is delivered.' });
    const history: LlmMessage[] = [
      ...messages,
      {
        role: 'assistant',
        content: '',
        toolCalls: [
          { id: 'call_1', name: 'get_order_status', arguments: { orderId: 'A102' } },
          { id: 'call_2', name: 'get_order_status', arguments: undefined, rawArguments: '{"orderId":' },
        ],
      },
      { role: 'tool', toolCallId: 'call_1', name: 'get_order_status', content: '{"status":"delivered"}' },
      { role: 'tool', toolCallId: 'call_2', name: 'get_order_status', content: 'Error: the arguments were not valid JSON' },
    ];
    await expect(llmFor().chat({ messages: history, tools })).resolves.toEqual({ text: 'Order A102 is delivered.', toolCalls: [] });
    expect(lastChat().body.messages!.slice(2)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_order_status', arguments: '{"orderId":"A102"}' } },
          { id: 'call_2', type: 'function', function: { name: 'get_order_status', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"status":"delivered"}' },
      { role: 'tool', tool_call_id: 'call_2', content: 'Error: the arguments were not valid JSON' },
    ]);
  });

  it('says when the model or server cannot do tool calling (vLLM\'s answer)', async () => {
    const error = await rejection(llmFor('phi3:mini').chat({ messages, tools }));
    expect(error.kind).toBe('no_tool_support');
    expect(error.status).toBe(400);
    expect(error.message).toContain(
      `The model "phi3:mini" on the OpenAI-compatible server at ${server.openaiBaseUrl} does not support tool calling. ` +
        'Pick a model with tool support (e.g. qwen3, llama3.1) or remove the tools from this AI step.',
    );
    expect(error.message).toContain('vLLM: start it with --enable-auto-tool-choice');
    expect(error.message).toContain('The server said: "auto" tool choice requires --enable-auto-tool-choice');
  });
});

describe('openai-compatible LLM adapter: models', () => {
  it('lists the models (GET /v1/models)', async () => {
    const models = await llmFor().listModels();
    expect(models).toEqual([
      { name: 'gpt-4o-mini', modifiedAt: new Date(1_700_000_000_000).toISOString() },
      { name: 'qwen3:4b', modifiedAt: new Date(1_700_000_000_000).toISOString() },
      { name: 'phi3:mini', modifiedAt: new Date(1_700_000_000_000).toISOString() },
    ]);
    expect(server.requests.at(-1)!.path).toBe('/v1/models');
  });

  it('says when the base URL is not an OpenAI-compatible API', async () => {
    // Ollama's native API (/api) is not its OpenAI-compatible one (/v1).
    const error = await rejection(createOpenAiLlm({ baseUrl: `${open.url}/api`, model: 'local-model' }).listModels());
    expect(error.kind).toBe('unreachable');
    expect(error.message).toBe(
      `The OpenAI-compatible server at ${open.url}/api does not serve the expected API (HTTP 404: no route /api/models). ` +
        'Check llm.baseUrl: for most servers it ends in /v1 (e.g. http://127.0.0.1:8000/v1).',
    );
    const chat = await rejection(createOpenAiLlm({ baseUrl: `${open.url}/v2`, model: 'local-model' }).chat({ messages }));
    expect(chat.message).toMatch(/does not serve the expected API \(HTTP 404.*Check llm\.baseUrl: for most servers it ends in \/v1/);
  });
});

describe('openai-compatible LLM adapter: errors', () => {
  it('says when the host cannot be reached, naming the base URL', async () => {
    const down = await startScriptedLlmServer();
    await down.close(); // a port where nothing listens now
    const llm = createOpenAiLlm({ baseUrl: down.openaiBaseUrl, model: 'local-model' });
    const error = await rejection(llm.chat({ messages }));
    expect(error.kind).toBe('unreachable');
    expect(error.message).toBe(`Cannot reach the OpenAI-compatible server at ${down.openaiBaseUrl}. Check llm.baseUrl and that the server is running (ECONNREFUSED).`);
    await expect(llm.chat({ messages }, { onText: () => undefined })).rejects.toThrow(`Cannot reach the OpenAI-compatible server at ${down.openaiBaseUrl}`);
    await expect(llm.listModels()).rejects.toThrow(/Cannot reach/);
  });

  it('names a missing model and says how to find one', async () => {
    const error = await rejection(llmFor('gpt-5-turbo').chat({ messages }));
    expect(error.kind).toBe('model_missing');
    expect(error.message).toBe(
      `The model "gpt-5-turbo" was not found on the OpenAI-compatible server at ${server.openaiBaseUrl}. ` +
        `List the models it serves (GET ${server.openaiBaseUrl}/models) and set llm.model to one of them.`,
    );
  });

  it('says the API key was refused, without ever showing it', async () => {
    const wrongKey = 'sk-wrong-9d8c7b6a5f4e';
    const llm = llmFor('gpt-4o-mini', { apiKey: async () => wrongKey, apiKeyHint: 'the keychain secret "openai-key" (llm.apiKey)' });
    const error = await rejection(llm.chat({ messages }));
    expect(error.kind).toBe('auth');
    expect(error.message).toBe(
      `The OpenAI-compatible server at ${server.openaiBaseUrl} refused the request (HTTP 401): the API key was refused. Check the keychain secret "openai-key" (llm.apiKey).`,
    );
    // The server echoed the key it got: it must not leak through any path.
    const streamed = await rejection(llm.chat({ messages }, { onText: () => undefined }));
    const listed = await rejection(llm.listModels());
    for (const e of [error, streamed, listed]) {
      expect(e.message).not.toContain(wrongKey);
      expect(e.message).not.toContain('sk-wrong');
      expect(String(e.stack)).not.toContain(wrongKey);
    }
  });

  it('says a key is needed when none is configured', async () => {
    const error = await rejection(createOpenAiLlm({ baseUrl: server.openaiBaseUrl, model: 'gpt-4o-mini' }).chat({ messages }));
    expect(error.message).toMatch(/refused the request \(HTTP 401\): it needs an API key\. Set llm\.apiKey to \{"secret": "NAME"\}/);
  });

  it('reports rate limits with the wait the server asks for', async () => {
    server.script({ status: 429, error: 'Rate limit reached for gpt-4o-mini on requests per min.', code: 'rate_limit_exceeded', type: 'requests', headers: { 'retry-after': '20' } });
    const error = await rejection(llmFor().chat({ messages }));
    expect(error.kind).toBe('rate_limited');
    expect(error.message).toBe(
      `The OpenAI-compatible server at ${server.openaiBaseUrl} is rate limiting requests (HTTP 429); it asks to wait 20 s: ` +
        "Rate limit reached for gpt-4o-mini on requests per min.. Try again later, or check the account's quota.",
    );
    // No retry: the request was made once.
    expect(server.pending()).toBe(0);
  });

  it('does not retry a server error (one request, a clear message)', async () => {
    const before = server.requests.length;
    server.script({ status: 500, error: 'CUDA out of memory' });
    const error = await rejection(llmFor().chat({ messages }));
    expect(error.kind).toBe('server');
    expect(error.message).toBe(`The OpenAI-compatible server at ${server.openaiBaseUrl} answered with an error (HTTP 500): CUDA out of memory`);
    expect(server.requests.length).toBe(before + 1);
  });

  it('reports other rejections of the tools with the server\'s words', async () => {
    server.script({ status: 400, error: "Invalid schema for function 'get_order_status': 'object' is not valid under any of the given schemas.", code: 'invalid_function_parameters' });
    const error = await rejection(llmFor().chat({ messages, tools }));
    expect(error.kind).toBe('bad_request');
    expect(error.message).toMatch(/rejected the tools offered to model "gpt-4o-mini" \(HTTP 400\): Invalid schema for function 'get_order_status'/);
  });

  it('times out a server that never answers, and one that stops mid-stream or mid-body', async () => {
    server.script({ hang: true }, { content: 'This reply never finishes', stall: true }, { content: 'x', stall: true });
    const hang = await rejection(llmFor('gpt-4o-mini', { timeoutMs: 300 }).chat({ messages }));
    expect(hang.kind).toBe('timeout');
    expect(hang.message).toBe(`The OpenAI-compatible server at ${server.openaiBaseUrl} did not answer within 1 s (model "gpt-4o-mini")`);
    const pieces: string[] = [];
    await expect(llmFor().chat({ messages }, { timeoutMs: 300, onText: (d) => pieces.push(d) })).rejects.toThrow(/did not answer within/);
    expect(pieces.join('')).toBe('This rep');
    await expect(llmFor().chat({ messages }, { timeoutMs: 300 })).rejects.toThrow(/did not answer within/);
  });

  it('can be cancelled by the caller, before and during a stream', async () => {
    server.script({ hang: true }, { content: 'Half a reply', stall: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await rejection(llmFor().chat({ messages }, { signal: controller.signal }));
    expect(error.kind).toBe('cancelled');
    expect(error.message).toBe(`The request to the OpenAI-compatible server at ${server.openaiBaseUrl} was cancelled`);

    const during = new AbortController();
    const pieces: string[] = [];
    const streamed = llmFor().chat({ messages }, { signal: during.signal, onText: (d) => (pieces.push(d), during.abort()) });
    await expect(streamed).rejects.toThrow(/was cancelled/);
    expect(pieces).toEqual(['Half a r']);
    await expect(llmFor().chat({ messages }, { signal: AbortSignal.abort() })).rejects.toThrow(/was cancelled/);
  });

  it('reports malformed responses: no choices, not JSON, a stream without choices, bad SSE data', async () => {
    server.script(
      { raw: '{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini"}' },
      { raw: '<html>Welcome to nginx!</html>', contentType: 'text/html' },
      { raw: 'data: {"id":"c","object":"chat.completion.chunk"}\n\ndata: [DONE]\n\n', contentType: 'text/event-stream' },
      { raw: 'data: {not json\n\n', contentType: 'text/event-stream' },
      { raw: '{"choices": [{"index": 0, "mess', contentType: 'application/json' },
    );
    const label = `The OpenAI-compatible server at ${server.openaiBaseUrl}`;
    const first = await rejection(llmFor().chat({ messages }));
    expect(first.kind).toBe('malformed');
    expect(first.message).toBe(`${label} sent a reply without choices (model "gpt-4o-mini")`);
    await expect(llmFor().chat({ messages })).rejects.toThrow(`${label} sent a reply that is not JSON (is llm.baseUrl the API, e.g. ending in /v1?)`);
    await expect(llmFor().chat({ messages }, { onText: () => undefined })).rejects.toThrow(`${label} sent a streamed reply without choices`);
    await expect(llmFor().chat({ messages }, { onText: () => undefined })).rejects.toThrow(`${label} sent a response that is not valid JSON`);
    await expect(llmFor().chat({ messages })).rejects.toThrow(`${label} sent a response that is not valid JSON`);
  });

  it('reports an error sent inside the stream', async () => {
    server.script({ content: 'Partial', streamError: 'The server had an error while processing your request.' });
    const pieces: string[] = [];
    const error = await rejection(llmFor().chat({ messages }, { onText: (d) => pieces.push(d) }));
    expect(error.kind).toBe('server');
    expect(error.message).toBe(
      `The OpenAI-compatible server at ${server.openaiBaseUrl} reported an error while answering (model "gpt-4o-mini"): The server had an error while processing your request.`,
    );
    expect(pieces.join('')).toBe('Partial');
  });

  it('names OpenAI itself when the base URL is api.openai.com (nothing is sent: the request is cancelled first)', async () => {
    const llm = createOpenAiLlm({ model: 'gpt-4o-mini', apiKey: 'sk-never-sent' });
    await expect(llm.chat({ messages }, { signal: AbortSignal.abort() })).rejects.toThrow('The request to OpenAI at https://api.openai.com/v1 was cancelled');
  });
});
