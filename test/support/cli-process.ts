// Drives the real `flowbot` CLI (bundled once: cli-bundle.ts) as a child process: send customer lines, wait for events.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cliEntry } from './cli-bundle';

export interface CliEvent {
  type: string;
  [key: string]: unknown;
}

export class CliProcess {
  readonly events: CliEvent[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcessWithoutNullStreams;
  private waiters: (() => void)[] = [];

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [cliEntry(), ...args], { stdio: 'pipe' });
    let buffer = '';
    this.child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines.filter(Boolean)) this.events.push(parseLine(line));
      for (const wake of this.waiters) wake();
    });
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((done) => this.child.on('exit', (code, signal) => done({ code, signal })));
  }

  get pid(): number {
    return this.child.pid!;
  }

  send(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** Closes stdin (end of the customer's messages) and waits for the exit. */
  async finish() {
    this.child.stdin.end();
    return this.exited;
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Resolves with the first event (counting from `from`) that matches, or fails after a timeout. */
  waitFor(match: (e: CliEvent) => boolean, from = 0, timeoutMs = 20_000): Promise<CliEvent> {
    return new Promise((resolveEvent, reject) => {
      const check = () => {
        const found = this.events.slice(from).find(match);
        if (!found) return false;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== wake);
        resolveEvent(found);
        return true;
      };
      const wake = () => void check();
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        reject(new Error(`timed out waiting for an event; got ${JSON.stringify(this.events)}\nstderr: ${this.stderr}`));
      }, timeoutMs);
      if (!check()) this.waiters.push(wake);
    });
  }

  messages(): string[] {
    return this.events.flatMap((e) => (e.type === 'bot_message' ? [String(e.text)] : []));
  }
}

/** Runs the CLI to completion with the given stdin. */
export async function runCli(args: string[], stdinLines: string[] = []) {
  const cli = new CliProcess(args);
  for (const line of stdinLines) cli.send(line);
  const { code } = await cli.finish();
  return { code, events: cli.events, stderr: cli.stderr, messages: cli.messages() };
}

/** --json prints one event per line; anything else is kept as plain text. */
function parseLine(line: string): CliEvent {
  try {
    return JSON.parse(line) as CliEvent;
  } catch {
    return { type: 'text', text: line };
  }
}
