// The workspace picks the provider from llm.provider and resolves llm.apiKey / llm.headers
// ({secret} from the keychain port, {env} from the environment) at the first model call, not
// when the workspace opens. End to end: `flowbot chat` with the openai provider.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../src-main/app/workspace';
import { AUDIT_KEY_ACCOUNT, secretAccount } from '../../src-main/core/secret-account';
import type { SecretsPort } from '../../src-main/runtime/ports';
import type { WorkspaceConfig } from '../../src-main/shared/workspace-config';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../fixtures/scripted-llm-server';
import { runCli } from '../support/cli-process';

const KEY = 'sk-workspace-7c1e9a3b';

let server: ScriptedLlmServer;
let dir: string;
beforeAll(async () => {
  server = await startScriptedLlmServer({ models: ['gpt-4o-mini'], apiKey: KEY });
  dir = mkdtempSync(join(tmpdir(), 'flowbot-llm-ws-'));
});
afterAll(() => server.close());

/** An in-memory keychain that counts reads of bot secrets (the audit chain's key is read at open: app/audit-key.ts). */
function memorySecrets(values: Record<string, string>): SecretsPort & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    get: async (account) => (account !== AUDIT_KEY_ACCOUNT && reads.push(account), values[account]),
    set: async (account, value) => void (values[account] = value),
    delete: async (account) => delete values[account],
  };
}

const account = secretAccount({ bot: 'default', scope: 'llm', name: 'openai-key' });
const messages = [{ role: 'user' as const, content: 'Hi' }];

async function workspaceWith(llm: WorkspaceConfig['llm'], secrets: SecretsPort) {
  return openWorkspace({ config: { llm, mcpServers: {} }, dataDir: mkdtempSync(join(dir, 'data-')), secrets });
}

describe('workspace: llm provider and secrets', () => {
  it('openai: reads the keychain secret at the first call (not at open), once, and masks it', async () => {
    process.env.FLOWBOT_TEST_LLM_TEAM = 'team-blue-42';
    const secrets = memorySecrets({ [account]: KEY });
    const ws = await workspaceWith(
      { provider: 'openai', baseUrl: server.openaiBaseUrl, model: 'gpt-4o-mini', apiKey: { secret: 'openai-key' }, headers: { 'X-Team': { env: 'FLOWBOT_TEST_LLM_TEAM' } } },
      secrets,
    );
    try {
      expect(secrets.reads).toEqual([]);
      server.script({ content: 'Hello from the OpenAI-compatible server.' }, { content: 'Again.' });
      await expect(ws.llm!.chat({ messages })).resolves.toEqual({ text: 'Hello from the OpenAI-compatible server.', toolCalls: [] });
      await ws.llm!.chat({ messages });
      expect(secrets.reads).toEqual([account]);
      const request = server.requests.at(-1)!;
      expect(request.path).toBe('/v1/chat/completions');
      expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(request.headers['x-team']).toBe('team-blue-42');
      expect(ws.redactor.redact(`key ${KEY}`)).toBe('key [secret]');
    } finally {
      await ws.close();
    }
  });

  it('openai: a refused key names the keychain secret and how to replace it, never the key', async () => {
    const wrong = 'sk-wrong-workspace-5d2f';
    const ws = await workspaceWith(
      { provider: 'openai', baseUrl: server.openaiBaseUrl, model: 'gpt-4o-mini', apiKey: { secret: 'openai-key' } },
      memorySecrets({ [account]: wrong }),
    );
    try {
      const error = await ws.llm!.chat({ messages }).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toBe(
        `The OpenAI-compatible server at ${server.openaiBaseUrl} refused the request (HTTP 401): the API key was refused. ` +
          'Check the keychain secret "openai-key" (llm.apiKey); replace it with: flowbot secrets set openai-key --scope llm.',
      );
      expect((error as Error).message).not.toContain(wrong);
    } finally {
      await ws.close();
    }
  });

  it('openai: a secret that is not set is reported at the call, with the command that sets it', async () => {
    const ws = await workspaceWith({ provider: 'openai', baseUrl: server.openaiBaseUrl, model: 'gpt-4o-mini', apiKey: { secret: 'openai-key' } }, memorySecrets({}));
    try {
      await expect(ws.llm!.chat({ messages })).rejects.toThrow(
        'llm.apiKey refers to the keychain secret "openai-key" (bot "default", scope "llm"), which is not set. Set it with: flowbot secrets set openai-key --scope llm',
      );
    } finally {
      await ws.close();
    }
  });

  it('openai: lists the models through the workspace\'s client', async () => {
    const ws = await workspaceWith({ provider: 'openai', baseUrl: server.openaiBaseUrl, model: 'gpt-4o-mini', apiKey: { secret: 'openai-key' } }, memorySecrets({ [account]: KEY }));
    try {
      await expect(ws.llm!.listModels()).resolves.toEqual([{ name: 'gpt-4o-mini', modifiedAt: expect.any(String) }]);
    } finally {
      await ws.close();
    }
  });

  it('ollama stays the provider for "ollama" (host, optional key sent as a Bearer token)', async () => {
    const ollama = await startScriptedLlmServer({ models: ['qwen3:4b'] });
    const secrets = memorySecrets({ [account]: 'ollama-proxy-key' });
    const ws = await workspaceWith({ provider: 'ollama', host: ollama.url, model: 'qwen3:4b', apiKey: { secret: 'openai-key' } }, secrets);
    try {
      expect(secrets.reads).toEqual([]);
      ollama.script({ content: 'Local answer.' });
      await expect(ws.llm!.chat({ messages })).resolves.toEqual({ text: 'Local answer.', toolCalls: [] });
      expect(ollama.requests.at(-1)!.path).toBe('/api/chat');
      expect(ollama.requests.at(-1)!.headers.authorization).toBe('Bearer ollama-proxy-key');
    } finally {
      await ws.close();
      await ollama.close();
    }
  });
});

