// Browser sign-in to remote MCP servers (OAuth 2.1 + PKCE, issue 14): whether a server needs
// one, start it, sign out. The studio finds out by itself whether a server asks for a sign-in
// (its 401): "needs-sign-in" is a state of the server, not a failure. Tokens never travel here:
// only who signed in, at which authorization server, and until when.
import { z } from 'zod';
import { method } from './method';

const ServerNameSchema = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'a server name uses letters, digits, _ and -');

/**
 * not-needed: a program on this computer, or a remote server that did not ask for a sign-in;
 * unknown: not contacted yet; needs-sign-in: it answered 401 and nobody signed in yet;
 * signed-in: tokens in the keychain; sign-in-again: the refresh failed (revoked, expired).
 */
export const SignInStateSchema = z.enum(['not-needed', 'unknown', 'needs-sign-in', 'signed-in', 'sign-in-again']);
export type SignInState = z.infer<typeof SignInStateSchema>;

export const SignInStatusSchema = z.object({
  server: z.string(),
  state: SignInStateSchema,
  /** The authorization server that issued the tokens (its issuer URL). */
  issuer: z.string().optional(),
  /** Who signed in, when the authorization server says (e.g. an e-mail address). */
  account: z.string().optional(),
  /** When the access token expires (ms since the epoch); it is refreshed before that. */
  expiresAt: z.number().optional(),
  /** The access granted (space-separated scopes), when known. */
  scope: z.string().optional(),
  /** Why a sign-in is needed again, in plain words. */
  reason: z.string().optional(),
});
export type SignInStatus = z.infer<typeof SignInStatusSchema>;

/** Only a page to show to people: https, or http on this computer (a local authorization server). */
export const AuthorizationUrlSchema = z.string().refine(isOpenableUrl, { error: 'the sign-in address must be https (or http on this computer)' });

export function isOpenableUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

const byServer = z.object({ server: ServerNameSchema }).strict();

export const signInMethods = {
  /** Whether the active bot's server needs a browser sign-in, and who is signed in; never starts anything. */
  'mcp.signInStatus': method(byServer, SignInStatusSchema),
  /**
   * Starts the browser sign-in of a remote server and answers at once. `opened`: the studio opened
   * the page itself (the desktop app's system browser, or the BROWSER command); otherwise the page
   * opens `authorizationUrl` in a new tab. The outcome comes as `mcp.signInChanged`.
   * CONFLICT for a program on this computer, or a server that was not approved yet.
   */
  'mcp.signIn': method(byServer, z.object({ authorizationUrl: AuthorizationUrlSchema, opened: z.boolean() })),
  /** Forgets the server's tokens (revoked at the server when it offers that) and its registered client. */
  'mcp.signOut': method(byServer, SignInStatusSchema),
} as const;

export const signInEvents = {
  /** A sign-in finished (`error` says why it failed), or someone signed out. */
  'mcp.signInChanged': z.object({ bot: z.string(), server: z.string(), state: SignInStateSchema, error: z.string().optional() }),
} as const;
