// The SDK's stdio client transport (kept for its cross-platform spawn), with what supervision
// needs on top:
// - how the process ended (exit code or signal) and a promise for when it is gone;
// - stdout lines that are not MCP reported with their text (StdoutNoiseError), so the owner
//   can see what the server printed; the connection keeps working;
// - a graceful stop with configurable grace periods: close stdin, then SIGTERM, then SIGKILL,
//   and wait until the process has really ended;
// - a registry of live server processes: if our process exits by any path (process.exit, an
//   uncaught exception) every server still running is killed, so none is left orphaned.
import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { StdioClientTransport, type StdioServerParameters } from '@modelcontextprotocol/sdk/client/stdio.js';
import { deserializeMessage, serializeMessage, STDIO_DEFAULT_MAX_BUFFER_SIZE } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { ExitInfo } from './mcp-errors';

export interface StopTimings {
  /** After closing stdin, how long the server may take to exit before SIGTERM (default 2 s). */
  stdinGraceMs: number;
  /** After SIGTERM, how long before SIGKILL (default 2 s). */
  termGraceMs: number;
}

export const DEFAULT_STOP_TIMINGS: StopTimings = { stdinGraceMs: 2_000, termGraceMs: 2_000 };

/** After the process exited, how long its pipes may stay open (a grandchild holding them). */
const PIPE_CLOSE_WAIT_MS = 500;
/** After SIGKILL, how long to wait for the exit to be reported. */
const KILL_WAIT_MS = 2_000;

/** A line on the server's stdout that is not a JSON-RPC message. */
export class StdoutNoiseError extends Error {
  override name = 'StdoutNoiseError';
  constructor(readonly line: string, options?: { cause?: unknown }) {
    super(`the server printed text that is not MCP on stdout: ${JSON.stringify(line.length > 200 ? `${line.slice(0, 200)}…` : line)}`, options);
  }
}

/** A message that was not written because the process is stopping or gone: safe to send elsewhere. */
export class NotSentError extends Error {
  override name = 'NotSentError';
  constructor() {
    super('Not connected: the server process has ended');
  }
}

/** Same framing as the SDK's ReadBuffer (newline-delimited JSON), but a bad line keeps its text. */
class LineReadBuffer {
  private buffer: Buffer | undefined;
  constructor(private readonly maxSize: number) {}

  append(chunk: Buffer): void {
    const size = (this.buffer?.length ?? 0) + chunk.length;
    if (size > this.maxSize) {
      this.clear();
      throw new StdoutNoiseError(`(more than ${this.maxSize} bytes on stdout without a line break)`);
    }
    this.buffer = this.buffer ? Buffer.concat([this.buffer, chunk]) : chunk;
  }

  readMessage(): JSONRPCMessage | null {
    while (this.buffer) {
      const index = this.buffer.indexOf('\n');
      if (index === -1) return null;
      const line = this.buffer.toString('utf8', 0, index).replace(/\r$/, '');
      this.buffer = this.buffer.subarray(index + 1);
      if (line.trim() === '') continue; // blank lines are harmless
      try {
        return deserializeMessage(line);
      } catch (err) {
        throw new StdoutNoiseError(line, { cause: err });
      }
    }
    return null;
  }

  clear(): void {
    this.buffer = undefined;
  }
}

/** The SDK transport's private fields this class relies on (checked at construction). */
interface SdkInternals {
  _process?: ChildProcess;
  _readBuffer: unknown;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills every server process still running, synchronously (the last resort at exit). */
export function killAllServerProcessesNow(): void {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

function track(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', killAllServerProcessesNow);
  }
  live.add(child);
  child.once('exit', () => live.delete(child));
}

export class SupervisedStdioTransport extends StdioClientTransport {
  /** Called once the process is running. */
  onspawn?: (pid: number) => void;
  /** Called when a stop has to escalate: the process outlived the grace period before `signal`. */
  onescalate?: (signal: 'SIGTERM' | 'SIGKILL', afterMs: number) => void;
  /** Set once the process has exited. */
  exit: ExitInfo | undefined;
  /** Resolves when the process is gone (or never started). */
  readonly gone: Promise<void>;
  private settle!: () => void;
  private child: ChildProcess | undefined;
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private readonly timings: StopTimings;

