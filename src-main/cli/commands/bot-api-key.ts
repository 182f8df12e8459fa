// flowbot bot api-key --bot B [--rotate | --revoke]
//
// The bot's API key for the HTTP chat channel (app/http-chat/api-key.ts), in the OS keychain
// like every secret. Without a flag: says whether the bot has one (never prints it). --rotate
// makes a new one and prints it once, on stdout alone (so `> file` keeps only the key); any
// previous key stops working at once. --revoke deletes it.
import { createKeytarSecrets, type KeytarSecrets } from '../../adapters/secrets/keytar-secrets';
import { KeychainUnavailableError } from '../../adapters/secrets/keychain-error';
import { createApiKeys } from '../../app/http-chat/api-key';
import { EXIT, UsageError, botOf, botOption, dataDirOption, parse } from '../usage';

export async function botCommand(argv: string[], deps: { secrets?: KeytarSecrets } = {}): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'api-key') throw new UsageError(`bot needs "api-key"${sub ? `, not "${sub}"` : ''}`);
  const { values, positionals } = parse(rest, { ...botOption, ...dataDirOption, rotate: { type: 'boolean' }, revoke: { type: 'boolean' } });
  if (positionals.length > 0) throw new UsageError(`bot api-key takes no ${positionals[0]}: name the bot with --bot`);
  const bot = botOf(values);
  if (!bot?.trim()) throw new UsageError('bot api-key needs --bot NAME (the bot whose key it is)');
  if (values.rotate && values.revoke) throw new UsageError('bot api-key takes --rotate or --revoke, not both');
  const keys = createApiKeys(deps.secrets ?? createKeytarSecrets());
  try {
    if (values.rotate) {
      const key = await keys.rotate(bot);
      process.stderr.write(`A new API key for the bot "${bot}" (shown only now; any previous key stops working):\n`);
      process.stdout.write(`${key}\n`);
      return EXIT.ok;
    }
    if (values.revoke) {
      if (await keys.revoke(bot)) {
        process.stdout.write(`Revoked the API key of the bot "${bot}": it no longer answers HTTP clients with a key.\n`);
        return EXIT.ok;
      }
      process.stderr.write(`flowbot: the bot "${bot}" has no API key; nothing was revoked.\n`);
      return EXIT.failed;
    }
    process.stdout.write((await keys.has(bot)) ? `The bot "${bot}" has an API key (it is never shown again; --rotate makes a new one).\n` : `The bot "${bot}" has no API key: --rotate makes one.\n`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof KeychainUnavailableError) {
      process.stderr.write(`flowbot: ${error.message}\n`);
      return EXIT.failed;
    }
    throw error;
  }
}
