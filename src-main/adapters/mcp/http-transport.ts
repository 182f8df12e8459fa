// Streamable HTTP transport for `url` MCP servers: the SDK's client transport, with the
// configured headers resolved ({secret}/{env}) and, for OAuth2 client credentials servers, a
// bearer token on every request from a TokenSource. Every other url server gets the browser
// sign-in's authProvider (adapters/oauth/mcp-sign-in.ts): the SDK's own 401 handling, which
// fits there (the owner signs in; tokens are renewed by the provider before they expire).
//
// For client credentials:
// Why a fetch wrapper and not the SDK's `authProvider` (ClientCredentialsProvider):
// - the SDK transport sends whatever `provider.tokens()` holds and only fetches a new token
//   after a 401, so it never refreshes before expiry; that is the n8n failure we must avoid;
// - on a 401 it runs RFC 9728 / RFC 8414 discovery against the MCP server to find the token
//   endpoint, while our config names the token URL directly and servers need not publish
//   that metadata;
// - its token request has no timeout or AbortSignal, and its errors name neither the server nor
//   what to fix.
// The wrapper keeps everything else the SDK's (sessions, SSE, protocol headers, same-origin
// redirects). The token only ever goes in the Authorization header, never in a URL.
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike, Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { TokenSource, ValueResolver } from '../../runtime/ports';
import type { HttpServerConfig } from '../../shared/workspace-config';
import { OAuthTokenError, tokenSourceForConfig } from '../oauth/client-credentials';
import type { SignInConnection } from '../oauth/mcp-sign-in';

export { tokenSourceForConfig } from '../oauth/client-credentials';

export interface HttpTransportDeps {
  resolveValue: ValueResolver;
  /** Pass the server's long-lived token source so its token survives reconnects. Without one,
   *  a server with `auth` gets a new token source here. */
  tokenSource?: TokenSource;
  /** For a server without `auth`: the browser sign-in's provider (the SDK runs the MCP
   *  authorization flow on a 401 with it; with nothing stored, the connection fails with
   *  SignInRequiredError: "needs sign-in"). */
  signIn?: SignInConnection;
  fetch?: typeof fetch;
}

export async function createHttpTransport(name: string, config: HttpServerConfig, deps: HttpTransportDeps): Promise<Transport> {
  const headers: Record<string, string> = {};
  for (const [header, value] of Object.entries(config.headers ?? {})) {
    headers[header] = await deps.resolveValue(value, { scope: name, field: `mcpServers.${name}.headers.${header}` });
  }
  const tokens = deps.tokenSource ?? (config.auth ? await tokenSourceForConfig(name, config.auth, deps.resolveValue, { fetch: deps.fetch }) : undefined);
  const base: FetchLike = deps.fetch ?? fetch;
  if (tokens) return new StreamableHTTPClientTransport(new URL(config.url), { requestInit: { headers }, fetch: withBearer(name, tokens, base) });
  if (deps.signIn) {
    return new StreamableHTTPClientTransport(new URL(config.url), { requestInit: { headers }, fetch: deps.signIn.fetch(base), authProvider: deps.signIn.authProvider });
  }
  return new StreamableHTTPClientTransport(new URL(config.url), { requestInit: { headers }, fetch: base });
}

/** Adds `Authorization: Bearer` (overriding a configured one); on a 401, one retry with a new token. */
export function withBearer(server: string, tokens: TokenSource, base: FetchLike): FetchLike {
  return async (url, init) => {
    const signal = init?.signal ?? undefined;
    const send = (token: string) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${token}`);
      return base(url, { ...init, headers });
    };
    const used = await tokens.getToken({ signal });
    const res = await send(used.accessToken);
    // The SDK sends message bodies as strings, so the request can be replayed.
    if (res.status !== 401 || !(init?.body == null || typeof init.body === 'string')) return res;
    await res.body?.cancel();
    // Revoked (or expired early) at the server. Drop it only if it is still the current token:
    // concurrent 401s for one revoked token then fetch one new token, not one each.
    if ((await tokens.getToken({ signal })).accessToken === used.accessToken) tokens.invalidate();
    const retry = await send((await tokens.getToken({ signal })).accessToken);
    if (retry.status !== 401) return retry;
    await retry.body?.cancel();
    throw new OAuthTokenError(
      server,
      'rejected',
      `MCP server "${server}" rejected a newly issued access token (HTTP 401). Check that the OAuth client is allowed to use this server (scope, audience/resource).`,
    );
  };
}
