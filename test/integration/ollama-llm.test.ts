// The real `ollama` client over real HTTP against the scripted server (Ollama's /api/chat,
// NDJSON streaming and not, tool calls as objects without ids, /api/tags).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOllamaLlm } from '../../src-main/adapters/llm/ollama-llm';
import { LlmError, type LlmMessage, type LlmToolSpec } from '../../src-main/shared/llm-message';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../fixtures/scripted-llm-server';

let server: ScriptedLlmServer;
beforeAll(async () => {
  server = await startScriptedLlmServer({ models: ['qwen3:4b'], noToolModels: ['gemma2:2b'] });
});
afterAll(() => server.close());

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

const llmFor = (model = 'qwen3:4b', extra: Partial<Parameters<typeof createOllamaLlm>[0]> = {}) =>
  createOllamaLlm({ host: server.url, model, ...extra });
const lastChat = () => server.requests.filter((r) => r.path === '/api/chat').at(-1)!;

async function rejection(promise: Promise<unknown>): Promise<LlmError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LlmError);
  return error as LlmError;
}

describe('ollama LLM adapter: text', () => {
  it('sends the model and messages and returns the reply text', async () => {
    server.script({ content: 'Hello there!' });
    const llm = llmFor('qwen3:4b', { headers: { 'X-Team': 'support' } });
    await expect(llm.chat({ messages })).resolves.toEqual({ text: 'Hello there!', toolCalls: [] });
    const request = lastChat();
    expect(request.body.model).toBe('qwen3:4b');
    expect(request.body.stream).toBe(false);
    expect(request.body.messages).toEqual(messages);
    expect(request.body).not.toHaveProperty('tools');
    expect(request.headers['x-team']).toBe('support');
  });

  it('streams the reply: the onText pieces join to the text', async () => {
    const reply = 'We are open Monday to Saturday, 9:00 to 18:00.';
    server.script({ content: reply });
    const pieces: string[] = [];
    const result = await llmFor().chat({ messages }, { onText: (d) => pieces.push(d) });
    expect(lastChat().body.stream).toBe(true);
    expect(result).toEqual({ text: reply, toolCalls: [] });
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(reply);
  });

  it('removes a reasoning model\'s leading <think> block, also when it arrives in pieces', async () => {
    const raw = '<think>\nThe customer wants hours. Keep it short.\n</think>\n\nOpen 9 to 18.';
    server.script({ content: raw }, { content: raw });
    await expect(llmFor().chat({ messages })).resolves.toEqual({ text: 'Open 9 to 18.', toolCalls: [] });
    const pieces: string[] = [];
    const streamed = await llmFor().chat({ messages }, { onText: (d) => pieces.push(d) });
    expect(streamed.text).toBe('Open 9 to 18.');
    expect(pieces.join('')).toBe('Open 9 to 18.');
  });

  it('sends an API key as a Bearer token and headers, read once on first use', async () => {
    let reads = 0;
    const llm = llmFor('qwen3:4b', {
      apiKey: async () => {
        reads++;
        return 'ollama-proxy-key';
      },
      headers: async () => ({ 'X-Team': 'sales' }),
    });
    expect(reads).toBe(0);
    server.script({ content: 'one' }, { content: 'two' });
    await llm.chat({ messages });
    await llm.chat({ messages });
    expect(reads).toBe(1);
    expect(lastChat().headers.authorization).toBe('Bearer ollama-proxy-key');
    expect(lastChat().headers['x-team']).toBe('sales');
  });
});

