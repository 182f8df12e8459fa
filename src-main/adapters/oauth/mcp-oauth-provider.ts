// The SDK's OAuthClientProvider for one remote MCP server, backed by the OS keychain
// (sign-in-record.ts). The SDK's auth() does the protocol (RFC 9728 and RFC 8414 discovery,
// registration, PKCE S256, the resource parameter, scope selection, token requests with
// client_secret_basic / client_secret_post / none); this class decides what it is given:
//
// - client identity in the spec's order: the pre-registered client of the config (signIn.clientId
//   + clientSecret), else a client ID metadata document URL when configured (auth() uses it when
//   the authorization server supports it), else dynamic registration as a native application;
// - `state`: ours, random, and checked by the loopback listener (the SDK does not check it);
// - a connection ('background') never opens a browser and never registers a client: with
//   nothing stored it throws SignInRequiredError, which the connection reports as "needs
//   sign-in"; only a sign-in the owner started ('interactive') goes to the browser;
// - tokens are renewed before they expire (tokens() refreshes within the margin), and a refused
//   refresh (invalid_grant, invalid_client) leaves a "sign in again" mark in the keychain;
// - a 403 insufficient_scope asks for a new sign-in with the scope the server named (the SDK
//   would only refresh, which never adds scope).
import { randomBytes } from 'node:crypto';
import { auth, type OAuthClientProvider, type OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ValueResolver } from '../../runtime/ports';
import type { SignInConfig } from '../../shared/workspace-config';
import { checkAuthorizationUrl } from './open-authorization-url';
import { SignInRequiredError } from './sign-in-errors';
import type { SignInRecord, SignInRecords } from './sign-in-record';
import { SIGN_IN_TEXTS, storedReason } from './sign-in-texts';

/** Step-up sign-ins for one server before the studio stops asking (the server keeps refusing). */
export const MAX_STEP_UPS = 2;

/** What the connection and the sign-in service know about one server, shared between them. */
export interface ServerSignInContext {
  server: string;
  /** The server's URL in the config. */
  url: string;
  config: SignInConfig | undefined;
  records: SignInRecords;
  resolveValue: ValueResolver;
  /** A client ID metadata document URL for every server without its own (signIn.clientMetadataUrl). */
  clientMetadataUrl: string | undefined;
  clientName: string;
  fetch: FetchLike;
  now: () => number;
  refreshMarginMs: number;
  /** Called with every token received, so it is masked wherever text is shown or stored. */
  onSecret: (value: string) => void;
  state: ServerSignInMemory;
}

/** In memory only (lost on restart, which is fine: all of it is found again on the next connection). */
export interface ServerSignInMemory {
  /** The keychain record: undefined = not read yet, null = none. */
  record?: SignInRecord | null;
  /** The last 401/403 challenge the server answered with. */
  challenge?: { status: number; scope?: string; resourceMetadataUrl?: URL; error?: string };
  /** The server answered a request without a token: it needs no sign-in. */
  answeredWithoutToken?: boolean;
  discovery?: OAuthDiscoveryState;
  /**
   * The scope a 403 insufficient_scope asked for; `granted` once a sign-in (or refresh) gave
   * it; `signIns`: sign-ins done for this same scope (the server refusing again after
   * MAX_STEP_UPS of them stops the asking).
   */
  stepUp?: { scope: string; signIns: number; granted: boolean };
  /** The refresh in progress (tokens() returns the stored tokens while it runs: auth() reads them). */
  refreshing?: Promise<void>;
  /** Why the last refresh failed without the server refusing the sign-in (network, 5xx). */
  refreshTrouble?: string;
}

export interface InteractiveSignIn {
  redirectUrl: string;
  state: string;
  /** Set by redirectToAuthorization: the checked URL to open. */
  authorizationUrl?: URL;
  codeVerifier?: string;
}

export async function loadRecord(ctx: ServerSignInContext, fresh = false): Promise<SignInRecord | undefined> {
  if (fresh || ctx.state.record === undefined) ctx.state.record = (await ctx.records.load(ctx.server)) ?? null;
  return ctx.state.record ?? undefined;
}

