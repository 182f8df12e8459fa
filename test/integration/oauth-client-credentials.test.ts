// The client credentials token source against a real OAuth2 token endpoint on 127.0.0.1.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createClientCredentialsTokenSource,
  OAuthTokenError,
  tokenSourceForConfig,
  type ClientCredentialsOptions,
} from '../../src-main/adapters/oauth/client-credentials';
import { jwtClaims, startTokenServer, type TokenServer } from '../fixtures/oauth/token-server';

// Characters that client_secret_basic must form-urlencode (RFC 6749 §2.3.1).
const SECRET = 's3cr3t:with+odd/chars=';
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function tokenServer(lifetimeSeconds = 3600): Promise<TokenServer> {
  const ts = await startTokenServer({ clientId: 'flowbot', clientSecret: SECRET, lifetimeSeconds });
  cleanup.push(() => ts.stop());
  return ts;
}

function source(ts: TokenServer, extra: Partial<ClientCredentialsOptions> = {}) {
  return createClientCredentialsTokenSource({ server: 'remote', tokenUrl: ts.tokenUrl, clientId: 'flowbot', clientSecret: SECRET, ...extra });
}

async function failure(promise: Promise<unknown>): Promise<OAuthTokenError> {
  const err = await promise.then(
    () => expect.unreachable('expected a failure'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OAuthTokenError);
  const e = err as OAuthTokenError;
  expect(e.server).toBe('remote');
  expect(`${e.message} ${e.stack}`).not.toContain(SECRET);
  return e;
}

describe('client credentials token source', () => {
  it('gets a token with client_secret_basic, sends scope and resource, and caches it', async () => {
    const ts = await tokenServer();
    const tokens = source(ts, { scope: 'tools:read', resource: 'https://mcp.example.com/mcp' });
    const first = await tokens.getToken();
    const again = await tokens.getToken();
    expect(again).toEqual(first);
    expect(ts.issued).toEqual([jwtClaims(first.accessToken).jti]);
    expect(ts.requests).toEqual([expect.objectContaining({ grantType: 'client_credentials', scope: 'tools:read', resource: 'https://mcp.example.com/mcp', clientOk: true })]);
    expect(first.expiresAt).toBeGreaterThan(Date.now() + 3_500_000);
  });

  it('shares one token request between concurrent callers', async () => {
    const ts = await tokenServer();
    const tokens = source(ts);
    const all = await Promise.all(Array.from({ length: 20 }, () => tokens.getToken()));
    expect(new Set(all.map((t) => t.accessToken)).size).toBe(1);
    expect(ts.requests).toHaveLength(1);
  });

  it('refreshes before expiry: every token handed out is unexpired, and several are used', async () => {
    const ts = await tokenServer(2);
    const tokens = source(ts);
    const handedOut = new Set<string>();
    const until = Date.now() + 5_000;
    while (Date.now() < until) {
      const { accessToken } = await tokens.getToken();
      expect(jwtClaims(accessToken).exp * 1000).toBeGreaterThan(Date.now());
      handedOut.add(accessToken);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(handedOut.size).toBeGreaterThanOrEqual(3);
    // Each new token was fetched while its predecessor was still valid (proactive, not on expiry).
    const issuedAt = ts.requests.map((r) => r.at);
    const exps = [...handedOut].map((t) => jwtClaims(t).exp * 1000);
    for (let i = 1; i < exps.length; i++) expect(issuedAt[i]).toBeLessThan(exps[i - 1]!);
  });

  it('refreshes at the margin with an injected clock, and keeps a still-valid token if the refresh fails', async () => {
    const ts = await tokenServer(100);
    let clock = Date.now();
    const tokens = source(ts, { now: () => clock });
    const first = await tokens.getToken();
    expect(first.expiresAt).toBe(clock + 100_000);
    clock += 89_000; // 10 s margin (10% of 100 s): not yet
    expect((await tokens.getToken()).accessToken).toBe(first.accessToken);
    clock += 2_000; // inside the margin: a new token
    const second = await tokens.getToken();
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(ts.issued).toHaveLength(2);

    clock += 95_000; // second is inside its margin, and the endpoint is gone
    await ts.stop();
    expect((await tokens.getToken()).accessToken).toBe(second.accessToken);
    clock += 10_000; // now past its expiry: the failure surfaces
    const err = await failure(tokens.getToken());
    expect(err.kind).toBe('unreachable');
  });

  it('invalidate() fetches a new token next time (a revoked token recovers)', async () => {
    const ts = await tokenServer();
    const tokens = source(ts);
    const first = await tokens.getToken();
    tokens.invalidate();
    const second = await tokens.getToken();
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(ts.issued).toHaveLength(2);
  });

  it('a wrong client secret says invalid_client, names the server and endpoint, and hides the secret', async () => {
    const ts = await tokenServer();
    const tokens = createClientCredentialsTokenSource({ server: 'remote', tokenUrl: ts.tokenUrl, clientId: 'flowbot', clientSecret: 'wrong-secret-123' });
    const err = await failure(tokens.getToken());
    expect(err.kind).toBe('invalid_client');
    expect(err.message).toBe(
      `MCP server "remote": the token endpoint ${ts.tokenUrl} rejected the client id or secret (invalid_client). Check the client secret in the keychain.`,
    );
    expect(err.message).not.toContain('wrong-secret-123');
    expect(ts.issued).toHaveLength(0);
  });

  it('an unreachable token endpoint is a clear error', async () => {
    const ts = await tokenServer();
    await ts.stop();
    const err = await failure(source(ts).getToken());
    expect(err.kind).toBe('unreachable');
    expect(err.message).toBe(`MCP server "remote": could not reach the token endpoint ${ts.tokenUrl} (ECONNREFUSED).`);
  });

  it('a token endpoint that never answers times out', async () => {
    const hang = await silentServer();
    const tokens = createClientCredentialsTokenSource({ server: 'remote', tokenUrl: `${hang}/token`, clientId: 'x', clientSecret: SECRET, timeoutMs: 300 });
    const err = await failure(tokens.getToken());
    expect(err.kind).toBe('timeout');
    expect(err.message).toBe(`MCP server "remote": the token endpoint ${hang}/token did not answer within 0.3 s.`);
  });

  it("a caller's own signal stops its wait without failing the shared request", async () => {
    const ts = await tokenServer();
    const tokens = source(ts);
    const controller = new AbortController();
    const mine = tokens.getToken({ signal: controller.signal });
    const other = tokens.getToken();
    controller.abort();
    expect((await failure(mine)).kind).toBe('cancelled');
    expect((await other).accessToken).toBeTruthy();
  });

  it('a response without access_token, and other OAuth errors, are clear errors', async () => {
    const ts = await tokenServer();
    const tokens = source(ts, {
      fetch: async (url, init) => {
        const res = await fetch(url, init);
        const body = (await res.json()) as Record<string, unknown>;
        delete body.access_token;
        return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
      },
    });
    const err = await failure(tokens.getToken());
    expect(err.kind).toBe('bad_response');
    expect(err.message).toBe(`MCP server "remote": the token endpoint ${ts.tokenUrl} answered without an access_token.`);

    const scoped = source(ts, {
      fetch: async () => new Response(JSON.stringify({ error: 'invalid_scope', error_description: `scope not allowed for ${SECRET}` }), { status: 400 }),
    });
    const scopeErr = await failure(scoped.getToken());
    expect(scopeErr.kind).toBe('rejected');
    expect(scopeErr.message).toBe(`MCP server "remote": the token endpoint ${ts.tokenUrl} refused the token request (invalid_scope: scope not allowed for ***).`);
  });

  it('tokenSourceForConfig resolves the client secret through the resolver', async () => {
    const ts = await tokenServer();
    const refs: unknown[] = [];
    const tokens = await tokenSourceForConfig(
      'remote',
      { type: 'oauth2', tokenUrl: ts.tokenUrl, clientId: 'flowbot', clientSecret: { secret: 'remote-secret' } },
      async (value, ref) => {
        refs.push({ value, ref });
        return SECRET;
      },
    );
    expect(jwtClaims((await tokens.getToken()).accessToken).sub).toBe('flowbot');
    expect(refs).toEqual([{ value: { secret: 'remote-secret' }, ref: { scope: 'remote', field: 'mcpServers.remote.auth.clientSecret' } }]);
  });
});

describe('client credentials without tokenUrl', () => {
  it("finds the token endpoint and the resource in the MCP server's metadata (RFC 9728, RFC 8414)", async () => {
    const ts = await tokenServer();
    const issuer = new URL(ts.tokenUrl).origin;
    const mcp = await metadataServer((base) => ({
      '/.well-known/oauth-protected-resource/mcp': { resource: `${base}/mcp`, authorization_servers: [issuer] },
    }));
    const as = await metadataServer(() => ({
      '/.well-known/oauth-authorization-server': { issuer, token_endpoint: ts.tokenUrl, response_types_supported: ['code'], authorization_endpoint: `${issuer}/authorize` },
    }));
    expect(as).toBeDefined();
    const tokens = createClientCredentialsTokenSource({ server: 'remote', serverUrl: `${mcp}/mcp`, clientId: 'flowbot', clientSecret: SECRET });
    expect(jwtClaims((await tokens.getToken()).accessToken).sub).toBe('flowbot');
    expect(ts.requests).toEqual([expect.objectContaining({ grantType: 'client_credentials', resource: `${mcp}/mcp`, clientOk: true })]);
  });

  it('says where to put tokenUrl when the server publishes no metadata', async () => {
    const bare = await metadataServer(() => ({}));
    const tokens = createClientCredentialsTokenSource({ server: 'remote', serverUrl: `${bare}/mcp`, clientId: 'flowbot', clientSecret: SECRET });
    const err = await failure(tokens.getToken());
    expect(err.kind).toBe('bad_response');
    expect(err.message).toBe(
      `MCP server "remote": the token endpoint ${bare}/token answered HTTP 404. The server publishes no OAuth metadata, so its default endpoint was tried: put the token endpoint in auth.tokenUrl.`,
    );
  });
});

/** Serves fixed JSON documents by path (404 otherwise); `docs` gets the server's own base URL. */
async function metadataServer(docs: (base: string) => Record<string, unknown>): Promise<string> {
  let base = '';
  const server: Server = createServer((req, res) => {
    const doc = docs(base)[new URL(req.url ?? '/', base).pathname];
    res.writeHead(doc ? 200 : 404, { 'content-type': 'application/json' }).end(doc ? JSON.stringify(doc) : '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return base;
}

/** A server that accepts connections and never answers. */
async function silentServer(): Promise<string> {
  const server: Server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
