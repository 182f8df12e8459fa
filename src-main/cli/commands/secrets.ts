// flowbot secrets set NAME --scope SERVER_OR_LLM [--bot B]     (the value on stdin)
// flowbot secrets delete NAME --scope SERVER_OR_LLM [--bot B]
// flowbot secrets check
//
// The value is read from stdin, never from the command line: a command line is visible to
// every user of the machine (ps, /proc) and lands in shell history. On a terminal the value is
// typed without echo. One trailing newline (as `echo` or a file adds) is dropped. The value is
// never printed.
import { KeychainUnavailableError } from '../../adapters/secrets/keychain-error';
import { createKeytarSecrets, type KeytarSecrets } from '../../adapters/secrets/keytar-secrets';
import { SECRETS_SERVICE, secretAccount } from '../../core/secret-account';
import { DEFAULT_BOT } from '../../app/workspace';
import { EXIT, UsageError, botOf, botOption, dataDirOption, parse } from '../usage';
import { promptHidden, readAll } from '../hidden-input';

/** Scopes are MCP server names (the config's name rule) or "llm". */
const SCOPE_PATTERN = /^[A-Za-z0-9_-]+$/;
const MAX_VALUE_BYTES = 64 * 1024;

export interface SecretsCommandDeps {
  secrets?: KeytarSecrets;
  stdin?: NodeJS.ReadStream;
}

export async function secretsCommand(argv: string[], deps: SecretsCommandDeps = {}): Promise<number> {
  const [sub, ...rest] = argv;
  const secrets = deps.secrets ?? createKeytarSecrets();
  try {
    if (sub === 'set') return await setSecret(rest, secrets, deps.stdin ?? process.stdin);
    if (sub === 'delete') return await deleteSecret(rest, secrets);
    if (sub === 'check') return await check(rest, secrets);
  } catch (error) {
    if (error instanceof KeychainUnavailableError) {
      process.stderr.write(`flowbot: ${error.message}\n`);
      return EXIT.failed;
    }
    throw error;
  }
  throw new UsageError(`secrets needs "set", "delete" or "check"${sub ? `, not "${sub}"` : ''}`);
}

function address(sub: string, argv: string[]) {
  // --data-dir is accepted like everywhere else; secrets live in the OS keychain, not there.
  const { values, positionals } = parse(argv, { ...botOption, ...dataDirOption, scope: { type: 'string' } });
  if (positionals.length === 0) throw new UsageError(`secrets ${sub} needs the secret's NAME (as used in {"secret": "NAME"})`);
  if (positionals.length > 1) {
    throw new UsageError(
      sub === 'set'
        ? 'secrets set takes the value on stdin, never on the command line (a command line is visible to other users in ps and stays in shell history)'
        : `secrets ${sub} takes one NAME`,
    );
  }
  const scope = typeof values.scope === 'string' ? values.scope : undefined;
  if (!scope) throw new UsageError(`secrets ${sub} needs --scope: the MCP server's name, or "llm" for the model`);
  if (!SCOPE_PATTERN.test(scope)) throw new UsageError(`--scope "${scope}" is not a server name (letters, digits, "_" and "-") or "llm"`);
  const bot = botOf(values) ?? DEFAULT_BOT;
  if (!bot.trim()) throw new UsageError('--bot needs a name');
  const name = positionals[0]!;
  return { bot, scope, name, account: secretAccount({ bot, scope, name }) };
}

const describe = (a: { bot: string; scope: string; name: string }) => `"${a.name}" (bot "${a.bot}", scope "${a.scope}")`;

async function setSecret(argv: string[], secrets: KeytarSecrets, stdin: NodeJS.ReadStream): Promise<number> {
  const target = address('set', argv);
  const value = stdin.isTTY
    ? await promptHidden(stdin, `Value for ${describe(target)} (not shown): `, 'secrets set was cancelled; nothing was stored')
    : await readAll(stdin, MAX_VALUE_BYTES, `secrets set: the value on stdin is larger than ${MAX_VALUE_BYTES / 1024} KiB`);
  const trimmed = value.replace(/\r?\n$/, '');
  if (!trimmed) throw new UsageError('secrets set read an empty value from stdin; pipe the value in, e.g. from a file: flowbot secrets set NAME --scope S < file');
  await secrets.set(target.account, trimmed);
  process.stdout.write(`Stored the secret ${describe(target)} in the OS keychain (service ${SECRETS_SERVICE}).\n`);
  return EXIT.ok;
}

async function deleteSecret(argv: string[], secrets: KeytarSecrets): Promise<number> {
  const target = address('delete', argv);
  if (await secrets.delete(target.account)) {
    process.stdout.write(`Deleted the secret ${describe(target)} from the OS keychain.\n`);
    return EXIT.ok;
  }
  process.stderr.write(`flowbot: there is no secret ${describe(target)} in the OS keychain; nothing was deleted.\n`);
  return EXIT.failed;
}

async function check(argv: string[], secrets: KeytarSecrets): Promise<number> {
  parse(argv, { ...dataDirOption }, false);
  await secrets.check();
  process.stdout.write(`The OS keychain works: a test value was written, read back and deleted (service ${SECRETS_SERVICE}).\n`);
  return EXIT.ok;
}
