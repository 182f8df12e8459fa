// flowbot mcp login SERVER --config WS [--data-dir DIR] [--bot B] [--json]
// flowbot mcp logout SERVER [--config WS] [--bot B] [--json]
// The browser sign-in of a remote MCP server (OAuth 2.1 + PKCE), for the CLI: `login` opens the
// sign-in page (the BROWSER command, else the system's opener; the address is printed too) and
// waits for the browser to come back; the tokens go to the OS keychain, where `mcp tools`,
// `chat` and `test` find them. `logout` revokes them at the service (with --config, which names
// the server's address) and deletes them from the keychain.
import type { SignInStatus } from '../../shared/api/mcp-sign-in';
import { createKeytarSecrets } from '../../adapters/secrets/keytar-secrets';
import { createSignInRecords } from '../../adapters/oauth/sign-in-record';
import { SignInFailedError } from '../../adapters/oauth/sign-in-errors';
import { DEFAULT_BOT } from '../../app/workspace';
import { EXIT, UsageError, botOf, botOption, dataDirOption, parse, printJson } from '../usage';
import { loadFor, withWorkspace } from './mcp-workspace';

export const LOGIN_TEXTS = {
  usage: (sub: 'login' | 'logout') => `mcp ${sub} needs the name of one server: flowbot mcp ${sub} SERVER --config WS`,
  openPage: (server: string, url: string) => `Sign in to MCP server "${server}" in your browser. If no page opened, open this address:\n  ${url}`,
  waiting: 'Waiting for the browser to come back (Ctrl+C cancels)…',
  signedIn: (status: SignInStatus) =>
    `Signed in to MCP server "${status.server}"${status.account ? ` as ${status.account}` : ''}${status.issuer ? ` at ${status.issuer}` : ''}.` +
    (status.expiresAt !== undefined ? ` Access renews by itself (the current one runs until ${new Date(status.expiresAt).toISOString()}).` : ''),
  notSignedIn: (status: SignInStatus) => `MCP server "${status.server}" is not signed in (${status.state})${status.reason ? `: ${status.reason}` : '.'}`,
  signedOut: (server: string) => `Signed out of MCP server "${server}": its tokens were revoked where the service allows it and deleted from the keychain.`,
  forgotten: (server: string) => `Deleted the sign-in of MCP server "${server}" from the keychain. It was not revoked at the service: give --config WS to do that too.`,
  nothingStored: (server: string, bot: string) => `There was no sign-in of MCP server "${server}" (bot "${bot}") in the keychain.`,
} as const;

const options = { ...dataDirOption, ...botOption, config: { type: 'string' }, json: { type: 'boolean' } } as const;

function serverOf(positionals: string[], sub: 'login' | 'logout'): string {
  if (positionals.length !== 1) throw new UsageError(LOGIN_TEXTS.usage(sub));
  return positionals[0]!;
}

export async function login(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, options);
  const server = serverOf(positionals, 'login');
  const { config } = loadFor(values.config, server);
  return withWorkspace(config, values, async (ws) => {
    try {
      const started = await ws.signIn.startSignIn(server);
      if (!values.json) {
        console.error(LOGIN_TEXTS.openPage(server, started.authorizationUrl));
        console.error(LOGIN_TEXTS.waiting);
      }
      // The address is printed: a browser that does not start is not a failure.
      await started.openInBrowser(process.env).catch((error: unknown) => console.error((error as Error).message));
      const status = await started.finished;
      if (values.json) printJson(status);
      else console.log(status.state === 'signed-in' ? LOGIN_TEXTS.signedIn(status) : LOGIN_TEXTS.notSignedIn(status));
      return status.state === 'signed-in' ? EXIT.ok : EXIT.failed;
    } catch (error) {
      if (!(error instanceof SignInFailedError)) throw error;
      if (values.json) printJson({ server, error: error.message });
      else console.error(`${server}: ${error.message}`);
      return EXIT.failed;
    }
  });
}

export async function logout(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, options);
  const server = serverOf(positionals, 'logout');
  if (values.config === undefined) {
    // Without the config the server's address is unknown: the keychain item goes, nothing is revoked.
    const bot = botOf(values) ?? DEFAULT_BOT;
    const records = createSignInRecords(createKeytarSecrets(), bot);
    const had = (await records.load(server)) !== undefined;
    if (had) await records.delete(server);
    const message = had ? LOGIN_TEXTS.forgotten(server) : LOGIN_TEXTS.nothingStored(server, bot);
    if (values.json) printJson({ server, deleted: had, revoked: false });
    else console.log(message);
    return had ? EXIT.ok : EXIT.failed;
  }
  const { config } = loadFor(values.config, server);
  return withWorkspace(config, values, async (ws) => {
    try {
      const status = await ws.signIn.signOut(server);
      if (values.json) printJson(status);
      else console.log(LOGIN_TEXTS.signedOut(server));
      return EXIT.ok;
    } catch (error) {
      if (!(error instanceof SignInFailedError)) throw error;
      if (values.json) printJson({ server, error: error.message });
      else console.error(`${server}: ${error.message}`);
      return EXIT.failed;
    }
  });
}
