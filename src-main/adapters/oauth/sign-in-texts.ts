// Every sentence the owner reads about the browser sign-in of a remote MCP server, as words that
// carry both the English message (the CLI, logs) and their catalogue keys, so the studio shows
// them in its language and the loopback page in the browser's (shared/sign-in-texts).
import type { OwnerText } from '../../shared/owner-text';
import { renderSignIn, type SignInTextKey } from '../../shared/sign-in-texts';

/** A sentence (or a few) for the owner: in English, and as catalogue keys with their values. */
export interface SignInWords {
  message: string;
  text: OwnerText[];
}

type Params = Record<string, string | number>;

function say(key: SignInTextKey, params?: Params): SignInWords {
  const text: OwnerText[] = [{ key: `signIn.${key}`, ...(params ? { params } : {}) }];
  return { message: renderSignIn('en', text), text };
}

function joined(...parts: SignInWords[]): SignInWords {
  return { message: parts.map((p) => p.message).join(' '), text: parts.flatMap((p) => p.text) };
}

export const SIGN_IN_TEXTS = {
  // Why a server cannot be used yet (McpServerError messages, the status's reason).
  needsSignIn: (server: string) => say('needsSignIn', { server }),
  /** `why`: one of the reasons below, between the two halves. */
  signInAgain: (server: string, why: SignInWords) => joined(say('signInAgain', { server }), why, say('signInAgainHow', { server })),
  refreshRefused: say('refreshRefused'),
  clientRefused: say('clientRefused'),
  expired: say('expired'),
  moreAccess: (scope: string) => say('moreAccess', { scope }),
  tooManyStepUps: (server: string) => say('tooManyStepUps', { server }),
  refreshFailedForNow: (server: string, detail: string) => say('refreshFailedForNow', { server, detail }),
  /** A reason stored by an older version, in English only. */
  asIs: (text: string) => say('asIs', { text }),

  // Starting and finishing a sign-in.
  notConfigured: (server: string) => say('notConfigured', { server }),
  notRemote: (server: string) => say('notRemote', { server }),
  usesClientCredentials: (server: string) => say('usesClientCredentials', { server }),
  noSignInNeeded: (server: string) => say('noSignInNeeded', { server }),
  discoveryFailed: (server: string, detail: string) => say('discoveryFailed', { server, detail }),
  noSignInPage: (server: string) => say('noSignInPage', { server }),
  badAuthorizationUrl: (url: string) => say('badAuthorizationUrl', { url }),
  browserFailed: (command: string, detail: string) => say('browserFailed', { command, detail }),
  timedOut: (minutes: number) => say('timedOut', { minutes }),
  cancelled: say('cancelled'),
  wrongState: say('wrongState'),
  wrongIssuer: say('wrongIssuer'),
  denied: (detail: string) => say('denied', { detail }),
  noCode: say('noCode'),
  exchangeFailed: (detail: string) => say('exchangeFailed', { detail }),
  alreadyRunning: (server: string) => say('alreadyRunning', { server }),
} as const;

/** The reasons a stored sign-in must be renewed, kept by key in the sign-in record. */
export const STORED_REASONS = ['refreshRefused', 'clientRefused'] as const;
export type StoredReason = (typeof STORED_REASONS)[number];

/** A record's `signInAgain`: a key, or the English words an older version stored. */
export function storedReason(value: string): SignInWords {
  return (STORED_REASONS as readonly string[]).includes(value) ? SIGN_IN_TEXTS[value as StoredReason] : SIGN_IN_TEXTS.asIs(value);
}