describe('ollama LLM adapter: tools', () => {
  it('offers exactly the tools it is given, in Ollama\'s format, and returns a tool call', async () => {
    server.script({ toolCalls: [{ name: 'get_order_status', arguments: { orderId: 'A102' } }] });
    const result = await llmFor().chat({ messages, tools });
    expect(lastChat().body.tools).toEqual([
      { type: 'function', function: { name: 'get_order_status', description: 'Looks up an order.', parameters: tools[0]!.parameters } },
      { type: 'function', function: { name: 'search_customers', parameters: tools[1]!.parameters } },
    ]);
    expect(result.text).toBe('');
    expect(result.toolCalls).toEqual([{ id: expect.stringMatching(/^call_[0-9a-f]{24}$/), name: 'get_order_status', arguments: { orderId: 'A102' } }]);
  });

  it('sends no tools key for an empty tool list', async () => {
    server.script({ content: 'ok' });
    await llmFor().chat({ messages, tools: [] });
    expect(lastChat().body).not.toHaveProperty('tools');
  });

  for (const streamed of [false, true]) {
    it(`returns parallel tool calls of one turn with text (${streamed ? 'streamed' : 'not streamed'})`, async () => {
      server.script({
        content: 'Let me check.',
        toolCalls: [
          { name: 'get_order_status', arguments: { orderId: 'A102' } },
          { name: 'get_order_status', arguments: { orderId: 'A103' } },
          { name: 'search_customers', arguments: { query: 'Ana' } },
        ],
      });
      const pieces: string[] = [];
      const result = await llmFor().chat({ messages, tools }, streamed ? { onText: (d) => pieces.push(d) } : {});
      expect(result.text).toBe('Let me check.');
      if (streamed) expect(pieces.join('')).toBe('Let me check.');
      expect(result.toolCalls.map(({ name, arguments: args }) => ({ name, args }))).toEqual([
        { name: 'get_order_status', args: { orderId: 'A102' } },
        { name: 'get_order_status', args: { orderId: 'A103' } },
        { name: 'search_customers', args: { query: 'Ana' } },
      ]);
      const ids = result.toolCalls.map((c) => c.id);
      expect(new Set(ids).size).toBe(3);
    });

    it(`reports malformed tool-call arguments as rawArguments instead of throwing (${streamed ? 'streamed' : 'not streamed'})`, async () => {
      server.script({
        toolCalls: [
          { name: 'get_order_status', arguments: '{"orderId": "A1' },
          { name: 'search_customers', arguments: '{"query": "Ana"}' },
        ],
      });
      const result = await llmFor().chat({ messages, tools }, streamed ? { onText: () => undefined } : {});
      expect(result.toolCalls).toEqual([
        { id: expect.any(String), name: 'get_order_status', arguments: undefined, rawArguments: '{"orderId": "A1' },
        { id: expect.any(String), name: 'search_customers', arguments: { query: 'Ana' } },
      ]);
    });
  }

  it('derives stable ids: the same request and reply give the same ids, another turn other ids', async () => {
    const reply = { toolCalls: [{ name: 'get_order_status', arguments: { orderId: 'A102' } }] };
    server.script(reply, reply, reply);
    const first = await llmFor().chat({ messages, tools });
    const again = await llmFor().chat({ messages, tools });
    expect(again.toolCalls[0]!.id).toBe(first.toolCalls[0]!.id);
    const later = await llmFor().chat({ messages: [...messages, { role: 'user', content: 'And now?' }], tools });
    expect(later.toolCalls[0]!.id).not.toBe(first.toolCalls[0]!.id);
  });

  it('keeps the id Ollama sends when it sends one', async () => {
    server.script({ toolCalls: [{ name: 'get_order_status', arguments: { orderId: 'A102' }, id: 'call_from_ollama' }] });
    const result = await llmFor().chat({ messages, tools });
    expect(result.toolCalls[0]!.id).toBe('call_from_ollama');
  });

  it('sends earlier tool calls and their results back in Ollama\'s format', async () => {
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
        content: '',
        tool_calls: [
          { id: 'call_1', function: { name: 'get_order_status', arguments: { orderId: 'A102' } } },
          { id: 'call_2', function: { name: 'get_order_status', arguments: {} } },
        ],
      },
      { role: 'tool', content: '{"status":"delivered"}', tool_name: 'get_order_status', tool_call_id: 'call_1' },
      { role: 'tool', content: 'Error: the arguments were not valid JSON', tool_name: 'get_order_status', tool_call_id: 'call_2' },
    ]);
  });

  it('says which model lacks tool support', async () => {
    const error = await rejection(llmFor('gemma2:2b').chat({ messages, tools }));
    expect(error.kind).toBe('no_tool_support');
    expect(error.message).toBe(
      `The model "gemma2:2b" on Ollama at ${server.url} does not support tool calling. ` +
        'Pick a model with tool support (e.g. qwen3, llama3.1) or remove the tools from this AI step.',
    );
    // The same model still answers without tools.
    server.script({ content: 'Plain answer.' });
    await expect(llmFor('gemma2:2b').chat({ messages })).resolves.toEqual({ text: 'Plain answer.', toolCalls: [] });
  });
});

describe('ollama LLM adapter: models', () => {
  it('lists the models (GET /api/tags)', async () => {
    await expect(llmFor().listModels()).resolves.toEqual([
      { name: 'qwen3:4b', size: 1, modifiedAt: new Date(0).toISOString() },
      { name: 'gemma2:2b', size: 1, modifiedAt: new Date(0).toISOString() },
    ]);
    expect(server.requests.at(-1)!.path).toBe('/api/tags');
  });

  it('says when the host cannot be reached for the list', async () => {
    const error = await rejection(createOllamaLlm({ host: 'http://127.0.0.1:9', model: 'qwen3:4b' }).listModels());
    expect(error.kind).toBe('unreachable');
    expect(error.message).toMatch(/Cannot reach Ollama at http:\/\/127\.0\.0\.1:9/);
  });
});

