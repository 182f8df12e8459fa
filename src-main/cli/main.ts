// The `flowbot` command: dispatches to a command and turns failures into exit codes.
import { StoreOpenError } from '../adapters/store/sqlite-store';
import { InputError } from '../app/input-error';
import { auditCommand } from './commands/audit';
import { botCommand } from './commands/bot';
import { chatCommand } from './commands/chat';
import { knowledgeCommand } from './commands/knowledge';
import { mcpCommand } from './commands/mcp';
import { secretsCommand } from './commands/secrets';
import { serveCommand } from './commands/serve';
import { studioCommand } from './commands/studio';
import { testCommand } from './commands/test';
import { webPasswordCommand } from './commands/web-password';
import { KeychainUnavailableError } from '../adapters/secrets/keychain-error';
import { AuditKeyLockedError } from '../app/audit-key';
import { validateCommand } from './commands/validate';
import { EXIT, HELP, UsageError } from './usage';

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  validate: validateCommand,
  chat: chatCommand,
  audit: auditCommand,
  bot: botCommand,
  knowledge: (argv) => knowledgeCommand(argv),
  mcp: mcpCommand,
  secrets: secretsCommand,
  serve: serveCommand,
  studio: studioCommand,
  test: testCommand,
  'web-password': webPasswordCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command "${name}"`);
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(HELP);
      return EXIT.ok;
    }
    return await command(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`flowbot: ${error.message}\nRun "flowbot --help" for usage.\n`);
      return EXIT.badInput;
    }
    if (error instanceof KeychainUnavailableError || error instanceof AuditKeyLockedError) {
      process.stderr.write(`flowbot: ${error.message}\n`);
      return EXIT.failed;
    }
    if (error instanceof InputError || error instanceof StoreOpenError) {
      process.stderr.write(`flowbot: ${error.message}\n`);
      return EXIT.badInput;
    }
    process.stderr.write(`flowbot: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.failed;
  }
}

process.exitCode = await main(process.argv.slice(2));
