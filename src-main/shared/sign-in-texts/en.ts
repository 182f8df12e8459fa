// What the owner reads about the browser sign-in of a remote MCP server, in English: the source
// of the CLI's and the logs' words too. {{name}} is filled from the sentence's values.
export const en = {
  needsSignIn: 'MCP server "{{server}}" needs you to sign in before it can be used. Choose "Sign in" on its card (or run: flowbot mcp login {{server}}).',
  signInAgain: 'MCP server "{{server}}" needs you to sign in again:',
  signInAgainHow: 'Choose "Sign in again" on its card (or run: flowbot mcp login {{server}}).',
  refreshRefused: 'the service no longer accepts the saved sign-in (it may have been revoked, or it expired).',
  clientRefused: 'the service no longer knows this app (its registration was removed).',
  expired: 'the sign-in expired and the service gave no way to renew it.',
  moreAccess: 'the service asks for more access ({{scope}}).',
  tooManyStepUps: 'MCP server "{{server}}" still refuses the call after you granted the access it asked for. Check your account\'s permissions with the service.',
  refreshFailedForNow: 'MCP server "{{server}}": the sign-in could not be renewed just now ({{detail}}). It is tried again on the next call.',
  asIs: '{{text}}',
  notConfigured: 'MCP server "{{server}}" is not configured.',
  notRemote: 'MCP server "{{server}}" runs on this computer: it has no sign-in.',
  usesClientCredentials: 'MCP server "{{server}}" signs in by itself with its client id and secret (mcpServers.{{server}}.auth): there is nothing to sign in to.',
  noSignInNeeded: 'MCP server "{{server}}" did not ask for a sign-in.',
  discoveryFailed: 'Could not find out how to sign in to MCP server "{{server}}": {{detail}}',
  noSignInPage: 'Could not find out how to sign in to MCP server "{{server}}": no sign-in page was found.',
  badAuthorizationUrl: 'The sign-in page address "{{url}}" was refused: only https addresses (or http on this computer) are opened.',
  browserFailed: 'Could not open the browser with "{{command}}": {{detail}}. Open the sign-in page yourself.',
  timedOut: 'The sign-in was not finished within {{minutes}} minutes. Start it again.',
  cancelled: 'The sign-in was cancelled.',
  wrongState: 'The answer from the sign-in page did not belong to the sign-in the studio started, so it was refused. Start the sign-in again.',
  wrongIssuer: 'The answer from the sign-in page came from another service than the one the studio asked, so it was refused. Start the sign-in again.',
  denied: 'The service did not grant access ({{detail}}).',
  noCode: 'The sign-in page answered without an authorization code. Start the sign-in again.',
  exchangeFailed: 'The service refused to complete the sign-in: {{detail}}',
  alreadyRunning: 'A sign-in to MCP server "{{server}}" is already waiting for the browser; finish or cancel it first.',
  // The page the browser shows on the loopback address after the redirect.
  callbackDoneTitle: 'Signed in',
  callbackDone: 'You are signed in. You can close this tab and go back to Flowbot Studio.',
  callbackFailedTitle: 'Sign-in failed',
  callbackFailed: 'You can close this tab.',
};

export type SignInTextKey = keyof typeof en;
export type SignInCatalogue = Record<SignInTextKey, string>;
