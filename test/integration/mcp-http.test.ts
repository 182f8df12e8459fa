// Streamable HTTP MCP servers through createHttpTransport: the real SDK client against a real
// SDK server on 127.0.0.1, with plain headers, and with OAuth2 tokens from a real token endpoint.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpTransport, tokenSourceForConfig } from '../../src-main/adapters/mcp/http-transport';
import type { ValueRef, ValueResolver } from '../../src-main/runtime/ports';
import type { HttpServerConfig } from '../../src-main/shared/workspace-config';
import { startHttpMcpServer, type HttpMcpServer } from '../fixtures/http-mcp-server';
import { startTokenServer, type TokenServer } from '../fixtures/oauth/token-server';

const SECRET = 'remote-client-secret-42';
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

const refs: ValueRef[] = [];
const keychain: Record<string, string> = { 'remote-secret': SECRET, 'wrong-secret': 'not-the-secret-99', 'api-key': 'key-123' };
const resolveValue: ValueResolver = async (value, ref) => {
  refs.push(ref);
  if (typeof value === 'string') return value;
  if ('secret' in value && keychain[value.secret] !== undefined) return keychain[value.secret]!;
  throw new Error(`${ref.field}: no such secret`);
};

async function oauthSetup(lifetimeSeconds: number) {
  const ts = await startTokenServer({ clientId: 'flowbot', clientSecret: SECRET, lifetimeSeconds });
  cleanup.push(() => ts.stop());
  const mcp = await startHttpMcpServer({ auth: { issuer: ts.issuer, jwksUrl: ts.jwksUrl, isRevoked: ts.isRevoked } });
  cleanup.push(() => mcp.stop());
  return { ts, mcp };
}

function oauthConfig(ts: TokenServer, mcp: HttpMcpServer, secret = 'remote-secret'): HttpServerConfig {
  return { url: mcp.url, auth: { type: 'oauth2', tokenUrl: ts.tokenUrl, clientId: 'flowbot', clientSecret: { secret } } };
}

async function connect(name: string, config: HttpServerConfig, refreshMarginMs?: number): Promise<Client> {
  const tokenSource = config.auth ? await tokenSourceForConfig(name, config.auth, resolveValue, { refreshMarginMs }) : undefined;
  const transport = await createHttpTransport(name, config, { resolveValue, tokenSource });
  const client = new Client({ name: 'flowbot-test', version: '1.0.0' });
  await client.connect(transport);
  cleanup.push(() => client.close());
  return client;
}

async function whoami(client: Client): Promise<Record<string, unknown>> {
  const result = await client.callTool({ name: 'whoami', arguments: {} });
  return result.structuredContent as Record<string, unknown>;
}

/** Every message from a failed connect, its causes included. */
function allText(err: unknown): string {
  const parts: string[] = [];
  for (let e = err; e instanceof Error; e = e.cause) parts.push(e.message, e.stack ?? '');
  return parts.join('\n');
}

