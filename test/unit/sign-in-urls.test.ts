// The pure parts of the browser sign-in: which URLs may be opened, how BROWSER is read (as
// xdg-open reads it), the server's Bearer challenge, scope coverage.
import { describe, expect, it } from 'vitest';
import { browserCommands, checkAuthorizationUrl } from '../../src-main/adapters/oauth/open-authorization-url';
import { coversScope, readChallenge } from '../../src-main/adapters/oauth/mcp-oauth-provider';
import { AuthorizationUrlSchema, isOpenableUrl } from '../../src-main/shared/api/mcp-sign-in';

describe('authorization URLs the studio opens', () => {
  it('opens https anywhere and http only on this computer', () => {
    for (const ok of ['https://auth.example.com/authorize?x=1', 'http://127.0.0.1:8080/authorize', 'http://localhost/authorize', 'http://[::1]:9/a']) {
      expect(checkAuthorizationUrl(ok).href).toBe(new URL(ok).href);
    }
  });

  it('refuses every other scheme, http elsewhere, credentials in the URL and garbage, in plain words', () => {
    for (const bad of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,<b>x</b>', 'vbscript:msgbox', 'http://auth.example.com/', 'http://127.0.0.1.evil.com/', 'https://u:p@auth.example.com/', 'ms-settings:', 'not a url']) {
      expect(() => checkAuthorizationUrl(bad)).toThrow(/The sign-in page address ".*" was refused: only https addresses \(or http on this computer\) are opened\./);
    }
  });

  it('is one rule: the address the studio hands to the page (mcp.signIn) is refused exactly when the opener refuses it', () => {
    const cases = ['https://auth.example.com/authorize?x=1', 'http://127.0.0.1:8080/authorize', 'http://localhost/a', 'http://[::1]:9/a', 'javascript:alert(1)', 'file:///etc/passwd', 'http://auth.example.com/', 'https://u:p@auth.example.com/', 'https://u@auth.example.com/', 'not a url'];
    for (const url of cases) {
      const opens = (() => {
        try {
          checkAuthorizationUrl(url);
          return true;
        } catch {
          return false;
        }
      })();
      expect(isOpenableUrl(url), url).toBe(opens);
      expect(AuthorizationUrlSchema.safeParse(url).success, url).toBe(opens);
    }
  });
});

describe('BROWSER, read as xdg-open reads it', () => {
  const url = 'https://auth.example.com/authorize?a=1&b=2';
  it('adds the URL as the last argument, or puts it where %s is; never through a shell', () => {
    expect(browserCommands(url, 'firefox --new-tab', 'linux')).toEqual([['firefox', '--new-tab', url]]);
    expect(browserCommands(url, 'chromium --app=%s', 'linux')).toEqual([['chromium', `--app=${url}`]]);
    expect(browserCommands(url, 'nope:w3m', 'linux')).toEqual([['nope', url], ['w3m', url]]);
  });
  it('falls back to the system opener', () => {
    expect(browserCommands(url, undefined, 'linux')).toEqual([['xdg-open', url]]);
    expect(browserCommands(url, '  ', 'darwin')).toEqual([['open', url]]);
    expect(browserCommands(url, '', 'win32')).toEqual([['rundll32', 'url.dll,FileProtocolHandler', url]]);
  });
});

describe('the server challenge', () => {
  const challenge = (header: string) => readChallenge(new Response(null, { status: 401, headers: { 'www-authenticate': header } }));
  it('reads scope, error and resource_metadata, quoted or not', () => {
    expect(challenge('Bearer error="insufficient_scope", scope="files:read files:write", resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp"')).toEqual({
      error: 'insufficient_scope',
      scope: 'files:read files:write',
      resourceMetadataUrl: new URL('https://mcp.example.com/.well-known/oauth-protected-resource/mcp'),
    });
    expect(challenge('Bearer scope=read')).toEqual({ scope: 'read' });
    expect(challenge('Basic realm="x"')).toEqual({});
    expect(challenge('Bearer resource_metadata="not a url"')).toEqual({});
  });
  it('a scope covers another when it has every part of it', () => {
    expect(coversScope('a b c', 'c a')).toBe(true);
    expect(coversScope('a', 'a b')).toBe(false);
    expect(coversScope(undefined, 'a')).toBe(false);
  });
});
