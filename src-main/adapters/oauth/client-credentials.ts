// OAuth2 client credentials grant (RFC 6749 §4.4) for one MCP server: the token lives in memory
// only, is refreshed before it expires (not only after a 401), and concurrent callers share one
// token request. Errors name the server and the token endpoint, never the secret or a token.
//
// The client proves itself with client_secret_basic or private_key_jwt (RFC 7523, the SDK's
// signer). Without a configured tokenUrl the endpoint is discovered from the MCP server's
// metadata with the SDK (RFC 9728 protected resource, then RFC 8414 / OpenID authorization
// server metadata), which also gives the resource indicator. The token request itself stays
// ours rather than the SDK's fetchToken: it refuses redirects (they would re-send the
// credentials elsewhere), has a timeout, and says what to fix.
import { createPrivateKey } from 'node:crypto';
import { discoverOAuthServerInfo } from '@modelcontextprotocol/sdk/client/auth.js';
import { createPrivateKeyJwtAuth } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import type { AuthorizationServerMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import { z } from 'zod';
import type { CallOptions, TokenSource, ValueResolver } from '../../runtime/ports';
import type { OAuth2Config } from '../../shared/workspace-config';
import { tryParseJson } from '../../shared/try-parse-json';

export type OAuthErrorKind =
  | 'invalid_client' // the endpoint rejected the client id or secret
  | 'rejected' // any other OAuth error (invalid_scope, unauthorized_client, ...)
  | 'unreachable' // connection refused, DNS, TLS, a redirect
  | 'timeout'
  | 'cancelled'
  | 'bad_response'; // not JSON, no access_token, not a bearer token

export class OAuthTokenError extends Error {
  override name = 'OAuthTokenError';
  constructor(
    readonly server: string,
    readonly kind: OAuthErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface ClientCredentialsOptions {
  /** The MCP server's name in the config, for messages. */
  server: string;
  /** The token endpoint; without it, found from the metadata of `serverUrl`. */
  tokenUrl?: string;
  /** The MCP server's URL (remote servers): where discovery starts. */
  serverUrl?: string;
  clientId: string;
  /** client_secret_basic; or privateKey (PEM, PKCS #8) for private_key_jwt. */
  clientSecret?: string;
  privateKey?: string;
  /** The JWT signing algorithm (default: from the key's type: RSA RS256, P-256 ES256, ...). */
  algorithm?: string;
  scope?: string;
  /** RFC 8707 resource indicator. */
  resource?: string;
  /** Refresh this long before expiry. Default: 60 s, or 10% of the token's lifetime when that is shorter. */
  refreshMarginMs?: number;
  /** Bound on one token request (default 30 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

const TokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().finite().nonnegative().optional(),
});
const ErrorResponseSchema = z.object({ error: z.string(), error_description: z.string().optional() });

const RETRY_REFRESH_MS = 5_000;

interface Cached {
  accessToken: string;
  expiresAt: number | null;
  refreshAt: number | null;
}

interface Endpoint {
  tokenUrl: string;
  metadata?: AuthorizationServerMetadata;
  /** The resource indicator the server's metadata names. */
  resource?: string;
  /** No metadata was found: the 2025-03-26 default (/token at the server's origin) is tried. */
  guessed?: boolean;
}

export function createClientCredentialsTokenSource(options: ClientCredentialsOptions): TokenSource {
  const { server } = options;
  const clientSecret = options.clientSecret ?? '';
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 30_000;
  if ((options.clientSecret === undefined) === (options.privateKey === undefined)) {
    throw new OAuthTokenError(server, 'invalid_client', `MCP server "${server}": give the OAuth2 client either a client secret or a private key.`);
  }
  if (options.tokenUrl === undefined && options.serverUrl === undefined) {
    throw new OAuthTokenError(server, 'unreachable', `MCP server "${server}": OAuth2 needs auth.tokenUrl (there is no server URL to discover the token endpoint from).`);
  }
  let cached: Cached | undefined;
  let inflight: Promise<Cached> | undefined;
  let endpoint: Promise<Endpoint> | undefined;
  const secrets = [clientSecret, options.privateKey ?? ''];

  const fail = (kind: OAuthErrorKind, message: string, cause?: unknown) =>
    new OAuthTokenError(server, kind, redact(`MCP server "${server}": ${message}`, secrets), cause ? { cause } : undefined);

  /** The configured token URL, or the one the server's metadata names (looked up once). */
  function findEndpoint(): Promise<Endpoint> {
    if (options.tokenUrl !== undefined) return Promise.resolve({ tokenUrl: options.tokenUrl });
    endpoint ??= discover().catch((err: unknown) => {
      endpoint = undefined; // the server may be back next time
      throw err;
    });
    return endpoint;
  }

  async function discover(): Promise<Endpoint> {
    const serverUrl = options.serverUrl!;
    const where = displayUrl(serverUrl);
    const bounded = ((url: string | URL, init?: RequestInit) => doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as typeof fetch;
    let info: Awaited<ReturnType<typeof discoverOAuthServerInfo>>;
    try {
      info = await discoverOAuthServerInfo(serverUrl, { fetchFn: bounded });
    } catch (err) {
      if (isTimeout(err)) throw fail('timeout', `looking up the token endpoint of ${where} took longer than ${seconds(timeoutMs)}.`, err);
      throw fail('unreachable', `could not find the token endpoint of ${where} in its OAuth metadata (${networkCause(err)}); put it in auth.tokenUrl.`, err);
    }
    const tokenUrl = info.authorizationServerMetadata?.token_endpoint ?? new URL('/token', info.authorizationServerUrl).href;
    if (!info.authorizationServerMetadata) return { tokenUrl, guessed: true };
    return { tokenUrl, metadata: info.authorizationServerMetadata, ...(info.resourceMetadata?.resource ? { resource: info.resourceMetadata.resource } : {}) };
  }

  /** Adds the client's proof to the token request. */
  async function authenticate(headers: Record<string, string>, body: URLSearchParams, found: Endpoint): Promise<void> {
    if (options.privateKey === undefined) {
      // client_secret_basic (RFC 6749 §2.3.1, the method every server must support). Id and secret
      // are form-urlencoded first as the RFC says (the SDK's Basic header skips that step).
      headers.authorization = `Basic ${Buffer.from(`${formEncode(options.clientId)}:${formEncode(clientSecret)}`).toString('base64')}`;
      return;
    }
    let alg: string;
    try {
      alg = options.algorithm ?? algorithmOf(options.privateKey);
    } catch (err) {
      throw fail('invalid_client', `the private key in auth.privateKey is not a PEM (PKCS #8) private key (${err instanceof Error ? err.message : String(err)}).`, err);
    }
    // iss = sub = client id; aud = the authorization server's issuer, else the token endpoint.
    const sign = createPrivateKeyJwtAuth({ issuer: options.clientId, subject: options.clientId, privateKey: options.privateKey, alg });
    try {
      await sign(new Headers(), body, found.tokenUrl, found.metadata);
    } catch (err) {
      throw fail('invalid_client', `could not sign the client assertion with the private key in auth.privateKey (${alg}).`, err);
    }
  }

  async function requestToken(): Promise<Cached> {
    const found = await findEndpoint();
    const tokenUrl = found.tokenUrl;
    const where = displayUrl(tokenUrl);
    const body = new URLSearchParams({ grant_type: 'client_credentials' });
    if (options.scope) body.set('scope', options.scope);
    const resource = options.resource ?? found.resource;
    if (resource) body.set('resource', resource);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    await authenticate(headers, body, found);
    const started = now();
    let status: number;
    let text: string;
    try {
      const res = await doFetch(tokenUrl, {
        method: 'POST',
        headers,
        body,
        // A redirect would re-send the credentials somewhere else: refuse it and say where it went.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      if (status >= 300 && status < 400) {
        const to = res.headers.get('location');
        throw fail('unreachable', `the token endpoint ${where} redirected${to ? ` to ${displayUrl(to, tokenUrl)}` : ''}; put the final URL in tokenUrl.`);
      }
      text = await res.text();
    } catch (err) {
      if (err instanceof OAuthTokenError) throw err;
      if (isTimeout(err)) throw fail('timeout', `the token endpoint ${where} did not answer within ${seconds(timeoutMs)}.`, err);
      throw fail('unreachable', `could not reach the token endpoint ${where} (${networkCause(err)}).`, err);
    }
    const json = tryParseJson(text);
    if (status < 200 || status >= 300) {
      const oauth = ErrorResponseSchema.safeParse(json);
      const code = oauth.success ? oauth.data.error : undefined;
      if (code === 'invalid_client' || (status === 401 && code === undefined)) {
        throw fail('invalid_client', `the token endpoint ${where} rejected the client id or ${options.privateKey === undefined ? 'secret' : 'signed assertion'} (invalid_client). Check the client ${options.privateKey === undefined ? 'secret' : 'private key'} in the keychain.`);
      }
      if (code) {
        const detail = oauth.data?.error_description ? `: ${oauth.data.error_description.slice(0, 200)}` : '';
        throw fail('rejected', `the token endpoint ${where} refused the token request (${code}${detail}).`);
      }
      const hint = found.guessed ? ` The server publishes no OAuth metadata, so its default endpoint was tried: put the token endpoint in auth.tokenUrl.` : '';
      throw fail('bad_response', `the token endpoint ${where} answered HTTP ${status}.${hint}`);
    }
    const parsed = TokenResponseSchema.safeParse(json);
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path.join('.') ?? '';
      const what = field === 'access_token' || field === '' ? 'without an access_token' : `with an invalid ${field}`;
      throw fail('bad_response', `the token endpoint ${where} answered ${what}.`);
    }
    const { access_token, token_type, expires_in } = parsed.data;
    if (token_type && token_type.toLowerCase() !== 'bearer') {
      throw fail('bad_response', `the token endpoint ${where} issued a "${token_type}" token; only Bearer tokens are supported.`);
    }
    // Without expires_in the token is used until a server rejects it (then invalidate()).
    if (expires_in === undefined) return { accessToken: access_token, expiresAt: null, refreshAt: null };
    const lifetime = expires_in * 1000;
    const margin = options.refreshMarginMs ?? Math.min(60_000, lifetime / 10);
    // Measured from before the request: the token cannot outlive what we think.
    const expiresAt = started + lifetime;
    return { accessToken: access_token, expiresAt, refreshAt: expiresAt - margin };
  }

  function shared(): Promise<Cached> {
    inflight ??= requestToken()
      .then((fresh) => (cached = fresh))
      .catch((err: unknown) => {
        // A failed refresh while the old token is still valid is not the caller's problem yet;
        // retry after a pause so a hanging endpoint does not slow every call.
        if (cached && stillValid(cached)) {
          cached = { ...cached, refreshAt: Math.min(now() + RETRY_REFRESH_MS, cached.expiresAt ?? Infinity) };
          return cached;
        }
        throw err;
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  }

  const stillValid = (t: Cached) => t.expiresAt === null || now() < t.expiresAt;
  const usable = (t: Cached | undefined): t is Cached => t !== undefined && (t.refreshAt === null || now() < t.refreshAt);

  return {
    async getToken(opts?: CallOptions) {
      const fresh = usable(cached) ? cached : await bounded(shared(), opts, fail);
      return { accessToken: fresh.accessToken, expiresAt: fresh.expiresAt };
    },
    invalidate() {
      cached = undefined;
    },
  };
}

/** One caller's own signal/timeout: it stops waiting, the shared request goes on for the others. */
function bounded<T>(work: Promise<T>, opts: CallOptions | undefined, fail: (k: OAuthErrorKind, m: string) => Error): Promise<T> {
  const signals = [opts?.signal, opts?.timeoutMs === undefined ? undefined : AbortSignal.timeout(opts.timeoutMs)];
  const active = signals.filter((s): s is AbortSignal => s !== undefined);
  if (active.length === 0) return work;
  const signal = AbortSignal.any(active);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () =>
      reject(isTimeout(signal.reason) ? fail('timeout', `no access token within ${seconds(opts?.timeoutMs ?? 0)}.`) : fail('cancelled', 'the token request was cancelled.'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

/** Origin and path only: a URL's userinfo or query may hold credentials. */
function displayUrl(url: string, base?: string): string {
  try {
    const u = new URL(url, base);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

function redact(message: string, secrets: string[]): string {
  return secrets.reduce((text, secret) => (secret.length > 0 ? text.split(secret).join('***') : text), message);
}

/** The JWS algorithm that fits a PEM private key (RFC 7518): RSA RS256, EC by curve, Ed25519 EdDSA. */
function algorithmOf(pem: string): string {
  const key = createPrivateKey(pem);
  const type = key.asymmetricKeyType;
  if (type === 'rsa') return 'RS256';
  if (type === 'ed25519') return 'EdDSA';
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const alg = curve === 'prime256v1' ? 'ES256' : curve === 'secp384r1' ? 'ES384' : curve === 'secp521r1' ? 'ES512' : undefined;
    if (alg) return alg;
    throw new Error(`unsupported curve ${curve ?? '?'}`);
  }
  throw new Error(`unsupported key type ${type ?? '?'}; set auth.algorithm`);
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && err.name === 'TimeoutError';
}

function networkCause(err: unknown): string {
  const cause = err instanceof Error ? (err.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return err instanceof Error ? err.message : String(err);
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** The token source for a server's `auth` block (HTTP servers, and stdio servers with tokenEnv). */
export async function tokenSourceForConfig(
  server: string,
  auth: OAuth2Config,
  resolveValue: ValueResolver,
  extra: Pick<ClientCredentialsOptions, 'fetch' | 'now' | 'timeoutMs' | 'refreshMarginMs' | 'serverUrl'> = {},
): Promise<TokenSource> {
  const field = (name: string) => ({ scope: server, field: `mcpServers.${server}.auth.${name}` });
  const clientSecret = auth.clientSecret === undefined ? undefined : await resolveValue(auth.clientSecret, field('clientSecret'));
  const privateKey = auth.privateKey === undefined ? undefined : await resolveValue(auth.privateKey, field('privateKey'));
  return createClientCredentialsTokenSource({
    server,
    ...(auth.tokenUrl !== undefined ? { tokenUrl: auth.tokenUrl } : {}),
    clientId: auth.clientId,
    ...(clientSecret !== undefined ? { clientSecret } : {}),
    ...(privateKey !== undefined ? { privateKey } : {}),
    ...(auth.algorithm !== undefined ? { algorithm: auth.algorithm } : {}),
    scope: auth.scope,
    resource: auth.resource,
    ...extra,
  });
}
