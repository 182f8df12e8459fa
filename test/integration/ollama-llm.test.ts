// The real `ollama` client over real HTTP against the scripted server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOllamaLlm } from '../../src-main/adapters/llm/ollama-llm';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../fixtures/scripted-llm-server';

let server: ScriptedLlmServer;
beforeAll(async () => {
  server = await startScriptedLlmServer({ models: ['qwen3:4b'] });
});
afterAll(() => server.close());

const messages = [
  { role: 'system' as const, content: 'Be brief.' },
  { role: 'user' as const, content: 'Hi' },
];

describe('ollama LLM adapter', () => {
  it('sends the model and messages and returns the reply text', async () => {
    server.script({ content: 'Hello there!' });
    const llm = createOllamaLlm({ host: server.url, model: 'qwen3:4b', headers: { 'X-Team': 'support' } });
    await expect(llm.chat({ messages })).resolves.toEqual({ text: 'Hello there!' });
    const request = server.requests.at(-1)!;
    expect(request.path).toBe('/api/chat');
    expect(request.body.model).toBe('qwen3:4b');
    expect(request.body.stream).toBe(false);
    expect(request.body.messages).toEqual(messages);
  });

  it('says how to install a missing model', async () => {
    const llm = createOllamaLlm({ host: server.url, model: 'llama3.2:1b' });
    await expect(llm.chat({ messages })).rejects.toThrow('ollama pull llama3.2:1b');
  });

  it('says when the host cannot be reached', async () => {
    const llm = createOllamaLlm({ host: 'http://127.0.0.1:9', model: 'qwen3:4b' });
    await expect(llm.chat({ messages })).rejects.toThrow(/Cannot reach Ollama at http:\/\/127\.0\.0\.1:9/);
  });

  it('times out a model that never answers', async () => {
    server.script({ hang: true });
    const llm = createOllamaLlm({ host: server.url, model: 'qwen3:4b', timeoutMs: 300 });
    await expect(llm.chat({ messages })).rejects.toThrow(/did not answer within/);
  });

  it('can be cancelled by the caller', async () => {
    server.script({ hang: true });
    const llm = createOllamaLlm({ host: server.url, model: 'qwen3:4b' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(llm.chat({ messages }, { signal: controller.signal })).rejects.toThrow(/cancelled/);
  });

  it('reports server errors and nonsense replies clearly', async () => {
    server.script({ status: 500, error: 'out of memory' }, { raw: '{"unexpected": true}' }, { raw: 'not json at all' });
    const llm = createOllamaLlm({ host: server.url, model: 'qwen3:4b' });
    await expect(llm.chat({ messages })).rejects.toThrow(/HTTP 500.*out of memory/);
    await expect(llm.chat({ messages })).rejects.toThrow(/without message text/);
    await expect(llm.chat({ messages })).rejects.toThrow(/Ollama at .* failed/);
  });
});
