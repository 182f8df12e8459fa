// The redactor and the keychain account names: pure, no keychain needed.
import { describe, expect, it } from 'vitest';
import { createRedactor, encodedForms } from '../../src-main/core/redact';
import { parseSecretAccount, secretAccount } from '../../src-main/core/secret-account';

describe('redactor', () => {
  it('masks every occurrence of every known secret', () => {
    const r = createRedactor();
    r.add('hunter22');
    r.add('sk-live-abc');
    expect(r.redact('pw=hunter22 key=sk-live-abc again hunter22')).toBe('pw=[secret] key=[secret] again [secret]');
    expect(r.size).toBe(2);
  });

  it('masks URL-encoded, JSON-escaped and base64 forms', () => {
    const r = createRedactor();
    const secret = 'p@ss w/rd+"x"';
    r.add(secret);
    expect(r.redact(`https://h/?t=${encodeURIComponent(secret)}`)).toBe('https://h/?t=[secret]');
    expect(r.redact(`q=${encodeURIComponent(secret).replace(/%20/g, '+')}`)).toBe('q=[secret]');
    expect(r.redact(JSON.stringify({ token: secret }))).toBe('{"token":"[secret]"}');
    expect(r.redact(`Bearer ${Buffer.from(secret).toString('base64')}`)).not.toContain(Buffer.from(secret).toString('base64').slice(0, 12));
    // Inside a longer base64 text at any alignment, e.g. Basic auth "user:secret".
    for (const user of ['u', 'us', 'use']) {
      const basic = Buffer.from(`${user}:${secret}`).toString('base64');
      expect(r.redact(`Authorization: Basic ${basic}`)).toContain('[secret]');
    }
    expect(r.redact(Buffer.from(secret).toString('base64url'))).toContain('[secret]');
  });

  it('masks a longer secret whole when it contains a shorter one', () => {
    const r = createRedactor();
    r.add('abcd');
    r.add('abcdefgh');
    expect(r.redact('abcdefgh abcd')).toBe('[secret] [secret]');
  });

  it('ignores values shorter than 4 characters (too noisy to mask)', () => {
    const r = createRedactor();
    r.add('abc');
    r.add('');
    expect(r.size).toBe(0);
    expect(r.redact('abc abc')).toBe('abc abc');
    expect(encodedForms('abcd').every((f) => f.length >= 4)).toBe(true);
  });

  it('redacts JSON values deeply, keys included, and keeps untouched values as they are', () => {
    const r = createRedactor();
    r.add('s3cret-value');
    const clean = { a: [1, { b: 'ok' }], c: null };
    expect(r.redactValue(clean)).toBe(clean);
    const redacted = r.redactValue({ list: ['x s3cret-value y', 42, true], nested: { 's3cret-value': { deep: 's3cret-value' } }, n: null });
    expect(redacted).toEqual({ list: ['x [secret] y', 42, true], nested: { '[secret]': { deep: '[secret]' } }, n: null });
    const proto = r.redactValue(JSON.parse('{"__proto__": {"x": "s3cret-value"}}') as Record<string, unknown>);
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(Object.keys(proto)).toEqual(['__proto__']);
  });

  it('handles regex characters in secrets literally', () => {
    const r = createRedactor();
    r.add('a.b*c(d)[e]$');
    expect(r.redact('xa.b*c(d)[e]$y aXbbc(d)[e]$')).toBe('x[secret]y aXbbc(d)[e]$');
  });
});

describe('keychain account names', () => {
  it('namespace by bot and scope, without ambiguity', () => {
    expect(secretAccount({ bot: 'shop', scope: 'crm', name: 'crm-token' })).toBe('bot/shop/crm/crm-token');
    expect(secretAccount({ bot: 'shop', scope: 'llm', name: 'api key' })).toBe('bot/shop/llm/api%20key');
    expect(secretAccount({ bot: 'a/b', scope: 'c', name: 'd' })).not.toBe(secretAccount({ bot: 'a', scope: 'b/c', name: 'd' }));
    expect(parseSecretAccount(secretAccount({ bot: 'a/b', scope: 'crm', name: 'x/y' }))).toEqual({ bot: 'a/b', scope: 'crm', name: 'x/y' });
    expect(parseSecretAccount('probe/123')).toBeUndefined();
    expect(() => secretAccount({ bot: '', scope: 'crm', name: 'x' })).toThrow('non-empty bot');
  });
});
