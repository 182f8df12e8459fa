// The browser sign-in of remote MCP servers (MCP authorization, spec 2025-11-25), per bot: what
// the settings screen and `flowbot mcp login/logout` use, and what a server's connection is
// given (connection()). The protocol is the SDK's auth(); mcp-oauth-provider.ts decides what it
// is given, sign-in-record.ts keeps the result in the keychain, loopback-listener.ts takes the
// browser's answer, open-authorization-url.ts opens the page.
//
// A sign-in: startSignIn() finds the server's authorization server (from the server's last
// challenge, or one unauthenticated request), registers the studio if needed, builds the
// authorization URL (PKCE S256, our `state`, the `resource`, the scope the server asked for)
// and starts the one-shot listener on 127.0.0.1. The caller opens `authorizationUrl` (the
// desktop: openInBrowser(); the web host: a new tab); `finished` settles once the browser came
// back and the code was exchanged, or on timeout/cancel.
import { randomBytes } from 'node:crypto';
import { auth, discoverOAuthServerInfo, selectClientAuthMethod, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { AuthorizationServerMetadata, OAuthClientInformationMixed } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import type { SecretsPort, ValueResolver } from '../../runtime/ports';
import type { SignInStatus } from '../../shared/mcp-sign-in';
import type { McpServerConfig, SignInConfig } from '../../shared/workspace-config';
import { startLoopbackListener } from './loopback-listener';
import { MAX_STEP_UPS, McpOAuthClientProvider, loadRecord, observingFetch, tokensOf, type InteractiveSignIn, type ServerSignInContext } from './mcp-oauth-provider';
import { UnsafeAuthorizationUrlError, openAuthorizationUrl } from './open-authorization-url';
import { SignInFailedError } from './sign-in-errors';
import { createSignInRecords } from './sign-in-record';
import { SIGN_IN_TEXTS, storedReason, type SignInWords } from './sign-in-texts';

export interface McpSignInOptions {
  bot: string;
  /** The bot's servers as configured now (a changed URL or signIn block gets a fresh context). */
  servers: () => Record<string, McpServerConfig>;
  secrets: SecretsPort;
  /** Resolves signIn.clientSecret ({secret}/{env}). */
  resolveValue: ValueResolver;
  fetch?: FetchLike;
  now?: () => number;
  /** Every token received goes here first (the redactor). */
  onSecret?: (value: string) => void;
  /** A client ID metadata document URL (https) for servers that configure none. */
  clientMetadataUrl?: string;
  /** Registered as client_name (default "Flowbot Studio"). */
  clientName?: string;
  /** How long the listener waits for the browser (default 5 minutes). */
  callbackTimeoutMs?: number;
  /** Bound on each request to the authorization server (default 30 s). */
  requestTimeoutMs?: number;
  /** Tokens are renewed this long before they expire (default 60 s; at most half their life). */
  refreshMarginMs?: number;
  /** After a sign-in or sign-out: the connection should start again with what is stored now. */
  onChange?: (server: string) => void | Promise<void>;
}

export interface StartedSignIn {
  server: string;
  /** The authorization server's page, checked (https, or http on loopback), built from discovery. */
  authorizationUrl: string;
  /** The listener's address the browser comes back to. */
  redirectUrl: string;
  /** The status once signed in; rejects with SignInFailedError (plain message) otherwise. */
  finished: Promise<SignInStatus>;
  /** Stops waiting (finished rejects with kind 'cancelled'). */
  cancel(): void;
  /** Opens authorizationUrl with BROWSER, else the system opener. */
  openInBrowser(env?: NodeJS.ProcessEnv | Record<string, string | undefined>): Promise<void>;
}

/** What a remote server's connection is given (http-transport.ts). */
export interface SignInConnection {
  authProvider: OAuthClientProvider;
  /** Wraps the transport's fetch: remembers the server's challenges. */
  fetch(base: FetchLike): FetchLike;
}

export interface McpSignIn {
  /** Never touches the network: the keychain and what the connections saw. */
  status(server: string): Promise<SignInStatus>;
  startSignIn(server: string, options?: { timeoutMs?: number }): Promise<StartedSignIn>;
  /** Revokes the tokens when the authorization server supports it, deletes the keychain item. */
  signOut(server: string): Promise<SignInStatus>;
  /** For url servers without client credentials; undefined otherwise. A new one per connection. */
  connection(server: string): SignInConnection | undefined;
}

const DEFAULT_CALLBACK_TIMEOUT_MS = 5 * 60_000;

export function createMcpSignIn(options: McpSignInOptions): McpSignIn {
  const records = createSignInRecords(options.secrets, options.bot);
  const now = options.now ?? Date.now;
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const base: FetchLike = options.fetch ?? fetch;
  // Our own requests to the authorization server (sign-in, refresh, revocation) are bounded.
  const timedFetch: FetchLike = (url, init) => {
    const timeout = AbortSignal.timeout(requestTimeoutMs);
    return base(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
  };
  const contexts = new Map<string, { key: string; ctx: ServerSignInContext }>();
  const pending = new Set<string>();

  function remote(server: string): { url: string; signIn?: SignInConfig } | undefined {
    const servers = options.servers();
    const cfg = Object.hasOwn(servers, server) ? servers[server] : undefined;
    if (!cfg) throw new SignInFailedError(server, 'not_applicable', SIGN_IN_TEXTS.notConfigured(server));
    if (!('url' in cfg) || cfg.auth) return undefined;
    return { url: cfg.url, ...(cfg.signIn ? { signIn: cfg.signIn } : {}) };
  }

  function context(server: string): ServerSignInContext | undefined {
    const cfg = remote(server);
    if (!cfg) return undefined;
    const key = JSON.stringify(cfg);
    const found = contexts.get(server);
    if (found?.key === key) return found.ctx;
    const ctx: ServerSignInContext = {
      server,
      url: cfg.url,
      config: cfg.signIn,
      records,
      resolveValue: options.resolveValue,
      clientMetadataUrl: options.clientMetadataUrl,
      clientName: options.clientName ?? 'Flowbot Studio',
      fetch: timedFetch,
      now,
      refreshMarginMs: options.refreshMarginMs ?? 60_000,
      onSecret: options.onSecret ?? (() => undefined),
      state: {},
    };
    contexts.set(server, { key, ctx });
    return ctx;
  }

  function applicable(server: string): ServerSignInContext {
    const ctx = context(server);
    if (ctx) return ctx;
    const servers = options.servers();
    const cfg = servers[server];
    throw new SignInFailedError(server, 'not_applicable', cfg && 'url' in cfg ? SIGN_IN_TEXTS.usesClientCredentials(server) : SIGN_IN_TEXTS.notRemote(server));
  }

  async function status(server: string): Promise<SignInStatus> {
    const ctx = context(server);
    if (!ctx) return { server, state: 'not-needed' };
    const { state } = ctx;
    const record = await loadRecord(ctx, true);
    const tokens = tokensOf(ctx, record);
    const issuer = tokens?.issuer ?? (record?.client?.issuer as string | undefined) ?? state.discovery?.authorizationServerMetadata?.issuer ?? state.discovery?.authorizationServerUrl;
    const about = { server, ...(issuer ? { issuer } : {}) };
    if (tokens) {
      const signedIn = {
        ...about,
        ...(record?.account ? { account: record.account } : {}),
        ...(record?.expiresAt !== undefined ? { expiresAt: record.expiresAt } : {}),
        ...(tokens.scope ? { scope: tokens.scope } : {}),
      };
      const stepUp = state.stepUp;
      if (stepUp && !stepUp.granted) {
        const why = stepUp.signIns >= MAX_STEP_UPS ? SIGN_IN_TEXTS.tooManyStepUps(server) : SIGN_IN_TEXTS.moreAccess(stepUp.scope);
        return { ...signedIn, state: 'sign-in-again', ...reason(why) };
      }
      if (record?.expiresAt !== undefined && record.expiresAt <= now() && !tokens.refresh_token) {
        return { ...signedIn, state: 'sign-in-again', ...reason(SIGN_IN_TEXTS.expired) };
      }
      return { ...signedIn, state: 'signed-in' };
    }
    if (record?.signInAgain) return { ...about, state: 'sign-in-again', ...reason(storedReason(record.signInAgain)) };
    if (state.challenge) return { ...about, state: 'needs-sign-in' };
    if (state.answeredWithoutToken) return { server, state: 'not-needed' };
    return { ...about, state: 'unknown' };
  }

  /** One unauthenticated initialize, for the challenge (scope, resource_metadata) of a server never contacted. */
  async function probe(ctx: ServerSignInContext): Promise<void> {
    const body = { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'flowbot-studio', version: '0.1.0' } } };
    let res: Response;
    try {
      res = await observingFetch(ctx, timedFetch)(ctx.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify(body),
        redirect: 'manual',
      });
    } catch (err) {
      throw new SignInFailedError(ctx.server, 'discovery', SIGN_IN_TEXTS.discoveryFailed(ctx.server, err instanceof Error ? err.message : String(err)), { cause: err });
    }
    await res.body?.cancel().catch(() => undefined);
    if (res.ok) throw new SignInFailedError(ctx.server, 'not_applicable', SIGN_IN_TEXTS.noSignInNeeded(ctx.server));
  }

  async function startSignIn(server: string, opts: { timeoutMs?: number } = {}): Promise<StartedSignIn> {
    const ctx = applicable(server);
    if (pending.has(server)) throw new SignInFailedError(server, 'busy', SIGN_IN_TEXTS.alreadyRunning(server));
    pending.add(server);
    try {
      if (!ctx.state.challenge && !ctx.state.stepUp) await probe(ctx);
      const stepUp = ctx.state.stepUp && !ctx.state.stepUp.granted ? ctx.state.stepUp : undefined;
      const scope = stepUp?.scope ?? ctx.state.challenge?.scope;
      const resourceMetadataUrl = ctx.state.challenge?.resourceMetadataUrl;
      const authOptions = { serverUrl: ctx.url, fetchFn: timedFetch, ...(scope ? { scope } : {}), ...(resourceMetadataUrl ? { resourceMetadataUrl } : {}) };
      const interactive: InteractiveSignIn = { redirectUrl: '', state: randomBytes(32).toString('base64url') };
      const provider = new McpOAuthClientProvider(ctx, interactive);
      const listener = await startLoopbackListener({
        server,
        state: interactive.state,
        timeoutMs: opts.timeoutMs ?? options.callbackTimeoutMs ?? DEFAULT_CALLBACK_TIMEOUT_MS,
        complete: async (code, iss) => {
          checkIssuer(server, ctx.state.discovery?.authorizationServerMetadata, iss);
          try {
            await auth(provider, { ...authOptions, authorizationCode: code });
          } catch (err) {
            throw new SignInFailedError(server, 'exchange', SIGN_IN_TEXTS.exchangeFailed(describe(err)), { cause: err });
          }
        },
      });
      interactive.redirectUrl = listener.redirectUrl;
      try {
        await auth(provider, authOptions);
      } catch (err) {
        listener.cancel();
        listener.done.catch(() => undefined);
        if (err instanceof UnsafeAuthorizationUrlError) throw new SignInFailedError(server, 'unsafe_url', err.words, { cause: err });
        throw new SignInFailedError(server, 'discovery', SIGN_IN_TEXTS.discoveryFailed(server, describe(err)), { cause: err });
      }
      const authorizationUrl = interactive.authorizationUrl;
      if (!authorizationUrl) {
        listener.cancel();
        listener.done.catch(() => undefined);
        throw new SignInFailedError(server, 'discovery', SIGN_IN_TEXTS.noSignInPage(server));
      }
      const finished = listener.done
        .then(async () => {
          await options.onChange?.(server);
          return status(server);
        })
        .finally(() => pending.delete(server));
      return {
        server,
        authorizationUrl: authorizationUrl.href,
        redirectUrl: listener.redirectUrl,
        finished,
        cancel: () => listener.cancel(),
        openInBrowser: (env = process.env) => openAuthorizationUrl(authorizationUrl, env),
      };
    } catch (err) {
      pending.delete(server);
      throw err;
    }
  }

  async function signOut(server: string): Promise<SignInStatus> {
    const ctx = applicable(server);
    const record = await loadRecord(ctx, true);
    const tokens = record?.tokens;
    if (tokens) await revoke(ctx, record.client as OAuthClientInformationMixed | undefined, tokens).catch(() => undefined);
    await records.delete(server);
    ctx.state.record = null;
    ctx.state.stepUp = undefined;
    ctx.state.refreshTrouble = undefined;
    await options.onChange?.(server);
    return status(server);
  }

  /** RFC 7009, best effort: the refresh token first (it revokes the access token with it on most servers). */
  async function revoke(ctx: ServerSignInContext, stored: OAuthClientInformationMixed | undefined, tokens: NonNullable<ReturnType<typeof tokensOf>>): Promise<void> {
    const info = ctx.state.discovery ?? (await discoverOAuthServerInfo(ctx.url, { fetchFn: timedFetch, ...(ctx.state.challenge?.resourceMetadataUrl ? { resourceMetadataUrl: ctx.state.challenge.resourceMetadataUrl } : {}) }));
    // OpenID provider metadata has no revocation fields in the SDK's type; RFC 8414's has.
    const metadata = info.authorizationServerMetadata as (AuthorizationServerMetadata & { revocation_endpoint?: string; revocation_endpoint_auth_methods_supported?: string[] }) | undefined;
    // Only to the authorization server that issued them.
    if (!metadata?.revocation_endpoint || (tokens.issuer && !sameIssuer(String(tokens.issuer), info.authorizationServerUrl))) return;
    const client = await new McpOAuthClientProvider(ctx, { redirectUrl: '', state: '' }).clientInformation().catch(() => stored);
    if (!client) return;
    const methods = metadata.revocation_endpoint_auth_methods_supported ?? metadata.token_endpoint_auth_methods_supported ?? [];
    const method = selectClientAuthMethod(client, methods);
    for (const [token, hint] of [[tokens.refresh_token, 'refresh_token'], [tokens.access_token, 'access_token']] as const) {
      if (!token) continue;
      const headers = new Headers({ 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' });
      const body = new URLSearchParams({ token, token_type_hint: hint });
      if (method === 'client_secret_basic' && client.client_secret) {
        headers.set('authorization', `Basic ${Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`).toString('base64')}`);
      } else {
        body.set('client_id', client.client_id);
        if (method === 'client_secret_post' && client.client_secret) body.set('client_secret', client.client_secret);
      }
      const res = await timedFetch(metadata.revocation_endpoint!, { method: 'POST', headers, body, redirect: 'manual' });
      await res.body?.cancel().catch(() => undefined);
    }
  }

  return {
    status,
    startSignIn,
    signOut,
    connection(server) {
      const ctx = context(server);
      if (!ctx) return undefined;
      ctx.state.record = undefined; // a new connection reads the keychain again (a sign-in elsewhere)
      return { authProvider: new McpOAuthClientProvider(ctx), fetch: (transportFetch) => observingFetch(ctx, transportFetch) };
    },
  };
}

/** RFC 9207: an `iss` in the answer must be the authorization server we sent the owner to. */
function checkIssuer(server: string, metadata: AuthorizationServerMetadata | undefined, iss: string | undefined): void {
  if (!metadata) return;
  const required = (metadata as { authorization_response_iss_parameter_supported?: unknown }).authorization_response_iss_parameter_supported === true;
  if ((iss === undefined && required) || (iss !== undefined && iss !== metadata.issuer)) {
    throw new SignInFailedError(server, 'wrong_state', SIGN_IN_TEXTS.wrongIssuer);
  }
}

function sameIssuer(a: string, b: string): boolean {
  const norm = (s: string) => (URL.canParse(s) ? new URL(s).href : s).replace(/\/$/, '');
  return norm(a) === norm(b);
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { errorCode?: unknown }).errorCode;
  return typeof code === 'string' && !err.message.includes(code) ? `${code}${err.message ? `: ${err.message}` : ''}` : err.message;
}

/** A status's reason: English, and the keys the studio shows in its language. */
const reason = (words: SignInWords) => ({ reason: words.message, reasonText: words.text });