async function saveRecord(ctx: ServerSignInContext, record: SignInRecord | undefined): Promise<void> {
  if (record) await ctx.records.save(ctx.server, record);
  else await ctx.records.delete(ctx.server);
  ctx.state.record = record ?? null;
}

/** The stored tokens, if they were obtained for this server's current URL. */
export function tokensOf(ctx: ServerSignInContext, record: SignInRecord | undefined): SignInRecord['tokens'] {
  return record?.tokens && record.url === ctx.url ? record.tokens : undefined;
}

/** True when `granted` (space-separated) includes every scope of `wanted`. */
export function coversScope(granted: string | undefined, wanted: string): boolean {
  const have = new Set((granted ?? '').split(/\s+/).filter(Boolean));
  return wanted.split(/\s+/).filter(Boolean).every((s) => have.has(s));
}

export class McpOAuthClientProvider implements OAuthClientProvider {
  constructor(
    private readonly ctx: ServerSignInContext,
    /** undefined: a connection's provider (never opens a browser). */
    readonly interactive?: InteractiveSignIn,
  ) {}

  get redirectUrl(): string {
    // A connection never redirects; the URL only has to exist (the SDK treats a provider
    // without one as a non-interactive client credentials client).
    return this.interactive?.redirectUrl ?? 'http://127.0.0.1/callback';
  }

  get clientMetadataUrl(): string | undefined {
    return this.ctx.config?.clientMetadataUrl ?? this.ctx.clientMetadataUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    const supported = this.ctx.state.discovery?.authorizationServerMetadata?.token_endpoint_auth_methods_supported;
    // A native app is a public client: no secret, unless the server accepts none but secrets.
    const method = !supported || supported.includes('none') ? 'none' : supported.includes('client_secret_basic') ? 'client_secret_basic' : 'client_secret_post';
    const metadata = {
      client_name: this.ctx.clientName,
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: method,
      application_type: 'native',
      ...(this.ctx.config?.scope ? { scope: this.ctx.config.scope } : {}),
    };
    return metadata;
  }

  state(): string {
    return this.interactive?.state ?? randomBytes(32).toString('base64url');
  }

  async clientInformation(): Promise<OAuthClientInformationMixed | undefined> {
    const { config, server } = this.ctx;
    if (!this.interactive && !tokensOf(this.ctx, await loadRecord(this.ctx))) {
      // Nothing to renew: only the owner can sign in (and only then is a client registered).
      throw this.signInRequired();
    }
    if (config?.clientId) {
      const secret = config.clientSecret === undefined ? undefined : await this.ctx.resolveValue(config.clientSecret, { scope: server, field: `mcpServers.${server}.signIn.clientSecret` });
      return { client_id: config.clientId, ...(secret ? { client_secret: secret } : {}) };
    }
    return (await loadRecord(this.ctx))?.client as OAuthClientInformationMixed | undefined;
  }

  async saveClientInformation(info: OAuthClientInformationMixed): Promise<void> {
    if (this.ctx.config?.clientId) return; // pre-registered: the config is where it lives
    const record = (await loadRecord(this.ctx)) ?? { v: 1 as const, url: this.ctx.url };
    await saveRecord(this.ctx, { ...record, url: this.ctx.url, client: info as SignInRecord['client'] });
  }

  async tokens(): Promise<OAuthTokens | undefined> {
    // An owner's sign-in always goes to the browser, even with tokens stored.
    if (this.interactive) return undefined;
    let record: SignInRecord | undefined;
    try {
      record = await loadRecord(this.ctx);
    } catch {
      // No usable keychain: nothing can be stored, so nothing is sent. A server that needs no
      // sign-in keeps working; one that asks for it fails in clientInformation(), naming the keychain.
      return undefined;
    }
    const tokens = tokensOf(this.ctx, record);
    if (!tokens) return undefined;
    const stepUp = this.ctx.state.stepUp;
    if (stepUp && !stepUp.granted && !coversScope(tokens.scope, stepUp.scope)) return undefined;
    if (this.ctx.state.refreshing || !tokens.refresh_token || record?.refreshAt === undefined || this.ctx.now() < record.refreshAt) {
      return tokens as OAuthTokens;
    }
    await this.refresh();
    const after = tokensOf(this.ctx, await loadRecord(this.ctx));
    // A refresh that failed for now leaves the old token, valid until it expires.
    return after as OAuthTokens | undefined;
  }

