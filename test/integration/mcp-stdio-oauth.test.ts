// OAuth2 for stdio servers: the access token goes into the configured env variable, and the
// process is replaced with one holding a fresh token before the old token expires, without
// failing a call. The token source is a fake (the real one is tested with the OAuth issue's
// token endpoint); the boundary between them is the port's TokenSource.
import { afterEach, describe, expect, it } from 'vitest';
import type { TokenSource } from '../../src-main/runtime/ports';
import type { McpServerConfig } from '../../src-main/shared/workspace-config';
import { alive, delay, failure, hubFactory, node, waitFor } from '../fixtures/mcp-servers/harness';

const { open, closeAll } = hubFactory();
afterEach(closeAll);

const server = (): McpServerConfig => ({
  ...node('reports-token.js', 'CRM_ACCESS_TOKEN'),
  auth: { type: 'oauth2', tokenUrl: 'https://auth.example.com/token', clientId: 'flowbot', clientSecret: { secret: 'crm-client-secret' }, tokenEnv: 'CRM_ACCESS_TOKEN' },
});

/**
 * Hands out tok-1, tok-2, ...; token n is valid for lifetimes[n-1] (the last entry for the
 * rest). A token is handed out again until it is invalidated or half-expired.
 */
function fakeTokens(...lifetimes: number[]) {
  let n = 0;
  let lifetimeMs = lifetimes[0]!;
  let current: { accessToken: string; expiresAt: number } | undefined;
  const source: TokenSource & { issued: string[]; invalidations: number } = {
    issued: [],
    invalidations: 0,
    async getToken() {
      if (!current || current.expiresAt - Date.now() < lifetimeMs / 2) {
        lifetimeMs = lifetimes[Math.min(n, lifetimes.length - 1)]!;
        current = { accessToken: `tok-${++n}-${'x'.repeat(8)}`, expiresAt: Date.now() + lifetimeMs };
        source.issued.push(current.accessToken);
      }
      return current;
    },
    invalidate() {
      source.invalidations++;
      current = undefined;
    },
  };
  return source;
}

const report = (text: string) => JSON.parse(text) as { pid: number; token: string };

describe('stdio servers with OAuth2', () => {
  it('start with the access token in the configured variable, and the token never shows in logs', async () => {
    const tokens = fakeTokens(600_000);
    const hub = open({ crm: server() }, { tokenSourceFor: (name) => (name === 'crm' ? tokens : undefined) });
    const me = report((await hub.callTool('crm', 'whoami', {})).text);
    expect(me.token).toBe(tokens.issued[0]);
    const status = hub.status('crm');
    expect(status.tokenExpiresAt).toBeGreaterThan(Date.now());
    expect(status.stderr).toContain('started with token [secret]'); // the fixture prints it; we mask it
    expect(JSON.stringify([status, hub.events])).not.toContain(tokens.issued[0]);
  });

  it('replace the process before the token expires, letting calls in flight finish, failing none', async () => {
    const tokens = fakeTokens(1_500, 600_000); // a short-lived first token, then long-lived ones
    const hub = open({ crm: server() }, { tokenSourceFor: () => tokens, tokenRefreshMarginMs: 60_000 });
    const first = report((await hub.callTool('crm', 'whoami', {})).text);
    expect(first.token).toBe(tokens.issued[0]);

    // A long call on the first process, and a steady stream of short calls across the switch.
    const long = hub.callTool('crm', 'sleep', { ms: 1_500 });
    const results: Promise<{ pid: number; token: string }>[] = [];
    let switched = false;
    const stream = (async () => {
      while (!switched) {
        results.push(hub.callTool('crm', 'whoami', {}).then((r) => report(r.text)));
        await delay(25);
      }
    })();
    await waitFor(() => hub.eventsOf('ready').some((e) => e.type === 'ready' && e.detail.reason === 'token_refresh'), 'the replacement process');
    // A few more calls after the switch, then stop the stream.
    await delay(100);
    switched = true;
    await stream;

    const all = await Promise.all(results); // none failed
    const second = report((await hub.callTool('crm', 'whoami', {})).text);
    expect(second.token).toBe(tokens.issued[1]);
    expect(second.pid).not.toBe(first.pid);
    expect(all.every((r) => (r.pid === first.pid && r.token === first.token) || (r.pid === second.pid && r.token === second.token))).toBe(true);
    expect(all.at(-1)).toEqual(second);

    // The long call finished on the old process, with the old token...
    expect(report((await long).text)).toEqual(first);
    // ...then the old process was stopped.
    await waitFor(() => !alive(first.pid), 'the old process to end');
    expect(hub.eventsOf('crashed')).toEqual([]);
    expect(hub.status('crm')).toMatchObject({ state: 'ready', pid: second.pid, restarts: 0 });
    expect(hub.eventsOf('starting').map((e) => e.type === 'starting' && e.detail.reason)).toEqual(['first_use', 'token_refresh']);
  });

  it('ask for a new token when the source would hand out the same one again', async () => {
    // Tokens the source considers fresh for the whole test: the hub must not reuse the old one.
    let n = 0;
    let current: { accessToken: string; expiresAt: number } | undefined;
    const tokens: TokenSource = {
      async getToken() {
        current ??= { accessToken: `sticky-${++n}-token`, expiresAt: Date.now() + 1_200 };
        return current;
      },
      invalidate() {
        current = undefined;
      },
    };
    const hub = open({ crm: server() }, { tokenSourceFor: () => tokens });
    expect(report((await hub.callTool('crm', 'whoami', {})).text).token).toBe('sticky-1-token');
    await waitFor(() => hub.eventsOf('ready').length >= 2, 'the replacement process');
    expect(report((await hub.callTool('crm', 'whoami', {})).text).token).toBe('sticky-2-token');
  });

  it('keep the running process when the refresh fails, and tell the owner', async () => {
    let calls = 0;
    const tokens: TokenSource = {
      async getToken() {
        if (++calls > 1) throw new Error('invalid_client: the client secret is wrong');
        return { accessToken: 'only-token-1', expiresAt: Date.now() + 1_200 };
      },
      invalidate() {},
    };
    const hub = open({ crm: server() }, { tokenSourceFor: () => tokens });
    const first = report((await hub.callTool('crm', 'whoami', {})).text);
    const warning = await waitFor(() => hub.eventsOf('warning')[0], 'the refresh failure');
    expect(warning).toMatchObject({
      detail: { kind: 'auth', message: 'MCP server "crm": could not replace the process before its access token expires: could not get an OAuth2 access token: invalid_client: the client secret is wrong' },
    });
    expect(report((await hub.callTool('crm', 'whoami', {})).text)).toEqual(first);
  });

  it('fail clearly without a token source, or when no token can be had', async () => {
    const none = open({ crm: server() });
    const err = await failure(none.listTools('crm'));
    expect(err.kind).toBe('auth');
    expect(err.message).toBe('MCP server "crm" uses OAuth2 (mcpServers.crm.auth), but no token source is available to get its access token.');

    const broken = open({ crm: server() }, {
      tokenSourceFor: () => ({
        getToken: async () => {
          throw new Error('token endpoint answered 401: invalid_client');
        },
        invalidate() {},
      }),
    });
    const err2 = await failure(broken.listTools('crm'));
    expect(err2).toMatchObject({ kind: 'auth', message: 'MCP server "crm": could not get an OAuth2 access token: token endpoint answered 401: invalid_client' });
    expect(broken.status('crm').state).toBe('failed'); // no restart loop: the next call tries again
  });
});
