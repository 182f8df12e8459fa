// Leaves no MCP server process behind when the CLI (or a host process) is stopped with
// SIGINT/SIGTERM/SIGHUP: the signal closes everything gracefully (servers get stdin closed,
// then SIGTERM, then SIGKILL), then the process exits with 128 + the signal's number. A second
// signal exits at once. If the process exits any other way, the MCP adapter's exit hook kills
// whatever server is still running.
import { constants } from 'node:os';

export interface Closeable {
  close(): Promise<void>;
}

export interface ShutdownHookOptions {
  /** default SIGINT, SIGTERM, SIGHUP */
  signals?: NodeJS.Signals[];
  /** The most time closing may take before the process exits anyway (default 10 s). */
  timeoutMs?: number;
  /** Called first, e.g. to tell the user what is happening. */
  onSignal?: (signal: NodeJS.Signals) => void;
  /** default process.exit */
  exit?: (code: number) => void;
}

/** Installs the handlers; returns a function that removes them again. */
export function installShutdownHooks(closeables: Closeable[], options: ShutdownHookOptions = {}): () => void {
  const signals = options.signals ?? ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let shuttingDown = false;

  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`DEBUG onSignal ${signal} pid=${process.pid} listeners=${process.listenerCount(signal)} ${new Error().stack}\n`);
    const code = 128 + (constants.signals[signal] ?? 15);
    if (shuttingDown) return exit(code); // asked twice: do not wait any longer
    shuttingDown = true;
    try {
      options.onSignal?.(signal);
    } catch {
      // never let a report stop the shutdown
    }
    const timer = new Promise<void>((resolve) => setTimeout(resolve, options.timeoutMs ?? 10_000).unref());
    const closing = Promise.allSettled(closeables.map((c) => Promise.resolve().then(() => c.close())));
    void Promise.race([closing, timer]).then(() => exit(code));
  };

  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}
