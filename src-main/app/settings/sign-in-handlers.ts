// Browser sign-in to the active bot's remote MCP servers (issue 14, item 4): status, start,
// sign out. The page to sign in on is opened by the studio when it can (the desktop app's
// system browser, or the BROWSER command); otherwise the page opens it in a new tab. The
// outcome arrives later, as `mcp.signInChanged`, and the server is then connected again.
import { ApiCallError } from '../../shared/api-contract';
import { isOpenableUrl, type SignInStatus } from '../../shared/api/mcp-sign-in';
import type { signInMethods } from '../../shared/api/mcp-sign-in';
import type { ApiHandlers } from '../../api/dispatcher';
import { SignInFailedError } from '../../adapters/oauth/sign-in-errors';
import { SIGN_IN_TEXTS } from '../../adapters/oauth/sign-in-texts';
import { readWorkspace, type SettingsAreaDeps } from './deps';
import type { McpSignInPort } from '../studio-mcp-port';
import type { OwnerText } from '../../shared/owner-text';

/**
 * What the settings API says, in English with its catalogue key (common:ownerTexts.signIn.*:
 * the studio shows it in its own language); the sign-in's own sentences are in
 * adapters/oauth/sign-in-texts.ts.
 */
export const SIGN_IN_API_TEXTS = {
  notApproved: (server: string) => ({ message: `Approve what MCP server "${server}" connects to before you sign in to it.`, text: { key: 'signIn.notApproved', params: { server } } }),
  unavailable: { message: 'Signing in to MCP servers is not available here.', text: { key: 'signIn.unavailable' } },
  badAddress: (server: string) => ({ message: `MCP server "${server}" sent a sign-in address that is not https, so it was not opened.`, text: { key: 'signIn.badAddress', params: { server } } }),
} as const;

const refusal = (said: { message: string; text: OwnerText }) => new ApiCallError('CONFLICT', said.message, said.text);
/** A sign-in's own words as a CONFLICT (an API error carries one catalogue key: a composed sentence goes in English). */
const said = (words: { message: string; text: readonly OwnerText[] }) => new ApiCallError('CONFLICT', words.message, words.text.length === 1 ? words.text[0] : undefined);

type SignInHandlers = Pick<ApiHandlers, keyof typeof signInMethods>;

/** A sign-in that cannot start (no sign-in needed, one already waiting, no metadata, an unsafe page) is a CONFLICT saying why. */
async function refused<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SignInFailedError) throw said(error);
    throw error;
  }
}

export function createSignInHandlers(deps: SettingsAreaDeps): SignInHandlers {
  const port = (): McpSignInPort => {
    const mcp = deps.mcp;
    if (!mcp?.signInStatus || !mcp.startSignIn || !mcp.signOut) throw refusal(SIGN_IN_API_TEXTS.unavailable);
    return { signInStatus: mcp.signInStatus.bind(mcp), startSignIn: mcp.startSignIn.bind(mcp), signOut: mcp.signOut.bind(mcp) };
  };
  /** The server must exist in the active bot's settings; `remote`: and be a URL server. */
  const known = (server: string, remote: boolean): void => {
    const config = readWorkspace(deps);
    const entry = Object.hasOwn(config.mcpServers, server) ? config.mcpServers[server] : undefined;
    if (!entry) {
      const names = Object.keys(config.mcpServers).join(', ') || 'none';
      throw new ApiCallError('NOT_FOUND', `There is no MCP server "${server}" in this bot's settings (servers: ${names}).`);
    }
    if (remote && !('url' in entry)) throw said(SIGN_IN_TEXTS.notRemote(server));
  };
  /** `bot`: the bot the sign-in was started for (the owner may have switched meanwhile). */
  const changed = (bot: string, server: string, state: SignInStatus['state'], error?: { message: string; text?: OwnerText[] }) =>
    deps.events.emit({ event: 'mcp.signInChanged', payload: { bot, server, state, ...(error ? { error: error.message, ...(error.text ? { errorText: error.text } : {}) } : {}) } });

  return {
    'mcp.signInStatus': async ({ server }) => {
      known(server, false);
      return port().signInStatus(server);
    },

    'mcp.signIn': async ({ server }) => {
      known(server, true);
      const bot = deps.activeBot();
      if (deps.mcp?.status && (await deps.mcp.status(server)).consent !== 'approved') throw refusal(SIGN_IN_API_TEXTS.notApproved(server));
      const { authorizationUrl, finished } = await refused(() => port().startSignIn(server));
      finished.then(
        (status) => {
          changed(bot, server, status.state);
          // The server failed for want of a sign-in: it connects now, and its tools are listed.
          if (deps.activeBot() !== bot) return;
          void deps.mcp?.connect?.(server).catch((error: unknown) => deps.log(`MCP server "${server}" did not connect after the sign-in:`, error));
        },
        (error: unknown) => {
          const failure = error instanceof SignInFailedError ? error : { message: error instanceof Error ? error.message : String(error) };
          void port()
            .signInStatus(server)
            .then((status) => changed(bot, server, status.state, failure), () => changed(bot, server, 'needs-sign-in', failure));
        },
      );
      // Never a javascript:, file: or plain-http page elsewhere, whoever sent it.
      if (!isOpenableUrl(authorizationUrl)) throw refusal(SIGN_IN_API_TEXTS.badAddress(server));
      let opened = false;
      if (deps.openAuthorizationUrl) {
        try {
          opened = await deps.openAuthorizationUrl(authorizationUrl);
        } catch (error) {
          deps.log(`Could not open the sign-in page of MCP server "${server}"; the page opens it instead:`, error);
        }
      }
      return { authorizationUrl, opened };
    },

    'mcp.signOut': async ({ server }) => {
      known(server, true);
      const status = await refused(() => port().signOut(server));
      changed(deps.activeBot(), server, status.state);
      return status;
    },
  };
}
