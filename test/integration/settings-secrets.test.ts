// Secrets entered in the settings land in the REAL OS keychain (gnome-keyring in npm test's
// private D-Bus session), read back here with keytar, and never in settings.json; values never
// come back out of the API. Also: an LLM key stored as a secret is used by "Test connection",
// an import that moves a token to the keychain, renaming a server moves its secrets, and
// without a keychain every secret call is a clear error.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeytarLike } from '../../src-main/adapters/secrets/keytar-secrets';
import { SECRETS_SERVICE } from '../../src-main/core/secret-account';
import { startScriptedLlmServer } from '../fixtures/scripted-llm-server';
import { envWithoutDbus, filesUnder, findLeaks, requireTestKeyring, run } from '../support/keychain';
import { openTestStudio, type TestStudio } from '../support/studio-api';

requireTestKeyring();

const keytar = createRequire(import.meta.url)('keytar') as KeytarLike;
const tag = randomBytes(4).toString('hex');
/** A scope of its own per run (secrets of the default bot are shared by the test files of one run). */
const scope = (name: string) => `${name}-${tag}`;
const secretValue = () => `s3cr3t/${randomBytes(12).toString('base64')}+x`;
const keychainGet = (account: string) => keytar.getPassword(SECRETS_SERVICE, account);

let t: TestStudio;
beforeEach(() => {
  t = openTestStudio();
});
afterEach(() => t.close());
afterAll(async () => {
  const all = (await keytar.findCredentials?.(SECRETS_SERVICE)) ?? [];
  for (const { account } of all) if (account.includes(tag)) await keytar.deletePassword(SECRETS_SERVICE, account);
});

/** Everything the studio wrote to disk and said, for leak checks. */
const everything = (extra: Record<string, string> = {}) => ({
  files: filesUnder(t.dataDir),
  texts: { events: JSON.stringify(t.events), ...extra },
});

