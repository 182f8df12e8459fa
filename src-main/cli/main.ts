// The `flowbot` command: dispatches to a command and turns failures into exit codes.
import { StoreOpenError } from '../adapters/store/sqlite-store';
import { InputError } from '../app/input-error';
import { KeychainUnavailableError } from '../adapters/secrets/keychain-error';
import { AuditKeyLockedError } from '../app/audit-key';
import { EXIT, HELP, UsageError } from './usage';

// Each command loads its own modules when it runs: importing all of them (the web host, Baileys,
// the MCP SDK, the document parsers) took about two seconds before `flowbot --help` could answer.
const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  validate: async (argv) => (await import('./commands/validate')).validateCommand(argv),
  chat: async (argv) => (await import('./commands/chat')).chatCommand(argv),
  audit: async (argv) => (await import('./commands/audit')).auditCommand(argv),
  bot: async (argv) => (await import('./commands/bot')).botCommand(argv),
  knowledge: async (argv) => (await import('./commands/knowledge')).knowledgeCommand(argv),
  mcp: async (argv) => (await import('./commands/mcp')).mcpCommand(argv),
  secrets: async (argv) => (await import('./commands/secrets')).secretsCommand(argv),
  serve: async (argv) => (await import('./commands/serve')).serveCommand(argv),
  studio: async (argv) => (await import('./commands/studio')).studioCommand(argv),
  test: async (argv) => (await import('./commands/test')).testCommand(argv),
  'web-password': async (argv) => (await import('./commands/web-password')).webPasswordCommand(argv),
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
