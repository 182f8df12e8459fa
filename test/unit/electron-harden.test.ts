import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, appOriginOf, isAllowedNavigation, resolveAppAsset, secureWebPreferences, withCspHeader } from '../../src-main/electron/harden';
import { appResponseHeaders, CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY, mimeTypeOf } from '../../src-main/app/renderer-assets';

const DEV_ORIGIN = 'http://localhost:5173';

const directives = (policy: string): Map<string, string> =>
  new Map(
    policy
      .split(';')
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .map((part) => {
        const [name = '', ...values] = part.split(/\s+/);
        return [name, values.join(' ')] as const;
      }),
  );

describe('isAllowedNavigation', () => {
  it.each([APP_ORIGIN, DEV_ORIGIN])('allows same-origin paths of %s', (origin) => {
    expect(isAllowedNavigation(`${origin}/index.html`, origin)).toBe(true);
    expect(isAllowedNavigation(`${origin}/flows/edit?id=a#node-3`, origin)).toBe(true);
    expect(isAllowedNavigation(`${origin}/`, `${origin}/index.html`)).toBe(true);
  });

  it.each([
    'file:///etc/passwd',
    'file:///C:/Windows/System32/calc.exe',
    'https://evil.example',
    'https://evil.example/index.html',
    'javascript:alert(1)',
    'JavaScript:alert(document.domain)',
    'data:text/html,<script>alert(1)</script>',
    'about:blank',
    'blob:app://flowbot/1234',
    'app://evil/index.html',
    'http://localhost:5174/',
    'https://localhost:5173/',
    'http://127.0.0.1:5173/',
    'http://user:pass@localhost:5173/',
    'ws://localhost:5173/',
    'not a url',
    '',
  ])('denies %s', (url) => {
    expect(isAllowedNavigation(url, APP_ORIGIN)).toBe(false);
    expect(isAllowedNavigation(url, DEV_ORIGIN)).toBe(false);
  });

  it('denies everything when the app origin itself is not an app origin', () => {
    expect(isAllowedNavigation('file:///app/index.html', 'file:///app/index.html')).toBe(false);
    expect(isAllowedNavigation('data:text/html,x', 'data:text/html,x')).toBe(false);
  });

  it('compares hosts case-insensitively and ports after normalisation', () => {
    expect(isAllowedNavigation('APP://FLOWBOT/index.html', APP_ORIGIN)).toBe(true);
    expect(isAllowedNavigation('http://localhost:80/', 'http://localhost')).toBe(true);
  });

  it('returns the origin or null', () => {
    expect(appOriginOf('app://flowbot/a/b.js')).toBe(APP_ORIGIN);
    expect(appOriginOf('http://localhost:5173/x')).toBe(DEV_ORIGIN);
    expect(appOriginOf('file:///x')).toBeNull();
    expect(appOriginOf('javascript:void 0')).toBeNull();
  });
});

describe('Content-Security-Policy', () => {
  const csp = directives(CONTENT_SECURITY_POLICY);

  it('has no unsafe-eval and no inline scripts', () => {
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).not.toContain('wasm-unsafe-eval');
    expect(csp.get('script-src')).toBe("'self'");
  });

  it('locks down objects, base, framing and forms', () => {
    expect(csp.get('object-src')).toBe("'none'");
    expect(csp.get('base-uri')).toBe("'none'");
    expect(csp.get('frame-ancestors')).toBe("'none'");
    expect(csp.get('form-action')).toBe("'none'");
    expect(csp.get('default-src')).toBe("'self'");
    expect(csp.get('connect-src')).toBe("'self'");
  });

  it('is exactly the agreed policy', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    );
  });

  it('matches the <meta> tag in src-renderer/index.html (minus frame-ancestors)', () => {
    const html = readFileSync(join(import.meta.dirname, '../../src-renderer/index.html'), 'utf8');
    const match = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(match?.[1]).toBe(META_CONTENT_SECURITY_POLICY);
    const meta = directives(META_CONTENT_SECURITY_POLICY);
    expect(meta.has('frame-ancestors')).toBe(false);
    expect([...meta.keys()]).toEqual([...csp.keys()].filter((name) => name !== 'frame-ancestors'));
  });

  it('replaces any policy a server sends, whatever the header case', () => {
    const headers = withCspHeader({
      'content-security-policy': ["script-src 'unsafe-eval'"],
      'Content-Security-Policy-Report-Only': ['default-src *'],
      'Content-Type': ['text/html'],
    });
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
    expect(withCspHeader(undefined)).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});

describe('secureWebPreferences', () => {
  const prefs = secureWebPreferences('/app/out/preload/index.cjs');

  it('isolates and sandboxes the page without Node', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
  });

  it('is frozen', () => {
    expect(Object.isFrozen(prefs)).toBe(true);
  });
});

describe('resolveAppAsset', () => {
  const root = join(sep, 'app', 'out', 'renderer');

  it('maps app:// paths into the renderer folder', () => {
    expect(resolveAppAsset(root, 'app://flowbot/index.html')).toBe(join(root, 'index.html'));
    expect(resolveAppAsset(root, 'app://flowbot/')).toBe(join(root, 'index.html'));
    expect(resolveAppAsset(root, 'app://flowbot/assets/index-abc.js?v=1#x')).toBe(join(root, 'assets', 'index-abc.js'));
  });

  it.each([
    'app://flowbot/../../etc/passwd',
    'app://flowbot/%2e%2e/%2e%2e/etc/passwd',
    'app://flowbot/assets/%2F..%2F..%2F..%2Fetc%2Fpasswd',
    'app://flowbot/..%5C..%5Csecret.txt',
    'app://flowbot/%00.html',
    'app://flowbot/%E0%A4%A',
  ])('never leaves the folder: %s', (url) => {
    const file = resolveAppAsset(root, url);
    expect(file === null || file.startsWith(root + sep)).toBe(true);
    expect(file).not.toBe(join(sep, 'etc', 'passwd'));
  });

  it('refuses other origins and schemes', () => {
    expect(resolveAppAsset(root, 'app://other/index.html')).toBeNull();
    expect(resolveAppAsset(root, 'file:///app/out/renderer/index.html')).toBeNull();
    expect(resolveAppAsset(root, 'https://flowbot/index.html')).toBeNull();
  });

  it('serves with the right type, nosniff and the CSP', () => {
    expect(mimeTypeOf('a/index.html')).toMatch(/^text\/html/);
    expect(mimeTypeOf('a/index-abc.JS')).toMatch(/^text\/javascript/);
    expect(mimeTypeOf('a/x.css')).toMatch(/^text\/css/);
    expect(mimeTypeOf('a/unknown.bin')).toBe('application/octet-stream');
    const headers = appResponseHeaders('index.html');
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
    expect(headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
  });
});