describe('flowbot chat with the openai provider', () => {
  it('the FAQ flow answers through an OpenAI-compatible server, the key from the environment', async () => {
    process.env.FLOWBOT_TEST_OPENAI_KEY = KEY;
    const configPath = join(dir, 'openai-workspace.json');
    writeFileSync(configPath, JSON.stringify({ llm: { provider: 'openai', baseUrl: server.openaiBaseUrl, model: 'gpt-4o-mini', apiKey: { env: 'FLOWBOT_TEST_OPENAI_KEY' } } }));
    server.script({ content: 'We are open Monday to Saturday, 9:00 to 18:00.' });
    const { code, messages: said, stderr } = await runCli(
      ['chat', resolve('flows/faq.flow.json'), '--config', configPath, '--data-dir', join(dir, 'cli-data'), '--json'],
      ['When are you open?', 'no'],
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(said).toEqual([
      'Hi! What would you like to know about our shop?',
      'We are open Monday to Saturday, 9:00 to 18:00.',
      'Can I help with anything else? (yes/no)',
      'Thanks for writing to Acme Home. Have a nice day!',
    ]);
    const request = server.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)!;
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request.body.messages!.at(-1)).toEqual({ role: 'user', content: '<input>\nWhen are you open?\n</input>' });
  });

  it('a refused key ends the conversation politely; the key appears nowhere in the output', async () => {
    process.env.FLOWBOT_TEST_OPENAI_KEY = 'sk-cli-wrong-3e8d1c';
    const configPath = join(dir, 'openai-wrong.json');
    writeFileSync(configPath, JSON.stringify({ llm: { provider: 'openai', baseUrl: server.openaiBaseUrl, model: 'gpt-4o-mini', apiKey: { env: 'FLOWBOT_TEST_OPENAI_KEY' } } }));
    const { code, events, stderr } = await runCli(
      ['chat', resolve('flows/faq.flow.json'), '--config', configPath, '--data-dir', join(dir, 'cli-data-2'), '--json'],
      ['Hello?'],
    );
    expect(code).toBe(1);
    expect(events).toContainEqual(expect.objectContaining({ type: 'error', message: expect.stringContaining('refused the request (HTTP 401): the API key was refused. Check the environment variable FLOWBOT_TEST_OPENAI_KEY (llm.apiKey)') }));
    expect(JSON.stringify(events) + stderr).not.toContain('sk-cli-wrong');
  });
});
