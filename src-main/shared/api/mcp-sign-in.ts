// Browser sign-in to remote MCP servers (OAuth 2.1 + PKCE, issue 14): whether a server needs
// one, start it, sign out. The studio finds out by itself whether a server asks for a sign-in
// (its 401): "needs-sign-in" is a state of the server, not a failure. Tokens never travel here:
// only who signed in, at which authorization server, and until when.
import { z } from 'zod';
import { OwnerTextSchema } from '../owner-text';
import { method } from './method';
import { SignInStateSchema, SignInStatusSchema } from '../mcp-sign-in';

const ServerNameSchema = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'a server name uses letters, digits, _ and -');

export { SignInStateSchema, SignInStatusSchema, type SignInState, type SignInStatus } from '../mcp-sign-in';

/** Only a page to show to people: https, or http on this computer (a local authorization server). */
export const AuthorizationUrlSchema = z.string().refine(isOpenableUrl, { error: 'the sign-in address must be https (or http on this computer)' });

/**
 * The one rule for sign-in pages (the opener, adapters/oauth/open-authorization-url.ts, uses it
 * too): https anywhere, http only on this computer's loopback, never credentials in the URL (a
 * page shown as "auth.example.com" while going elsewhere).
 */
export function isOpenableUrl(text: string): boolean {
  return openableUrl(text) !== undefined;
}

/** The parsed URL when it may be opened. */
export function openableUrl(text: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.username || url.password) return undefined;
  const safe = url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
  return safe ? url : undefined;
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
  /** `error`: why a sign-in failed, in English; `errorText`: the same as catalogue keys (common:ownerTexts.signIn.*). */
  'mcp.signInChanged': z.object({ bot: z.string(), server: z.string(), state: SignInStateSchema, error: z.string().optional(), errorText: z.array(OwnerTextSchema).optional() }),
} as const;