describe('secrets.set / status / delete', () => {
  it('stores the value in the keychain under the bot and scope, reports presence, never returns it', async () => {
    const crm = scope('crm');
    const value = secretValue();
    await t.ok('settings.save', { config: { mcpServers: { [crm]: { command: 'node', args: ['crm.js'], env: { CRM_TOKEN: { secret: 'crm-token' } } } } } });

    const before = await t.ok('secrets.status');
    expect(before).toEqual({
      keychain: { available: true },
      secrets: [{ scope: crm, name: 'crm-token', usedBy: [`mcpServers.${crm}.env.CRM_TOKEN`], present: false }],
    });
    expect(await t.ok('secrets.set', { scope: crm, name: 'crm-token', value })).toEqual({ stored: true });
    expect(await keychainGet(`bot/default/${crm}/crm-token`)).toBe(value);

    const after = await t.ok('secrets.status', { secrets: [{ scope: crm, name: 'other' }] });
    expect(after.secrets).toEqual([
      { scope: crm, name: 'crm-token', usedBy: [`mcpServers.${crm}.env.CRM_TOKEN`], present: true },
      { scope: crm, name: 'other', usedBy: [], present: false },
    ]);
    expect(findLeaks([value], everything({ status: JSON.stringify(after) }))).toEqual([]);

    expect(await t.ok('secrets.delete', { scope: crm, name: 'crm-token' })).toEqual({ deleted: true });
    expect(await keychainGet(`bot/default/${crm}/crm-token`)).toBeNull();
    expect(await t.ok('secrets.delete', { scope: crm, name: 'crm-token' })).toEqual({ deleted: false });
  });

  it('refuses bad addresses, naming the field', async () => {
    expect(await t.call('secrets.set', { scope: 'has space', name: 'x', value: 'v' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('input.scope') } });
    expect(await t.call('secrets.set', { scope: 'llm', name: 'x', value: '' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('input.value: must not be empty') } });
  });

  it('an API key secret is what "Test connection" sends', async () => {
    const key = `sk-${randomBytes(16).toString('hex')}`;
    const server = await startScriptedLlmServer({ apiKey: key });
    try {
      // The LLM scope is shared by the default bot across test files: use a bot of its own.
      await t.ok('bots.create', { name: `Key test ${tag}`, select: true });
      const llm = { provider: 'openai', baseUrl: server.openaiBaseUrl, model: 'qwen3:4b', apiKey: { secret: 'openai-key' } };
      const missing = await t.ok('llm.test', { llm });
      expect(missing).toMatchObject({ ok: false, message: expect.stringContaining('refers to the keychain secret "openai-key"') });
      await t.ok('secrets.set', { scope: 'llm', name: 'openai-key', value: key });
      expect(await t.ok('llm.test', { llm })).toMatchObject({ ok: true });
      expect(server.requests.at(-1)?.headers.authorization).toBe(`Bearer ${key}`);
      await t.ok('settings.save', { config: { llm, mcpServers: {} } });
      expect(findLeaks([key], everything())).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('secrets of MCP servers', () => {
  it('an import moves a token to the keychain and the config keeps only the reference', async () => {
    const gh = scope('github');
    const token = `ghp_${randomBytes(18).toString('hex')}`;
    const text = JSON.stringify({ mcpServers: { [gh]: { command: 'docker', args: ['run', '-i', 'gh'], env: { GITHUB_TOKEN: token, GITHUB_HOST: 'github.com' } } } });
    const out = await t.ok('mcp.import', { text, moveToKeychain: [{ server: gh, name: 'GITHUB_TOKEN' }] });
    expect(out).toEqual({ added: [gh], secretsStored: 1 });
    expect(await keychainGet(`bot/default/${gh}/GITHUB_TOKEN`)).toBe(token);
    expect((await t.ok('settings.get')).config.mcpServers[gh].env).toEqual({ GITHUB_TOKEN: { secret: 'GITHUB_TOKEN' }, GITHUB_HOST: 'github.com' });
    expect(findLeaks([token], everything())).toEqual([]);
  });

  it('renaming a server moves its secrets; removing it can delete them', async () => {
    const [before, after] = [scope('shop'), scope('store')];
    const value = secretValue();
    await t.ok('mcp.saveServer', { name: before, server: { command: 'node', args: ['s.js'], env: { TOKEN: { secret: 'token' } } } });
    await t.ok('secrets.set', { scope: before, name: 'token', value });
    await t.ok('mcp.saveServer', { name: after, previousName: before, server: { command: 'node', args: ['s.js'], env: { TOKEN: { secret: 'token' } } } });
    expect(await keychainGet(`bot/default/${before}/token`)).toBeNull();
    expect(await keychainGet(`bot/default/${after}/token`)).toBe(value);
    expect(await t.ok('mcp.removeServer', { name: after, deleteSecrets: true })).toEqual({ removed: after, secretsDeleted: 1 });
    expect(await keychainGet(`bot/default/${after}/token`)).toBeNull();
  });
});

describe('without a keychain', () => {
  it('says so clearly and stores nothing anywhere', async () => {
    const value = secretValue();
    const calls = [
      ['secrets.status', {}],
      ['secrets.set', { scope: 'llm', name: 'openai-key', value }],
      ['bots.create', { name: 'Second' }],
      ['bots.delete', { id: 'second' }],
    ];
    const ran = await run(process.execPath, ['--import', 'tsx', resolve('test/fixtures/studio-calls.ts'), t.dataDir, JSON.stringify(calls)], { env: envWithoutDbus() });
    expect(ran.code, ran.stderr).toBe(0);
    const [status, set, , del] = JSON.parse(ran.stdout);
    expect(status).toMatchObject({ ok: true, output: { keychain: { available: false, problem: 'unavailable', message: expect.stringContaining('The OS keychain is unavailable') } } });
    expect(set).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('The secret "openai-key" was not stored: The OS keychain is unavailable') } });
    expect(set.error.message).toContain('Flowbot never falls back to storing secrets on disk');
    // A bot whose secrets cannot be removed is not deleted (no secret is left behind without its bot).
    expect(del).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('The bot "second" was not deleted') } });
    expect((await t.ok('bots.list')).bots.map((b: { id: string }) => b.id)).toEqual(['default', 'second']);
    expect(findLeaks([value], { files: filesUnder(join(t.dataDir)), texts: { stdout: ran.stdout, stderr: ran.stderr } })).toEqual([]);
  });
});
