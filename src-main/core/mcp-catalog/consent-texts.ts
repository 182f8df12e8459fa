// The words of a server's consent line (describeServer) that are not taken from the config.
// One place, for the per-language catalogues to come.
export const CONSENT_TEXTS = {
  /** An env variable or header filled from the OS keychain: { "secret": NAME }. */
  keychainSecret: (name: string) => `<keychain secret ${name}>`,
  /** An env variable or header filled from the studio's (or CLI's) own environment: { "env": NAME }. */
  studioVariable: (name: string) => `<the studio's environment variable ${name}>`,
  /** OAuth2 client credentials without tokenUrl: the endpoint is discovered from the server. */
  tokenFromMetadata: "token endpoint from the server's metadata",
  /** OAuth2 client credentials with private_key_jwt. */
  signedWithKey: 'signs in with a private key',
  /** A value not echoed back (the import preview, for values that look like secrets). */
  hiddenValue: '<value hidden: it looks like a secret>',
  /** The variables that change which code runs (loader-variables.ts). */
  loaderWarning: (names: readonly string[]) => `warning: ${names.join(', ')} can make the program load or run other code than the command shows`,
} as const;
