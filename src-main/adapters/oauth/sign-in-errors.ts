// The errors of the browser sign-in. Their messages are owner-facing (SIGN_IN_TEXTS): English,
// with `text` for the studio's and the browser's language.
import type { SignInState } from '../../shared/mcp-sign-in';
import type { OwnerText } from '../../shared/owner-text';
import type { SignInWords } from './sign-in-texts';

/**
 * A remote server asked for a sign-in that the studio cannot do by itself: nothing is stored,
 * the stored sign-in can no longer be renewed, or the server asks for more access. The
 * connection reports it (McpServerError kind 'sign_in'); the owner signs in, then reconnects.
 */
export class SignInRequiredError extends Error {
  override name = 'SignInRequiredError';
  readonly text: OwnerText[];
  constructor(
    readonly server: string,
    readonly state: Extract<SignInState, 'needs-sign-in' | 'sign-in-again'>,
    words: SignInWords,
    /** The scope the server's last challenge asked for, if any. */
    readonly scope?: string,
  ) {
    super(words.message);
    this.text = words.text;
  }
}

export type SignInFailureKind =
  | 'not_applicable' // a stdio server, client credentials, or a server that needs no sign-in
  | 'discovery' // the server's or authorization server's metadata could not be read
  | 'unsafe_url' // the authorization URL is not https (or http on loopback)
  | 'browser' // the BROWSER command (or xdg-open/open/start) failed
  | 'timeout'
  | 'cancelled'
  | 'wrong_state' // the callback's state (or iss) was not ours
  | 'denied' // the authorization server answered with an error (access_denied, ...)
  | 'exchange' // the token request failed
  | 'busy'; // a sign-in to this server is already waiting

/** A sign-in that did not complete. */
export class SignInFailedError extends Error {
  override name = 'SignInFailedError';
  readonly text: OwnerText[];
  constructor(
    readonly server: string,
    readonly kind: SignInFailureKind,
    words: SignInWords,
    options?: { cause?: unknown },
  ) {
    super(words.message, options);
    this.text = words.text;
  }
}
