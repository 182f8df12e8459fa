// `flowbot bot api-key`: the key printed once on stdout alone (--rotate), never by the plain
// form; --revoke deletes it (exit 1 when there was none); usage errors say what is missing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEncryptedFileSecrets } from '../../src-main/adapters/secrets/encrypted-file-secrets';
import { createApiKeys } from '../../src-main/app/http-chat/api-key';
import { botCommand } from '../../src-main/cli/commands/bot';

const dir = mkdtempSync(join(tmpdir(), 'flowbot-cli-api-key-'));
const secrets = createEncryptedFileSecrets({ file: join(dir, 'secrets.enc'), masterKey: 'a master key for the cli test, long enough' });
let out: string[];
let err: string[];
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
});
afterEach(() => vi.restoreAllMocks());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('flowbot bot api-key', () => {
  it('rotates (the key alone on stdout), tells whether there is one without showing it, revokes', async () => {
    expect(await botCommand(['api-key', '--bot', 'shop'], { secrets })).toBe(0);
    expect(out.join('')).toContain('has no API key');
    out = [];
    expect(await botCommand(['api-key', '--bot', 'shop', '--rotate'], { secrets })).toBe(0);
    const key = out.join('').trim();
    expect(key).toMatch(/^fbk_[A-Za-z0-9_-]{43}$/);
    expect(await createApiKeys(secrets).matches('shop', key)).toBe(true);
    out = [];
    expect(await botCommand(['api-key', '--bot', 'shop'], { secrets })).toBe(0);
    expect(out.join('')).toContain('has an API key');
    expect(out.join('') + err.join('')).not.toContain(key);
    expect(await botCommand(['api-key', '--bot', 'shop', '--revoke'], { secrets })).toBe(0);
    expect(await createApiKeys(secrets).matches('shop', key)).toBe(false);
    expect(await botCommand(['api-key', '--bot', 'shop', '--revoke'], { secrets })).toBe(1);
    expect(err.join('')).toContain('has no API key; nothing was revoked');
  });

  it('usage errors name what is missing', async () => {
    await expect(botCommand(['api-key'], { secrets })).rejects.toThrow('bot api-key needs --bot NAME');
    await expect(botCommand(['api-key', '--bot', 'shop', '--rotate', '--revoke'], { secrets })).rejects.toThrow('--rotate or --revoke, not both');
    await expect(botCommand(['keys'], { secrets })).rejects.toThrow('bot needs "export", "import" or "api-key", not "keys"');
  });
});