describe('Streamable HTTP MCP servers', () => {
  it('lists and calls tools with configured headers resolved through the resolver (no auth)', async () => {
    const mcp = await startHttpMcpServer();
    cleanup.push(() => mcp.stop());
    refs.length = 0;
    const client = await connect('plain', { url: mcp.url, headers: { 'X-Api-Key': { secret: 'api-key' } } });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['echo', 'whoami']);
    const echoed = await client.callTool({ name: 'echo', arguments: { text: 'hello' } });
    expect(echoed.content).toEqual([{ type: 'text', text: 'hello' }]);
    expect(await whoami(client)).toMatchObject({ sub: null, apiKey: 'key-123' });
    expect(refs).toEqual([{ scope: 'plain', field: 'mcpServers.plain.headers.X-Api-Key' }]);
    expect(mcp.seen.every((r) => r.authorization === undefined)).toBe(true);
  });

  it('with 3-second tokens, ~8 s of calls never send an expired token and refresh before expiry', async () => {
    const { ts, mcp } = await oauthSetup(3);
    // A 1 s margin (the default would be 0.3 s) so a busy CI machine stalling a request between
    // the client and the server cannot make a token expire in flight.
    const client = await connect('remote', oauthConfig(ts, mcp), 1_000);
    const until = Date.now() + 8_000;
    let calls = 0;
    while (Date.now() < until) {
      expect(await whoami(client)).toMatchObject({ sub: 'flowbot' });
      calls++;
      await new Promise((r) => setTimeout(r, 150));
    }
    expect(calls).toBeGreaterThan(10);
    // Every request carried a bearer token that was unexpired when it arrived: no 401 at all,
    // so each new token was fetched ahead of expiry, not after a rejection.
    expect(mcp.seen.length).toBeGreaterThan(calls);
    for (const r of mcp.seen) {
      expect(r.authorization).toMatch(/^Bearer /);
      expect(r.token!.exp * 1000).toBeGreaterThan(r.at);
      expect(r.status).not.toBe(401);
    }
    const used = new Set(mcp.seen.map((r) => r.token!.jti));
    expect(used.size).toBeGreaterThanOrEqual(3);
    expect([...used]).toEqual(ts.issued.filter((jti) => used.has(jti)));
    // Tokens travel only in the Authorization header.
    const tokens = mcp.seen.map((r) => r.authorization!.slice('Bearer '.length));
    for (const r of mcp.seen) for (const t of tokens) expect(r.url).not.toContain(t);
  });

  it('a token revoked at the server recovers: 401, a new token, the call succeeds', async () => {
    const { ts, mcp } = await oauthSetup(3600);
    const client = await connect('remote', oauthConfig(ts, mcp));
    const before = await whoami(client);
    const current = mcp.seen.at(-1)!.authorization!.slice('Bearer '.length);
    ts.revoke(current);
    const seenBefore = mcp.seen.length;

    const after = await whoami(client);
    expect(after.sub).toBe('flowbot');
    expect(after.jti).not.toBe(before.jti);
    expect(ts.issued).toEqual([before.jti, after.jti]);
    const retried = mcp.seen.slice(seenBefore);
    expect(retried.map((r) => r.status)).toEqual([401, 'passed']);
    expect(retried[1]!.token!.jti).toBe(after.jti);
    // And it stays recovered.
    expect((await whoami(client)).jti).toBe(after.jti);
  });

  it('concurrent calls that all hit a revoked token fetch one new token between them', async () => {
    const { ts, mcp } = await oauthSetup(3600);
    const client = await connect('remote', oauthConfig(ts, mcp));
    const before = await whoami(client);
    ts.revoke(mcp.seen.at(-1)!.authorization!.slice('Bearer '.length));
    const results = await Promise.all(Array.from({ length: 5 }, () => whoami(client)));
    expect(new Set(results.map((r) => r.jti))).toEqual(new Set([ts.issued[1]]));
    expect(ts.issued).toHaveLength(2);
    expect(ts.issued[0]).toBe(before.jti);
  });

  it('a server that rejects even a new token gives a clear error', async () => {
    const ts = await startTokenServer({ clientId: 'flowbot', clientSecret: SECRET, lifetimeSeconds: 3600 });
    cleanup.push(() => ts.stop());
    const mcp = await startHttpMcpServer({ auth: { issuer: ts.issuer, jwksUrl: ts.jwksUrl, isRevoked: () => true } });
    cleanup.push(() => mcp.stop());
    const err = await connect('remote', oauthConfig(ts, mcp)).then(() => expect.unreachable(), (e: unknown) => e);
    expect((err as Error).message).toContain('MCP server "remote" rejected a newly issued access token (HTTP 401)');
    expect(ts.issued).toHaveLength(2);
  });

  it('a wrong client secret is a clear error naming the server and invalid_client, without the secret', async () => {
    const { ts, mcp } = await oauthSetup(3600);
    const err = await connect('remote', oauthConfig(ts, mcp, 'wrong-secret')).then(() => expect.unreachable(), (e: unknown) => e);
    expect((err as Error).message).toBe(
      `MCP server "remote": the token endpoint ${ts.tokenUrl} rejected the client id or secret (invalid_client). Check the client secret in the keychain.`,
    );
    expect(allText(err)).not.toContain('not-the-secret-99');
    expect(allText(err)).not.toContain(SECRET);
    expect(mcp.seen).toHaveLength(0);
  });

  it('a token endpoint that is down is a clear error, and nothing reaches the MCP server', async () => {
    const { ts, mcp } = await oauthSetup(3600);
    await ts.stop();
    const err = await connect('remote', oauthConfig(ts, mcp)).then(() => expect.unreachable(), (e: unknown) => e);
    expect((err as Error).message).toBe(`MCP server "remote": could not reach the token endpoint ${ts.tokenUrl} (ECONNREFUSED).`);
    expect(mcp.seen).toHaveLength(0);
  });
});
