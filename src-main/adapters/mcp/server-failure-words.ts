// A server failure in one plain sentence for the owner's headline ("The program `node` could not
// find the file `/…/index.js`."), read from what happened: the error's kind, the program, how
// it exited and what it printed. The technical message and the stderr stay available as the
// details; this sentence never quotes a stack trace. Pure: the supervisor calls it.
import { basename } from 'node:path';
import type { ExitInfo, McpErrorKind } from './mcp-errors';

/** Every sentence of a failure headline, in one place (for the language catalogues to come). */
export const SERVER_FAILURE_TEXTS = {
  fileMissing: (program: string, file: string) => `The program \`${program}\` could not find the file \`${file}\`.`,
  packageMissing: (pkg: string) => `The server needs \`${pkg}\`, which is not installed where it runs.`,
  notInstalled: (program: string) => `The program \`${program}\` is not installed on this computer (or not where Flowbot looks for programs).`,
  cannotRun: (program: string, code: string) => `The program \`${program}\` could not be run (${code}).`,
  exitedAtStart: (code: number) => `The server exited at start (code ${code}).`,
  exited: (code: number) => `The server stopped unexpectedly (code ${code}).`,
  killed: (signal: string) => `The server was stopped by the system (${signal}).`,
  closedAtStart: 'The server closed the connection while starting.',
  closed: 'The server stopped unexpectedly.',
  startTimeout: (seconds: number) => `The server did not finish starting within ${seconds} s.`,
  circuitOpen: 'It is not restarted any more: fix this, then press "Start now".',
  unknown: 'The server could not be used.',
} as const;

export interface FailureFacts {
  kind: McpErrorKind;
  /** The command as configured ("node", "/usr/bin/python3"). */
  program?: string;
  exit?: ExitInfo;
  /** What the server printed on stderr (redacted). */
  stderr?: string;
  /** The failure happened while the server was starting. */
  atStart?: boolean;
  /** The technical message (the fallback for kinds without a sentence of their own). */
  message?: string;
  startTimeoutMs?: number;
}

export function plainFailure(facts: FailureFacts): string {
  const t = SERVER_FAILURE_TEXTS;
  const program = programName(facts.program);
  switch (facts.kind) {
    case 'not_found': {
      const code = /could not be run \((\w+)\)/.exec(facts.message ?? '')?.[1];
      return code ? t.cannotRun(program, code) : t.notInstalled(program);
    }
    case 'start_timeout':
      return facts.startTimeoutMs ? t.startTimeout(Math.round(facts.startTimeoutMs / 100) / 10) : ownWords(facts.message);
    case 'exited':
      return causeOfExit(facts, program);
    case 'circuit_open':
      return `${causeOfExit(facts, program)} ${t.circuitOpen}`;
    default:
      return ownWords(facts.message);
  }
}

/** Why a process ended: a missing file or package read from its stderr, else its exit code. */
function causeOfExit(facts: FailureFacts, program: string): string {
  const t = SERVER_FAILURE_TEXTS;
  const missing = missingFrom(facts.stderr ?? '');
  if (missing?.type === 'file') return t.fileMissing(program, missing.name);
  if (missing?.type === 'package') return t.packageMissing(missing.name);
  const exit = facts.exit;
  if (exit?.code != null) return facts.atStart ? t.exitedAtStart(exit.code) : t.exited(exit.code);
  if (exit?.signal) return t.killed(exit.signal);
  return facts.atStart ? t.closedAtStart : t.closed;
}

/** A path ("/x/index.js", "./a.js", "C:\\x.js"), not a package name ("zod", "@scope/pkg"). */
const PATH_LIKE = /^(\/|\.{1,2}[\\/]|[A-Za-z]:[\\/]|file:)/;

/** What Node ("Cannot find module '…'" / "Cannot find package '…'") or Python ("can't open file '…'") could not find. */
function missingFrom(stderr: string): { type: 'file' | 'package'; name: string } | undefined {
  const python = /can't open file '([^']+)'/.exec(stderr);
  if (python) return { type: 'file', name: python[1]! };
  const pkg = /Cannot find package '([^']+)'/.exec(stderr);
  if (pkg) return { type: 'package', name: pkg[1]! };
  const mod = /Cannot find module '([^']+)'/.exec(stderr);
  if (!mod) return undefined;
  const name = mod[1]!;
  return PATH_LIKE.test(name) ? { type: 'file', name: name.replace(/^file:\/\//, '') } : { type: 'package', name };
}

/** "node" for "/usr/bin/node" or "C:\\…\\node.exe": the name a person knows the program by. */
function programName(command: string | undefined): string {
  if (!command) return 'the server';
  return basename(command.replace(/\\/g, '/')).replace(/\.exe$/i, '');
}

/** The technical message without 'MCP server "x":' and without the quoted stderr, first letter up. */
function ownWords(message: string | undefined): string {
  const text = (message ?? '')
    .replace(/ Its last output \(stderr\):[\s\S]*$/, '')
    .replace(/^MCP server "[^"]*":?\s*/, '')
    .split('\n')[0]!
    .trim();
  return text ? text[0]!.toUpperCase() + text.slice(1) : SERVER_FAILURE_TEXTS.unknown;
}
