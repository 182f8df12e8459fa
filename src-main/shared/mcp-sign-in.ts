// Whether a remote MCP server needs the owner to sign in with a browser (the MCP authorization
// flow, OAuth 2.1 + PKCE), as the settings screen and the CLI show it. No token ever travels in
// it: only the state, who issued the sign-in, and when it expires.
import { z } from 'zod';
import { OwnerTextSchema } from './owner-text';

export const SignInStateSchema = z.enum([
  'not-needed', // a stdio server, a server with client credentials (`auth`), or one that answered without asking
  'unknown', // not contacted yet: connect it once to find out
  'needs-sign-in', // it asked for a sign-in (HTTP 401) and nothing is stored
  'signed-in',
  'sign-in-again', // the stored sign-in can no longer be renewed (refresh refused, revoked, more access asked)
]);
export type SignInState = z.infer<typeof SignInStateSchema>;

export const SignInStatusSchema = z.object({
  server: z.string(),
  state: SignInStateSchema,
  /** The authorization server that issued (or will issue) the sign-in. */
  issuer: z.string().optional(),
  /** Who signed in, when the authorization server said so (an id token's email or name). */
  account: z.string().optional(),
  /** When the current access token expires (ms since the epoch); it is renewed before. */
  expiresAt: z.number().optional(),
  /** The access granted (space-separated scopes), when known. */
  scope: z.string().optional(),
  /** Why a sign-in is needed again, in plain words (English). */
  reason: z.string().optional(),
  /** The same as catalogue keys (common:ownerTexts.signIn.*), for the studio's language. */
  reasonText: z.array(OwnerTextSchema).optional(),
});
export type SignInStatus = z.infer<typeof SignInStatusSchema>;
