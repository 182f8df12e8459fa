// Bots through the API: each bot has its own settings, MCP servers, approvals and keychain
// secrets (the real gnome-keyring of npm test's D-Bus session); the studio acts on the active
// bot, which is remembered; deleting a bot takes its secrets and approvals with it.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeytarLike } from '../../src-main/adapters/secrets/keytar-secrets';
import { SECRETS_SERVICE } from '../../src-main/core/secret-account';
import { openApprovalsStore } from '../../src-main/adapters/store/approvals-store';
import { crmServer } from '../support/crm-workspace';
import { requireTestKeyring } from '../support/keychain';
import { openTestStudio, type TestStudio } from '../support/studio-api';

requireTestKeyring();

const keytar = createRequire(import.meta.url)('keytar') as KeytarLike;
const tag = randomBytes(4).toString('hex');
let t: TestStudio;
beforeEach(() => {
  t = openTestStudio();
});
afterEach(() => t.close());
afterAll(async () => {
  for (const { account } of (await keytar.findCredentials?.(SECRETS_SERVICE)) ?? []) {
    if (account.includes(tag)) await keytar.deletePassword(SECRETS_SERVICE, account);
  }
});

const botsChanged = () => t.events.filter((e) => e.event === 'bots.changed').map((e) => e.payload);

describe('bots', () => {
  it('there is always one to begin with, active', async () => {
    expect(await t.ok('bots.list')).toEqual({ bots: [{ id: 'default', name: 'My bot' }], activeBot: 'default' });
  });

  it('keeps each bot\'s settings apart and acts on the active one, remembered across restarts', async () => {
    await t.ok('settings.save', { config: { llm: { provider: 'ollama', model: 'qwen3:4b' }, mcpServers: {} } });
    const created = await t.ok('bots.create', { name: `Shop bot ${tag}`, select: true });
    const shop = created.bot.id;
    expect(created).toEqual({ bot: { id: `shop-bot-${tag}`, name: `Shop bot ${tag}` }, activeBot: shop });
    expect(botsChanged().at(-1)).toEqual({ activeBot: shop });
    // A new bot starts empty.
    expect(await t.ok('settings.get')).toEqual({ config: { mcpServers: {} } });
    await t.ok('settings.save', { config: { llm: { provider: 'openai', model: 'gpt-4o-mini' }, mcpServers: {} } });

    await t.ok('bots.select', { id: 'default' });
    expect((await t.ok('settings.get')).config.llm).toEqual({ provider: 'ollama', model: 'qwen3:4b' });
    await t.ok('bots.select', { id: shop });

    // Another studio on the same data folder (the app restarted) acts on the same bot.
    const again = openTestStudio({ dataDir: t.dataDir });
    try {
      expect((await again.ok('bots.list')).activeBot).toBe(shop);
      expect((await again.ok('settings.get')).config.llm).toEqual({ provider: 'openai', model: 'gpt-4o-mini' });
    } finally {
      await again.studio.close();
    }
  });

  it('a second bot with the same name gets its own id; renaming keeps the id', async () => {
    const a = (await t.ok('bots.create', { name: 'Support' })).bot;
    const b = (await t.ok('bots.create', { name: 'Support' })).bot;
    expect([a.id, b.id]).toEqual(['support', 'support-2']);
    expect(await t.ok('bots.rename', { id: 'support-2', name: 'Support (Spanish)' })).toEqual({ bot: { id: 'support-2', name: 'Support (Spanish)' } });
    expect((await t.ok('bots.list')).bots).toEqual([
      { id: 'default', name: 'My bot' },
      { id: 'support', name: 'Support' },
      { id: 'support-2', name: 'Support (Spanish)' },
    ]);
    expect(await t.call('bots.select', { id: 'nope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await t.call('bots.create', { name: '   ' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('the MCP catalogue and secrets follow the active bot', async () => {
    await t.ok('settings.save', { config: { mcpServers: { crm: crmServer(t.root, {}) } } });
    await t.ok('secrets.set', { scope: `crm-${tag}`, name: 'token', value: `default-value-${tag}` });
    expect((await t.ok('mcp.catalog')).servers.map((s: { name: string }) => s.name)).toEqual(['crm']);

    const other = (await t.ok('bots.create', { name: `Other ${tag}`, select: true })).bot.id;
    expect((await t.ok('mcp.catalog')).servers).toEqual([]);
    const status = await t.ok('secrets.status', { secrets: [{ scope: `crm-${tag}`, name: 'token' }] });
    expect(status.secrets).toEqual([{ scope: `crm-${tag}`, name: 'token', usedBy: [], present: false }]);
    await t.ok('secrets.set', { scope: `crm-${tag}`, name: 'token', value: `other-value-${tag}` });
    expect(await keytar.getPassword(SECRETS_SERVICE, `bot/default/crm-${tag}/token`)).toBe(`default-value-${tag}`);
    expect(await keytar.getPassword(SECRETS_SERVICE, `bot/${other}/crm-${tag}/token`)).toBe(`other-value-${tag}`);
    await t.ok('secrets.delete', { scope: `crm-${tag}`, name: 'token' });
    await t.ok('bots.select', { id: 'default' });
    await t.ok('secrets.delete', { scope: `crm-${tag}`, name: 'token' });
  });

  it('deleting a bot removes its secrets and approvals; the last bot cannot be deleted', async () => {
    const doomed = (await t.ok('bots.create', { name: `Doomed ${tag}`, select: true })).bot.id;
    await t.ok('secrets.set', { scope: 'llm', name: 'openai-key', value: `doomed-key-${tag}` });
    await t.ok('secrets.set', { scope: 'crm', name: 'crm-token', value: `doomed-token-${tag}` });
    await t.ok('mcp.saveServer', { name: 'crm', server: (({ tools: _t, ...s }) => s)(crmServer(t.root, {})) });
    const { command } = await t.ok('mcp.serverStatus', { server: 'crm' });
    await t.ok('mcp.approveServer', { server: 'crm', command });

    const out = await t.ok('bots.delete', { id: doomed });
    expect(out).toEqual({ deleted: doomed, activeBot: 'default', secretsDeleted: 2 });
    expect(await keytar.getPassword(SECRETS_SERVICE, `bot/${doomed}/llm/openai-key`)).toBeNull();
    expect(await keytar.getPassword(SECRETS_SERVICE, `bot/${doomed}/crm/crm-token`)).toBeNull();
    const approvals = openApprovalsStore(t.dataDir);
    try {
      expect(approvals.serverApproval(doomed, 'crm')).toBeUndefined();
    } finally {
      approvals.close();
    }
    expect(botsChanged().at(-1)).toEqual({ activeBot: 'default' });
    expect((await t.ok('bots.list')).bots.map((b: { id: string }) => b.id)).toEqual(['default']);

    expect(await t.call('bots.delete', { id: 'default' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('This is the only bot') },
    });
  });
});
