// Resolves config values (DESIGN §5): a plain string as is, {"env": NAME} from the CLI's
// environment, {"secret": NAME} from the OS keychain account of (bot, scope, NAME).
//
// Resolution happens only when a value is needed (a server starts, the model is called), so
// commands that need no secret (validate) never touch the keychain. Every value read from the
// environment or the keychain is handed to the redactor first, so it is masked wherever the
// runtime logs, audits or emits text.
import { secretAccount } from '../core/secret-account';
import type { Redactor } from '../core/redact';
import type { SecretsPort, ValueResolver } from '../runtime/ports';
import { KeychainUnavailableError } from '../adapters/secrets/keychain-error';
import { InputError } from './input-error';

export interface ValueResolverOptions {
  /** The bot whose secrets are read. */
  bot: string;
  secrets: SecretsPort;
  env: NodeJS.ProcessEnv | Record<string, string | undefined>;
  redactor: Pick<Redactor, 'add'>;
  /** The bot the CLI uses when none is named: the hint leaves out --bot for it. */
  defaultBot?: string;
}

export function createValueResolver(options: ValueResolverOptions): ValueResolver {
  const { bot, secrets, env, redactor } = options;
  return async (value, ref) => {
    if (typeof value === 'string') return value;
    if ('env' in value) {
      const found = env[value.env];
      if (found === undefined) throw new InputError(`${ref.field} reads the environment variable ${value.env}, which is not set`);
      redactor.add(found);
      return found;
    }
    const name = value.secret;
    let found: string | undefined;
    try {
      found = await secrets.get(secretAccount({ bot, scope: ref.scope, name }));
    } catch (err) {
      if (err instanceof KeychainUnavailableError) throw err.withContext(`${ref.field} needs the keychain secret "${name}"`);
      throw err;
    }
    if (found === undefined) {
      throw new InputError(
        `${ref.field} refers to the keychain secret "${name}" (bot "${bot}", scope "${ref.scope}"), which is not set. ` +
          `Set it with: ${setSecretCommand(name, ref.scope, bot, options.defaultBot)} (it reads the value from stdin).`,
      );
    }
    redactor.add(found);
    return found;
  };
}

/** The CLI command that stores a secret, for messages. */
export function setSecretCommand(name: string, scope: string, bot: string, defaultBot?: string): string {
  const botPart = bot === defaultBot ? '' : ` --bot ${shellWord(bot)}`;
  return `flowbot secrets set ${shellWord(name)} --scope ${shellWord(scope)}${botPart}`;
}

function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
