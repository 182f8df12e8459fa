// The LLM settings through the API: the model list for the dropdown, "Test connection" with the
// real adapters' errors, and pulling a model through the real `ollama` client against the
// scripted server's /api/pull (Ollama's NDJSON progress lines), with progress events and cancel.
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PullProgress } from '../../src-main/shared/api/settings';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../fixtures/scripted-llm-server';
import { openTestStudio, type TestStudio } from '../support/studio-api';

let llm: ScriptedLlmServer;
let t: TestStudio;
beforeAll(async () => {
  llm = await startScriptedLlmServer({
    models: ['qwen3:4b', 'llama3.1:8b'],
    apiKey: undefined,
    pullable: {
      'gemma3:1b': { layers: [3_000_000, 500], steps: 5 },
      'slow:7b': { layers: [9_000_000], steps: 100, stepDelayMs: 20, stallAfter: 3 },
    },
  });
});
afterAll(() => llm.close());
beforeEach(() => {
  t = openTestStudio();
});
afterEach(() => t.close());

const ollama = (extra: Record<string, unknown> = {}) => ({ provider: 'ollama', host: llm.url, ...extra });

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

const progressOf = (pullId: string): PullProgress[] =>
  t.events.flatMap((e) => (e.event === 'llm.pullProgress' && e.payload.pullId === pullId ? [e.payload] : []));
const finished = (pullId: string) => progressOf(pullId).find((p) => p.state !== 'running');

describe('llm.models and llm.test', () => {
  it('lists the models of an Ollama host from the form (unsaved) or the saved settings', async () => {
    const out = await t.ok('llm.models', { llm: ollama() });
    expect(out.models.map((m: { name: string }) => m.name)).toEqual(['qwen3:4b', 'llama3.1:8b']);
    expect(llm.requests.at(-1)).toMatchObject({ method: 'GET', path: '/api/tags' });

    expect(await t.call('llm.models')).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('No model provider') } });
    await t.ok('settings.save', { config: { llm: ollama({ model: 'qwen3:4b' }), mcpServers: {} } });
    expect((await t.ok('llm.models')).models).toHaveLength(2);
  });

  it('lists the models of an OpenAI-compatible server', async () => {
    const out = await t.ok('llm.models', { llm: { provider: 'openai', baseUrl: llm.openaiBaseUrl } });
    expect(out.models.map((m: { name: string }) => m.name)).toEqual(['qwen3:4b', 'llama3.1:8b']);
    expect(llm.requests.at(-1)).toMatchObject({ path: '/v1/models' });
  });

  it('tests a connection: success, a model that is not there, a host that is down', async () => {
    expect(await t.ok('llm.test', { llm: ollama({ model: 'qwen3:4b' }) })).toMatchObject({
      ok: true,
      message: `Connected to Ollama at ${llm.url}: 2 models available, including "qwen3:4b".`,
    });
    const missing = await t.ok('llm.test', { llm: ollama({ model: 'mistral:7b' }) });
    expect(missing).toMatchObject({ ok: false, message: expect.stringContaining('the model "mistral:7b" is not there. Pull it below, or pick one of: qwen3:4b, llama3.1:8b') });
    const port = await closedPort();
    const down = await t.ok('llm.test', { llm: ollama({ host: `http://127.0.0.1:${port}` }) });
    expect(down).toEqual({ ok: false, message: `Cannot reach Ollama at http://127.0.0.1:${port}. Is it running? (start it with: ollama serve)` });
  });

  it('says when a key is refused, without showing it', async () => {
    const guarded = await startScriptedLlmServer({ apiKey: 'right-key-123456' });
    try {
      const out = await t.ok('llm.test', { llm: { provider: 'openai', baseUrl: guarded.openaiBaseUrl, apiKey: 'wrong-key-987654' } });
      expect(out.ok).toBe(false);
      expect(out.message).toMatch(/refused|401/);
      expect(out.message).not.toContain('wrong-key-987654');
    } finally {
      await guarded.close();
    }
  });
});

