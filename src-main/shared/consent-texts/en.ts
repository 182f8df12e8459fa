// The words of an MCP server's consent line in English: the one English copy (describeServer,
// which approval compares and the CLI prints; the studio in English). `%{name}` is a parameter:
// a word from the server's config (shell-quoted, never translated) or a nested phrase from this
// catalogue. Other languages: pt-BR.ts, es.ts (same keys, same parameters).
export const en = {
  // Lists in the line are comma-separated in every language (they are the config's items).
  'list.separator': ', ',
  'list.last': '%{head}, %{last}',
  // The line: the command (or URL), then each further part in brackets.
  command: '%{command}',
  line: '%{line} [%{part}]',
  assignment: '%{name}=%{value}',
  env: 'env: %{values}',
  headers: 'headers: %{values}',
  cwd: 'cwd: %{path}',
  /** { "secret": NAME }: filled from the OS keychain. */
  'value.secret': '<keychain secret %{name}>',
  /** { "env": NAME }: filled from the studio's (or CLI's) own environment. */
  'value.env': "<the studio's environment variable %{name}>",
  /** A value not echoed back (the import preview, for values that look like secrets). */
  'value.hidden': '<value hidden: it looks like a secret>',
  oauth2: 'oauth2: %{parts}',
  'oauth2.client': 'client %{client}',
  'oauth2.tokenUrl': 'token from %{url}',
  /** Client credentials without tokenUrl: the endpoint is discovered from the server. */
  'oauth2.tokenFromMetadata': "token endpoint from the server's metadata",
  /** private_key_jwt. */
  'oauth2.signedWithKey': 'signs in with a private key',
  'oauth2.scope': 'scope %{scope}',
  'oauth2.resource': 'resource %{resource}',
  'oauth2.tokenEnv': 'token in %{variable}',
  /** The variables that change which code runs (core/mcp-catalog/loader-variables.ts). */
  'loaders.warning': 'warning: %{names} can make the program load or run other code than the command shows',
  // The sandbox (docs/mcp-sandbox.md): what the server may use beyond its own folders.
  'sandbox.grants': 'sandbox grants: %{grants}',
  'sandbox.folderRead': 'read %{path}',
  'sandbox.folderWrite': 'read and write %{path}',
  'sandbox.networkAll': 'the whole network',
  'sandbox.networkHosts': 'network to %{hosts}',
  'sandbox.docker': 'the Docker socket (control of this computer)',
  /** A server that will run without a sandbox; `reason` is one of sandbox.unavailable.*. */
  'sandbox.off': 'runs WITHOUT a sandbox (%{reason}): it can read and change everything your user account can',
  'sandbox.unavailable.platform': 'no sandbox on %{platform} yet',
  'sandbox.unavailable.missing': '%{programs} not installed (Debian/Ubuntu: apt-get install bubblewrap socat ripgrep)',
  'sandbox.unavailable.userns': 'bubblewrap cannot create a user namespace on this machine: %{detail}',
} as const;

export type ConsentKey = keyof typeof en;
/** A language's catalogue: every key, in that language. */
export type ConsentTexts = Readonly<Record<ConsentKey, string>>;
