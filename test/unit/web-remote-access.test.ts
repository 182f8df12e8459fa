// The remote web host's pure parts: sessions (idle and absolute expiry, bound to the password),
// the sign-in limits, the public host names and the sign-in pages' language.
import { describe, expect, it } from 'vitest';
import { createSessionStore } from '../../src-main/web/remote/sessions';
import { createLoginLimiter } from '../../src-main/web/remote/login-limiter';
import { isPublicHost, splitHost } from '../../src-main/web/remote/remote-options';
import { accessLanguage, ACCESS_TEXTS } from '../../src-main/web/remote/texts';
import { cookieValue } from '../../src-main/web/remote/remote-access';

describe('sessions', () => {
  it('end after the idle time without use, after the absolute time in any case, and with a new password', () => {
    let t = 0;
    const store = createSessionStore(() => t, { idleMs: 100, absoluteMs: 250 });
    const s = store.open('salt-1');
    expect(s.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    t = 99;
    expect(store.use(s.id, 'salt-1')).not.toBeNull();
    t = 198;
    expect(store.alive(s.id, 'salt-1')).toBe(true);
    expect(store.use(s.id, 'salt-1')).not.toBeNull();
    t = 249;
    expect(store.use(s.id, 'salt-1')).not.toBeNull();
    t = 250;
    expect(store.use(s.id, 'salt-1')).toBeNull();

    const other = store.open('salt-1');
    expect(store.use(other.id, 'salt-2')).toBeNull();
    expect(store.use(other.id, 'salt-1')).toBeNull(); // forgotten, not only refused
    const idle = store.open('salt-1');
    t += 100;
    expect(store.sweep('salt-1')).toEqual([idle.id]);
    expect(store.size).toBe(0);
    expect(store.use(undefined, 'salt-1')).toBeNull();
  });
});

describe('sign-in limits', () => {
  it('refuse an address after its failures and everyone after the overall failures, until the window ends', () => {
    let t = 0;
    const limiter = createLoginLimiter(() => t, { windowMs: 1000, perAddress: 2, overall: 3 });
    limiter.recordFailure('a');
    limiter.recordFailure('a');
    expect(limiter.check('a')).toEqual({ allowed: false, scope: 'address', retryAfterMs: 1000 });
    expect(limiter.check('b')).toEqual({ allowed: true });
    limiter.recordFailure('b');
    t = 400;
    expect(limiter.check('c')).toEqual({ allowed: false, scope: 'overall', retryAfterMs: 600 });
    t = 1000;
    expect(limiter.check('a')).toEqual({ allowed: true });
    expect(limiter.check('c')).toEqual({ allowed: true });
  });
});

describe('public host names', () => {
  it('match by name (any port) or name and port, and refuse anything else', () => {
    const hosts = ['Studio.Example.com', 'bot.example.com:8443', '[::1]:9000'].map((h) => splitHost(h)!);
    expect(hosts[0]).toEqual({ name: 'studio.example.com' });
    expect(isPublicHost('studio.example.com', hosts)).toBe(true);
    expect(isPublicHost('STUDIO.example.com:8443', hosts)).toBe(true);
    expect(isPublicHost('bot.example.com:8443', hosts)).toBe(true);
    expect(isPublicHost('bot.example.com', hosts)).toBe(false);
    expect(isPublicHost('[::1]:9000', hosts)).toBe(true);
    for (const bad of [undefined, '', 'evil.example.com', 'studio.example.com.evil.test', 'studio.example.com:99999', 'studio.example.com@evil']) {
      expect(isPublicHost(bad, hosts), String(bad)).toBe(false);
    }
    for (const bad of ['https://studio.example.com', 'studio.example.com/path', 'a b', '-x.com', 'x.com:0']) expect(splitHost(bad), bad).toBeNull();
  });
});

describe('sign-in pages', () => {
  it('speak the first language of Accept-Language they know, English otherwise', () => {
    expect(accessLanguage('pt-PT,en;q=0.8')).toBe('pt-BR');
    expect(accessLanguage('de-DE,es;q=0.9,en;q=0.8')).toBe('es');
    expect(accessLanguage('en;q=0.5,es;q=0.9')).toBe('es');
    expect(accessLanguage('fr')).toBe('en');
    expect(accessLanguage(undefined)).toBe('en');
  });

  it('have the same keys and placeholders in every language', () => {
    const keys = Object.keys(ACCESS_TEXTS.en).sort();
    for (const [language, texts] of Object.entries(ACCESS_TEXTS)) {
      expect(Object.keys(texts).sort(), language).toEqual(keys);
      for (const key of keys) {
        const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
        expect(placeholders(texts[key as keyof typeof texts]), `${language}.${key}`).toEqual(placeholders(ACCESS_TEXTS.en[key as keyof typeof ACCESS_TEXTS.en]));
      }
    }
  });

  it('read the session cookie by its exact name', () => {
    expect(cookieValue('a=1; __Host-flowbot-session=abc; b=2', '__Host-flowbot-session')).toBe('abc');
    expect(cookieValue('x__Host-flowbot-session=abc', '__Host-flowbot-session')).toBeUndefined();
    expect(cookieValue('__Host-flowbot-session=', '__Host-flowbot-session')).toBeUndefined();
  });
});

describe('command-line flags', async () => {
  const { remoteAccessFromFlags } = await import('../../src-main/cli/remote-flags');
  it('give the remote option only when asked, and say which flag is missing', () => {
    expect(remoteAccessFromFlags({})).toBeUndefined();
    expect(remoteAccessFromFlags({ 'public-host': ['studio.example.com'], 'tls-cert': 'c.pem', 'tls-key': 'k.pem' })).toEqual({
      publicHosts: ['studio.example.com'],
      tls: { certFile: 'c.pem', keyFile: 'k.pem' },
    });
    expect(remoteAccessFromFlags({ 'public-host': ['a.test'], 'behind-proxy': true, 'trusted-proxy': ['10.0.0.2'] })).toEqual({
      publicHosts: ['a.test'],
      behindProxy: true,
      trustedProxies: ['10.0.0.2'],
    });
    expect(() => remoteAccessFromFlags({ 'public-host': ['a.test'], 'tls-cert': 'c.pem' })).toThrow(/--tls-cert and --tls-key go together/);
    expect(() => remoteAccessFromFlags({ 'behind-proxy': true })).toThrow(/--public-host/);
    expect(() => remoteAccessFromFlags({ 'public-host': ['a.test'], 'trusted-proxy': ['10.0.0.2'] })).toThrow(/needs --behind-proxy/);
  });
});