describe('ollama LLM adapter: errors', () => {
  it('says how to install a missing model', async () => {
    const error = await rejection(llmFor('llama3.2:1b').chat({ messages }));
    expect(error.kind).toBe('model_missing');
    expect(error.message).toBe(`The model "llama3.2:1b" is not installed on Ollama at ${server.url}. Install it with: ollama pull llama3.2:1b`);
  });

  it('says when nothing listens on the port, and when the host is not Ollama\'s API', async () => {
    const down = await startScriptedLlmServer();
    await down.close();
    const error = await rejection(createOllamaLlm({ host: down.url, model: 'qwen3:4b' }).chat({ messages }));
    expect(error.kind).toBe('unreachable');
    expect(error.message).toBe(`Cannot reach Ollama at ${down.url}. Is it running? (start it with: ollama serve)`);

    // A host with the OpenAI-compatible path in it: /v1/api/tags does not exist.
    const wrong = await rejection(createOllamaLlm({ host: `${server.url}/v1`, model: 'qwen3:4b' }).listModels());
    expect(wrong.message).toBe(
      `Ollama at ${server.url}/v1 does not serve the expected API (HTTP 404: no route /v1/api/tags). ` +
        "Check llm.host: it is Ollama's address without a path, e.g. http://127.0.0.1:11434",
    );
  });

  it('says when the host cannot be reached', async () => {
    const llm = createOllamaLlm({ host: 'http://127.0.0.1:9', model: 'qwen3:4b' });
    await expect(llm.chat({ messages })).rejects.toThrow(/Cannot reach Ollama at http:\/\/127\.0\.0\.1:9\. Is it running\?/);
    await expect(llm.chat({ messages }, { onText: () => undefined })).rejects.toThrow(/Cannot reach Ollama/);
  });

  it('times out a model that never answers', async () => {
    server.script({ hang: true });
    const error = await rejection(llmFor('qwen3:4b', { timeoutMs: 300 }).chat({ messages }));
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/did not answer within 1 s \(model "qwen3:4b"\)/);
  });

  it('times out a stream that stops halfway, and a reply whose body never comes', async () => {
    server.script({ content: 'This reply never finishes', stall: true }, { content: 'x', stall: true });
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
    expect(error.message).toBe(`The request to Ollama at ${server.url} was cancelled`);

    const during = new AbortController();
    const streamed = llmFor().chat({ messages }, { signal: during.signal, onText: () => during.abort() });
    await expect(streamed).rejects.toThrow(/was cancelled/);
    await expect(llmFor().chat({ messages }, { signal: AbortSignal.abort() })).rejects.toThrow(/was cancelled/);
  });

  it('reports server errors and nonsense replies clearly', async () => {
    server.script({ status: 500, error: 'out of memory' }, { raw: '{"unexpected": true}' }, { raw: 'not json at all' });
    const llm = llmFor();
    await expect(llm.chat({ messages })).rejects.toThrow(/HTTP 500.*out of memory/);
    await expect(llm.chat({ messages })).rejects.toThrow(/without message text/);
    await expect(llm.chat({ messages })).rejects.toThrow(/Ollama at .* failed/);
  });

  it('reports an error inside a stream and a stream that never says done', async () => {
    server.script(
      { content: 'Partial', streamError: 'model runner has unexpectedly stopped' },
      { raw: '{"message":{"role":"assistant","content":"hi"},"done":false}\n', contentType: 'application/x-ndjson' },
    );
    await expect(llmFor().chat({ messages }, { onText: () => undefined })).rejects.toThrow(
      `Ollama at ${server.url} reported an error while answering (model "qwen3:4b"): model runner has unexpectedly stopped`,
    );
    await expect(llmFor().chat({ messages }, { onText: () => undefined })).rejects.toThrow(/ended its streamed reply before it was done/);
  });

  it('says when a host refuses the key, without showing it', async () => {
    const locked = await startScriptedLlmServer({ apiKey: 'right-key' });
    try {
      const llm = createOllamaLlm({ host: locked.url, model: 'qwen3:4b', apiKey: 'wrong-key-1234', apiKeyHint: 'the keychain secret "ollama-key"' });
      const error = await rejection(llm.chat({ messages }));
      expect(error.kind).toBe('auth');
      expect(error.message).toBe(`Ollama at ${locked.url} refused the request (HTTP 401): check the keychain secret "ollama-key" (a remote Ollama or a proxy in front of it may need a key).`);
    } finally {
      await locked.close();
    }
  });

  it('lets an exception from onText through unchanged', async () => {
    server.script({ content: 'Hello there!' });
    const boom = new Error('renderer went away');
    await expect(llmFor().chat({ messages }, { onText: () => { throw boom; } })).rejects.toBe(boom);
  });
});