  /** Renews the tokens with the refresh token (one at a time; auth() does the request). */
  refresh(): Promise<void> {
    const state = this.ctx.state;
    state.refreshing ??= (async () => {
      try {
        await auth(this, { serverUrl: this.ctx.url, fetchFn: this.ctx.fetch, ...(state.challenge?.resourceMetadataUrl ? { resourceMetadataUrl: state.challenge.resourceMetadataUrl } : {}) });
        state.refreshTrouble = undefined;
      } catch (err) {
        // A refused refresh already left its mark (invalidateCredentials); anything else is retried later.
        if (!(err instanceof SignInRequiredError)) state.refreshTrouble = err instanceof Error ? err.message : String(err);
      } finally {
        state.refreshing = undefined;
      }
    })();
    return state.refreshing;
  }

  async saveTokens(tokens: OAuthTokens): Promise<void> {
    this.ctx.onSecret(tokens.access_token);
    if (tokens.refresh_token) this.ctx.onSecret(tokens.refresh_token);
    const now = this.ctx.now();
    const lifetime = tokens.expires_in === undefined ? undefined : tokens.expires_in * 1000;
    const margin = lifetime === undefined ? 0 : Math.min(this.ctx.refreshMarginMs, lifetime / 2);
    const record = (await loadRecord(this.ctx)) ?? { v: 1 as const, url: this.ctx.url };
    const account = accountOf(tokens) ?? (record.tokens?.issuer === tokens.issuer ? record.account : undefined);
    const { expires_in: _relative, id_token: _id, ...kept } = tokens;
    const next: SignInRecord = {
      v: 1,
      url: this.ctx.url,
      ...(record.client ? { client: record.client } : {}),
      tokens: kept as SignInRecord['tokens'],
      ...(lifetime === undefined ? {} : { expiresAt: now + lifetime, refreshAt: now + lifetime - margin }),
      ...(account ? { account } : {}),
    };
    await saveRecord(this.ctx, next);
    const stepUp = this.ctx.state.stepUp;
    if (stepUp && !stepUp.granted && (this.interactive || coversScope(tokens.scope, stepUp.scope))) {
      this.ctx.state.stepUp = { ...stepUp, granted: true, signIns: stepUp.signIns + (this.interactive ? 1 : 0) };
    }
  }

  redirectToAuthorization(authorizationUrl: URL): void {
    if (!this.interactive) throw this.signInRequired();
    // Checked here, before anything can open it (UnsafeAuthorizationUrlError otherwise).
    this.interactive.authorizationUrl = checkAuthorizationUrl(authorizationUrl);
  }

  saveCodeVerifier(codeVerifier: string): void {
    if (this.interactive) this.interactive.codeVerifier = codeVerifier;
  }