  constructor(params: Omit<StdioServerParameters, 'stderr'>, timings: Partial<StopTimings> = {}) {
    super({ ...params, stderr: 'pipe' });
    this.timings = { ...DEFAULT_STOP_TIMINGS, ...timings };
    this.gone = new Promise<void>((resolve) => (this.settle = resolve));
    const internals = this as unknown as SdkInternals;
    if (!('_readBuffer' in internals)) {
      throw new Error('The installed @modelcontextprotocol/sdk changed StdioClientTransport; update stdio-transport.ts');
    }
    internals._readBuffer = new LineReadBuffer(params.maxBufferSize ?? STDIO_DEFAULT_MAX_BUFFER_SIZE);
  }

  /** The process id once spawned; kept after the process ended (for messages). */
  get spawnedPid(): number | undefined {
    return this.child?.pid;
  }

  /** Always a stream: stderr is piped so that it can be kept for the owner. */
  override get stderr(): Readable {
    return super.stderr as Readable;
  }

  override start(): Promise<void> {
    this.starting ??= this.spawn();
    return this.starting;
  }

  private async spawn(): Promise<void> {
    try {
      await super.start();
    } catch (err) {
      this.settle();
      throw err;
    }
    const child = (this as unknown as SdkInternals)._process;
    if (!child) {
      throw new Error('The installed @modelcontextprotocol/sdk changed StdioClientTransport; update stdio-transport.ts');
    }
    this.child = child;
    track(child);
    if (child.pid !== undefined) this.onspawn?.(child.pid);
    child.once('exit', (code, signal) => {
      this.exit = { code, signal };
      // 'close' (which fails the calls in flight) waits for the pipes; a grandchild that
      // inherited them could hold them open. Do not let that delay the failure.
      const timer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        child.stdin?.destroy();
      }, PIPE_CLOSE_WAIT_MS);
      timer.unref();
      child.once('close', () => clearTimeout(timer));
    });
    child.once('close', () => this.settle());
  }

  /**
   * Like the SDK's send, but it never hangs: after stdin was closed (we are stopping, or the
   * process is gone) the SDK's version waits forever for a 'drain' that never comes.
   */
  override send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || this.stopping || this.exit || !stdin.writable) return Promise.reject(new NotSentError());
    return new Promise<void>((resolve, reject) => {
      if (stdin.write(serializeMessage(message))) return resolve();
      const settle = (error?: Error) => {
        stdin.off('drain', onDrain).off('close', onClose).off('error', settle);
        if (error) reject(error);
        else resolve();
      };
      const onDrain = () => settle();
      const onClose = () => settle(new Error('Not connected'));
      stdin.on('drain', onDrain).on('close', onClose).on('error', settle);
    });
  }

  /** Stops the process gracefully: close stdin, wait, SIGTERM, wait, SIGKILL. Resolves when it is gone. */
  override close(): Promise<void> {
    this.stopping ??= this.stop();
    return this.stopping;
  }

  private async stop(): Promise<void> {
    await this.starting?.catch(() => undefined); // a stop during spawn still stops the process
    const child = this.child;
    if (!child) this.settle(); // never started: nothing to wait for
    if (child && !this.exit) {
      try {
        child.stdin?.end();
      } catch {
        // ignore
      }
      if (!(await this.goneWithin(this.timings.stdinGraceMs))) {
        this.onescalate?.('SIGTERM', this.timings.stdinGraceMs);
        signal(child, 'SIGTERM');
        if (!(await this.goneWithin(this.timings.termGraceMs))) {
          this.onescalate?.('SIGKILL', this.timings.termGraceMs);
          signal(child, 'SIGKILL');
          await this.goneWithin(KILL_WAIT_MS);
        }
      }
    }
    if (child && !(await this.goneWithin(PIPE_CLOSE_WAIT_MS * 2))) {
      // Exited, but its pipes are held open elsewhere: report the close ourselves.
      this.settle();
      this.onclose?.();
      return;
    }
    await super.close(); // the process is gone: this only clears the SDK's state
  }

  private goneWithin(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      timer.unref();
      void this.gone.then(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}

function signal(child: ChildProcess, name: NodeJS.Signals): void {
  try {
    child.kill(name);
  } catch {
    // already gone
  }
}
