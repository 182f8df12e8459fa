// Keychain account names. Every secret lives under service "flowbot-studio" with an account
// namespaced by bot and scope, so two bots never share a secret and one server's secret is
// never handed to another server:
//
//   bot/<bot>/<scope>/<NAME>      scope = an MCP server's name, or "llm" for the model
//
// Each part is percent-encoded (encodeURIComponent), so a "/" inside a name cannot make two
// different (bot, scope, name) triples share an account. The scope "llm" is the model's: no MCP
// server may be named "llm" (RESERVED_SERVER_NAMES in shared/workspace-config.ts), so none is
// ever given the model's API key. The studio's own scopes start with "@" (WhatsApp's session
// key, the audit chain's key), which no server name can contain.

export const SECRETS_SERVICE = 'flowbot-studio';
export const LLM_SCOPE = 'llm';
/** The audit chain's key (app/audit-key.ts): one per user of this computer, in no bot's namespace. */
export const AUDIT_KEY_ACCOUNT = 'studio/%40audit/chain-key';
/** Per data folder (sha256 of its real path): the first keyed record of its audit log (app/audit-key.ts). */
export const AUDIT_KEYED_ACCOUNT_PREFIX = 'studio/%40audit/keyed/';

export interface SecretAddress {
  bot: string;
  /** The MCP server name, or "llm". */
  scope: string;
  /** The name used in the config: { "secret": NAME }. */
  name: string;
}

export function secretAccount({ bot, scope, name }: SecretAddress): string {
  for (const [what, value] of [['bot', bot], ['scope', scope], ['secret name', name]] as const) {
    if (!value) throw new Error(`A keychain secret needs a non-empty ${what}.`);
  }
  return `bot/${encodeURIComponent(bot)}/${encodeURIComponent(scope)}/${encodeURIComponent(name)}`;
}

/** The inverse of secretAccount, or undefined for an account that is not a secret's. */
export function parseSecretAccount(account: string): SecretAddress | undefined {
  const parts = account.split('/');
  if (parts.length !== 4 || parts[0] !== 'bot' || parts.slice(1).some((p) => !p)) return undefined;
  try {
    const [bot, scope, name] = parts.slice(1).map(decodeURIComponent) as [string, string, string];
    return { bot, scope, name };
  } catch {
    return undefined;
  }
}

/** The start of every account of a bot (and scope): for finding what to delete with it. */
export function secretAccountPrefix(bot: string, scope?: string): string {
  if (!bot) throw new Error('A keychain secret needs a non-empty bot.');
  return `bot/${encodeURIComponent(bot)}/${scope === undefined ? '' : `${encodeURIComponent(scope)}/`}`;
}
