// What a browser sign-in leaves behind, kept only in the OS keychain (never in settings.json or
// flowbot.db): one item per bot and server, account bot/<bot>/<server>/@oauth (deleted with the
// server's other secrets). It holds the registered client and the tokens, each stamped by the
// SDK with the authorization server that issued it (`issuer`): auth() never presents them to
// another one. The server URL they were obtained for is kept too: tokens are never sent to a
// server whose URL has changed since.
import { z } from 'zod';
import type { SecretsPort } from '../../runtime/ports';
import { secretAccount } from '../../core/secret-account';

/** The secret name of the item; "@" names are the studio's own (no config may refer to them). */
export const SIGN_IN_SECRET_NAME = '@oauth';

const Stamped = z.object({ issuer: z.string().optional() }).passthrough();

export const SignInRecordSchema = z.object({
  v: z.literal(1),
  /** The MCP server URL the tokens were obtained for. */
  url: z.string(),
  /** Dynamically registered client, or a client ID metadata document URL (OAuthClientInformationMixed + issuer). */
  client: Stamped.extend({ client_id: z.string() }).optional(),
  /** OAuthTokens + issuer. */
  tokens: Stamped.extend({ access_token: z.string(), token_type: z.string(), refresh_token: z.string().optional(), scope: z.string().optional() }).optional(),
  /** When the access token expires (ms since the epoch), from expires_in at receipt. */
  expiresAt: z.number().optional(),
  /** When to renew it: a margin before expiresAt. */
  refreshAt: z.number().optional(),
  /** Who signed in, if the authorization server said so. */
  account: z.string().optional(),
  /** Set when the sign-in could not be renewed: why, as a key of STORED_REASONS (English words from older versions). */
  signInAgain: z.string().optional(),
});
export type SignInRecord = z.infer<typeof SignInRecordSchema>;

export interface SignInRecords {
  load(server: string): Promise<SignInRecord | undefined>;
  save(server: string, record: SignInRecord): Promise<void>;
  delete(server: string): Promise<void>;
}

export function createSignInRecords(secrets: SecretsPort, bot: string): SignInRecords {
  const account = (server: string) => secretAccount({ bot, scope: server, name: SIGN_IN_SECRET_NAME });
  return {
    async load(server) {
      const text = await secrets.get(account(server));
      if (text === undefined) return undefined;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return undefined; // unreadable: as if absent (a new sign-in overwrites it)
      }
      const parsed = SignInRecordSchema.safeParse(json);
      return parsed.success ? parsed.data : undefined;
    },
    async save(server, record) {
      await secrets.set(account(server), JSON.stringify(record));
    },
    async delete(server) {
      await secrets.delete(account(server));
    },
  };
}