describe('llm.save: the model can be set before its server runs', () => {
  it('saves a typed model while the server cannot be reached, with a warning, keeping the MCP servers', async () => {
    await t.ok('settings.save', { config: { mcpServers: { crm: { command: 'node', args: ['crm.js'] } } } });
    const host = `http://127.0.0.1:${await closedPort()}`;
    const out = await t.ok('llm.save', { llm: { provider: 'ollama', host, model: 'qwen3:4b' } });
    expect(out.warning).toBe(`Saved. Cannot reach Ollama at ${host}. Is it running? (start it with: ollama serve) The bot will use "qwen3:4b" once the server runs and has it.`);
    expect((await t.ok('settings.get', {})).config).toEqual({ llm: { provider: 'ollama', host, model: 'qwen3:4b' }, mcpServers: { crm: { command: 'node', args: ['crm.js'] } } });
    expect(t.events.some((e) => e.event === 'settings.changed')).toBe(true);
  });

  it('no warning when the server has the model; a warning when it does not have it yet', async () => {
    expect(await t.ok('llm.save', { llm: ollama({ model: 'qwen3:4b' }) })).not.toHaveProperty('warning');
    expect((await t.ok('llm.save', { llm: ollama({ model: 'mistral:7b' }) })).warning).toBe(
      `Saved, but Ollama at ${llm.url} does not have the model "mistral:7b" yet. Pull it below, or pick one it has.`,
    );
    expect((await t.ok('settings.get', {})).config.llm).toEqual(ollama({ model: 'mistral:7b' }));
  });

  it('a model name is still required', async () => {
    expect(await t.call('llm.save', { llm: ollama({ model: '' }) })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});

describe('llm.pull', () => {
  it('streams progress through the real ollama client until done; the model is then listed', async () => {
    const { pullId } = await t.ok('llm.pull', { model: 'gemma3:1b', llm: ollama() });
    await expect.poll(() => finished(pullId)?.state).toBe('done');
    const request = llm.requests.find((r) => r.path === '/api/pull')!;
    // What the official client sends (it names the model "name").
    expect(request.body).toMatchObject({ name: 'gemma3:1b', stream: true });

    const progress = progressOf(pullId);
    expect(progress[0]).toMatchObject({ model: 'gemma3:1b', state: 'running' });
    expect(progress.map((p) => p.status)).toEqual(expect.arrayContaining(['pulling manifest', 'verifying sha256 digest', 'writing manifest']));
    const layer = progress.filter((p) => p.digest === `sha256:${'0'.repeat(64)}`);
    expect(layer.length).toBeGreaterThan(1);
    expect(layer.every((p) => p.total === 3_000_000)).toBe(true);
    // Completed only grows, and the layer ends complete.
    const completed = layer.map((p) => p.completed ?? 0);
    expect(completed).toEqual([...completed].sort((a, b) => a - b));
    expect(completed.at(-1)).toBe(3_000_000);
    expect(progress.at(-1)).toMatchObject({ state: 'done', status: 'success' });

    expect((await t.ok('llm.models', { llm: ollama() })).models.map((m: { name: string }) => m.name)).toContain('gemma3:1b');
  });

  it('a model that does not exist fails with Ollama\'s reason', async () => {
    const { pullId } = await t.ok('llm.pull', { model: 'no-such-model:1b', llm: ollama() });
    await expect.poll(() => finished(pullId)?.state).toBe('failed');
    expect(finished(pullId)?.error).toBe(
      `Ollama at ${llm.url} cannot pull "no-such-model:1b": pull model manifest: file does not exist. Check the name (e.g. qwen3:4b) in the Ollama library.`,
    );
  });

  it('can be cancelled: the download stops and the connection is closed', async () => {
    const { pullId } = await t.ok('llm.pull', { model: 'slow:7b', llm: ollama() });
    await expect.poll(() => progressOf(pullId).some((p) => p.completed !== undefined && p.completed > 0)).toBe(true);
    expect(llm.openPulls()).toBe(1);
    expect(await t.ok('llm.pullCancel', { pullId })).toEqual({ cancelled: true });
    await expect.poll(() => finished(pullId)?.state).toBe('cancelled');
    await expect.poll(() => llm.openPulls()).toBe(0);
    expect(await t.ok('llm.pullCancel', { pullId })).toEqual({ cancelled: false });
  });

  it('is refused for an OpenAI-compatible server, and a host that is down fails clearly', async () => {
    expect(await t.call('llm.pull', { model: 'x', llm: { provider: 'openai', baseUrl: llm.openaiBaseUrl } })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('Pulling models is for Ollama') },
    });
    const port = await closedPort();
    const { pullId } = await t.ok('llm.pull', { model: 'gemma3:1b', llm: ollama({ host: `http://127.0.0.1:${port}` }) });
    await expect.poll(() => finished(pullId)?.state).toBe('failed');
    expect(finished(pullId)?.error).toContain(`Cannot reach Ollama at http://127.0.0.1:${port}`);
  });
});
