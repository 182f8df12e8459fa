// The HTTP chat's credentials without a server: API keys (made, matched, rotated, revoked, in the
// secrets store under the bot's own account), widget session tokens (bound to a bot and one
// customer, signed, expiring) and the rate limiter's windows, on an injected clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEncryptedFileSecrets } from '../../src-main/adapters/secrets/encrypted-file-secrets';
import { apiKeyAccount, API_KEY_PREFIX, createApiKeys } from '../../src-main/app/http-chat/api-key';
import { createRateLimiter } from '../../src-main/app/http-chat/rate-limit';
import { createWidgetSessions, WIDGET_SESSION_MS } from '../../src-main/app/http-chat/widget-sessions';

const dir = mkdtempSync(join(tmpdir(), 'flowbot-chat-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('API keys', () => {
  it('made, matched only for their own bot, replaced by a rotation, gone after a revocation', async () => {
    const secrets = createEncryptedFileSecrets({ file: join(dir, 'secrets.enc'), masterKey: 'a master key for the unit test, long enough' });
    const keys = createApiKeys(secrets);
    expect(await keys.has('shop')).toBe(false);
    expect(await keys.matches('shop', 'fbk_anything')).toBe(false);
    const first = await keys.rotate('shop');
    expect(first.startsWith(API_KEY_PREFIX)).toBe(true);
    expect(first.length).toBeGreaterThan(40);
    expect(await secrets.get(apiKeyAccount('shop'))).toBe(first);
    expect(apiKeyAccount('shop')).toBe('bot/shop/%40http/api-key');
    expect(await keys.matches('shop', first)).toBe(true);
    expect(await keys.matches('other', first)).toBe(false);
    expect(await keys.matches('shop', first.slice(0, -1))).toBe(false);
    const second = await keys.rotate('shop');
    expect(second).not.toBe(first);
    expect(await keys.matches('shop', first)).toBe(false);
    expect(await keys.matches('shop', second)).toBe(true);
    expect(await keys.revoke('shop')).toBe(true);
    expect(await keys.matches('shop', second)).toBe(false);
    expect(await keys.revoke('shop')).toBe(false);
  });
});

describe('widget sessions', () => {
  it('speak for their own bot and customer until they expire; a changed token is refused', () => {
    let now = 1_000_000;
    const sessions = createWidgetSessions({ clock: { now: () => now } });
    const a = sessions.open('shop');
    const b = sessions.open('shop');
    expect(a.customer).not.toBe(b.customer);
    expect(sessions.verify('shop', a.token)).toBe(a.customer);
    expect(sessions.verify('other', a.token)).toBeUndefined();
    const parts = a.token.split('.');
    const swapped = [...parts.slice(0, 2), b.token.split('.')[2], ...parts.slice(3)].join('.');
    expect(sessions.verify('shop', swapped)).toBeUndefined();
    expect(createWidgetSessions({ clock: { now: () => now } }).verify('shop', a.token)).toBeUndefined(); // another process's key
    now += WIDGET_SESSION_MS;
    expect(sessions.verify('shop', a.token)).toBeUndefined();
  });
});

describe('rate limiter', () => {
  it('allows `limit` hits per key and window, says how long to wait, and starts afresh in the next window', () => {
    let now = 0;
    const limiter = createRateLimiter({ limit: 2, windowMs: 1_000, clock: { now: () => now } });
    expect(limiter.hit('a')).toBeUndefined();
    expect(limiter.hit('a')).toBeUndefined();
    now = 400;
    expect(limiter.hit('a')).toBe(600);
    expect(limiter.hit('b')).toBeUndefined();
    now = 1_000;
    expect(limiter.hit('a')).toBeUndefined();
  });
});