  codeVerifier(): string {
    const verifier = this.interactive?.codeVerifier;
    if (!verifier) throw new Error('No sign-in is in progress for this server.');
    return verifier;
  }

  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    if (scope === 'verifier') {
      if (this.interactive) this.interactive.codeVerifier = undefined;
      return;
    }
    if (scope === 'discovery' || scope === 'all') this.ctx.state.discovery = undefined;
    if (scope === 'discovery') return;
    const record = await loadRecord(this.ctx);
    if (!record) return;
    const hadTokens = record.tokens !== undefined;
    const next: SignInRecord = { v: 1, url: record.url };
    if (scope === 'tokens' && record.client) next.client = record.client;
    // The server refused what we held: say so until the owner signs in again.
    if (hadTokens && !this.interactive) next.signInAgain = scope === 'tokens' ? 'refreshRefused' : 'clientRefused';
    await saveRecord(this.ctx, next.client || next.signInAgain ? next : undefined);
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.ctx.state.discovery;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.ctx.state.discovery = state;
  }

  private signInRequired(): SignInRequiredError {
    const { server, state } = this.ctx;
    const record = state.record ?? undefined;
    if (state.stepUp && !state.stepUp.granted) {
      if (state.stepUp.signIns >= MAX_STEP_UPS) return new SignInRequiredError(server, 'sign-in-again', SIGN_IN_TEXTS.tooManyStepUps(server), state.stepUp.scope);
      return new SignInRequiredError(server, 'sign-in-again', SIGN_IN_TEXTS.signInAgain(server, SIGN_IN_TEXTS.moreAccess(state.stepUp.scope)), state.stepUp.scope);
    }
    if (record?.signInAgain) return new SignInRequiredError(server, 'sign-in-again', SIGN_IN_TEXTS.signInAgain(server, storedReason(record.signInAgain)), state.challenge?.scope);
    if (tokensOf(this.ctx, record) && state.refreshTrouble) {
      return new SignInRequiredError(server, 'needs-sign-in', SIGN_IN_TEXTS.refreshFailedForNow(server, state.refreshTrouble), state.challenge?.scope);
    }
    return new SignInRequiredError(server, 'needs-sign-in', SIGN_IN_TEXTS.needsSignIn(server), state.challenge?.scope);
  }
}

/** Who signed in, from an OpenID id token's claims (shown only, never trusted for anything). */
function accountOf(tokens: OAuthTokens): string | undefined {
  if (!tokens.id_token) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(tokens.id_token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    for (const key of ['email', 'preferred_username', 'name', 'sub']) {
      if (typeof claims[key] === 'string' && claims[key]) return (claims[key] as string).slice(0, 200);
    }
  } catch {
    // not a JWT: no account shown
  }
  return undefined;
}

/**
 * The fetch a connection's transport uses: it remembers the server's challenges (the scope and
 * resource metadata URL a sign-in must use, a 403 insufficient_scope that needs a new sign-in)
 * and whether the server answers without a token at all.
 */
export function observingFetch(ctx: ServerSignInContext, base: FetchLike): FetchLike {
  return async (url, init) => {
    const res = await base(url, init);
    if (!sameEndpoint(url, ctx.url)) return res;
    if (res.status === 401 || res.status === 403) {
      const challenge = readChallenge(res);
      if (res.status === 401 || challenge.error === 'insufficient_scope') ctx.state.challenge = { status: res.status, ...challenge };
      if (res.status === 403 && challenge.error === 'insufficient_scope' && challenge.scope) {
        const previous = ctx.state.stepUp;
        ctx.state.stepUp = { scope: challenge.scope, signIns: previous?.scope === challenge.scope ? previous.signIns : 0, granted: false };
      }
    } else if (res.ok && !new Headers(init?.headers).has('authorization')) {
      ctx.state.answeredWithoutToken = true;
    }
    return res;
  };
}

/** The parameters of a Bearer challenge (RFC 6750 §3, RFC 9728 §5.1). */
export function readChallenge(res: Response): { scope?: string; resourceMetadataUrl?: URL; error?: string } {
  const header = res.headers.get('www-authenticate') ?? '';
  if (!/^\s*bearer\b/i.test(header)) return {};
  const field = (name: string) => new RegExp(`${name}=(?:"([^"]*)"|([^\\s,]+))`, 'i').exec(header)?.slice(1).find((v) => v !== undefined);
  const out: { scope?: string; resourceMetadataUrl?: URL; error?: string } = {};
  const scope = field('scope');
  if (scope) out.scope = scope;
  const error = field('error');
  if (error) out.error = error;
  const metadata = field('resource_metadata');
  if (metadata && URL.canParse(metadata)) out.resourceMetadataUrl = new URL(metadata);
  return out;
}

function sameEndpoint(url: string | URL, serverUrl: string): boolean {
  try {
    const a = new URL(String(url));
    const b = new URL(serverUrl);
    return a.origin === b.origin && a.pathname === b.pathname;
  } catch {
    return false;
  }
}
