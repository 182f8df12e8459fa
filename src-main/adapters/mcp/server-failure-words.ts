// A server failure in one plain sentence for the owner's headline ("The program `node` could not
// find the file `/…/index.js`."), read from what happened: the error's kind, the program, how
// it exited and what it printed. The technical message and the stderr stay available as the
// details; this sentence never quotes a stack trace. Pure: the supervisor calls it.
import { basename } from 'node:path';
import { sandboxDenial, type SandboxPolicy } from '../../core/mcp-sandbox';
import type { OwnerText } from '../../shared/owner-text';
import { renderSignIn } from '../../shared/sign-in-texts';
import type { ExitInfo, McpErrorKind } from './mcp-errors';

/** Every sentence of a failure headline in English; the studio's catalogues have the same keys (common:ownerTexts.serverFailure). */
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
  sandboxRead: (path: string) => `It tried to read \`${path}\`: not allowed in the sandbox. Grant the folder on the server's card if it needs it.`,
  sandboxWrite: (path: string) => `It tried to write to \`${path}\`: not allowed in the sandbox. Grant the folder (read and write) on the server's card if it needs it.`,
  sandboxReach: (host: string) => `It tried to reach \`${host}\`: not allowed in the sandbox. Grant the host on the server's card if it needs it.`,
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
  /** The failure's own sentence as catalogue keys, when it has them (a sign-in's, common:ownerTexts.signIn.*). */
  ownTexts?: OwnerText[];
  /** The sandbox the process ran in (a denial is read from its stderr). */
  sandbox?: Pick<SandboxPolicy, 'denyRead' | 'allowRead' | 'allowWrite' | 'network'>;
}

/** The headline in English (the CLI, logs; the studio shows `failureTexts` in its own language). */
export function plainFailure(facts: FailureFacts): string {
  return failureTexts(facts).map(english).join(' ');
}

/** The headline as catalogue keys (common:ownerTexts.serverFailure.<key>) with their values. */
export function failureTexts(facts: FailureFacts): OwnerText[] {
  const program = programName(facts.program);
  switch (facts.kind) {
    case 'not_found': {
      const code = /could not be run \((\w+)\)/.exec(facts.message ?? '')?.[1];
      return [code ? text('cannotRun', { program, code }) : text('notInstalled', { program })];
    }
    case 'start_timeout':
      return [facts.startTimeoutMs ? text('startTimeout', { seconds: Math.round(facts.startTimeoutMs / 100) / 10 }) : ownWords(facts.message)];
    case 'exited':
      return [causeOfExit(facts, program)];
    case 'circuit_open':
      return [causeOfExit(facts, program), text('circuitOpen')];
    default:
      return facts.ownTexts?.length ? facts.ownTexts : [ownWords(facts.message)];
  }
}

type FailureKey = keyof typeof SERVER_FAILURE_TEXTS | 'asIs';
const text = (key: FailureKey, params?: Record<string, string | number>): OwnerText => ({ key: `serverFailure.${key}`, ...(params ? { params } : {}) });

function english(t: OwnerText): string {
  if (!t.key.startsWith('serverFailure.')) return renderSignIn('en', [t]);
  const p = t.params ?? {};
  const s = (name: string) => String(p[name] ?? '');
  const n = (name: string) => Number(p[name] ?? 0);
  const w = SERVER_FAILURE_TEXTS;
  switch (t.key.replace(/^serverFailure\./, '') as FailureKey) {
    case 'fileMissing': return w.fileMissing(s('program'), s('file'));
    case 'packageMissing': return w.packageMissing(s('package'));
    case 'notInstalled': return w.notInstalled(s('program'));
    case 'cannotRun': return w.cannotRun(s('program'), s('code'));
    case 'exitedAtStart': return w.exitedAtStart(n('code'));
    case 'exited': return w.exited(n('code'));
    case 'killed': return w.killed(s('signal'));
    case 'closedAtStart': return w.closedAtStart;
    case 'closed': return w.closed;
    case 'startTimeout': return w.startTimeout(n('seconds'));
    case 'circuitOpen': return w.circuitOpen;
    case 'unknown': return w.unknown;
    case 'sandboxRead': return w.sandboxRead(s('path'));
    case 'sandboxWrite': return w.sandboxWrite(s('path'));
    case 'sandboxReach': return w.sandboxReach(s('host'));
    case 'asIs': return s('text');
  }
}

/** Why a process ended: a missing file or package read from its stderr, else its exit code. */
function causeOfExit(facts: FailureFacts, program: string): OwnerText {
  const denial = facts.sandbox && sandboxDenial(facts.stderr ?? '', facts.sandbox);
  if (denial) return denial.action === 'reach' ? text('sandboxReach', { host: denial.host }) : text(denial.action === 'read' ? 'sandboxRead' : 'sandboxWrite', { path: denial.path });
  const missing = missingFrom(facts.stderr ?? '');
  if (missing?.type === 'file') return text('fileMissing', { program, file: missing.name });
  if (missing?.type === 'package') return text('packageMissing', { package: missing.name });
  const exit = facts.exit;
  if (exit?.code != null) return facts.atStart ? text('exitedAtStart', { code: exit.code }) : text('exited', { code: exit.code });
  if (exit?.signal) return text('killed', { signal: exit.signal });
  return facts.atStart ? text('closedAtStart') : text('closed');
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

/** The technical message without 'MCP server "x":' and without the quoted stderr, first letter up (shown as it is). */
function ownWords(message: string | undefined): OwnerText {
  const words = (message ?? '')
    .replace(/ Its last output \(stderr\):[\s\S]*$/, '')
    .replace(/^MCP server "[^"]*":?\s*/, '')
    .split('\n')[0]!
    .trim();
  return words ? text('asIs', { text: words[0]!.toUpperCase() + words.slice(1) }) : text('unknown');
}
