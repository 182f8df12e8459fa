// Leaves no MCP server process behind when the CLI (or a host process) is stopped with
// SIGINT/SIGTERM/SIGHUP: the signal closes everything gracefully (servers get stdin closed,
// then SIGTERM, then SIGKILL), then the process exits with 128 + the signal's number. A second
// signal exits at once. If the process exits any other way, the MCP adapter's exit hook kills
// whatever server is still running.
//
// "A second signal" means one sent at least DUPLICATE_WINDOW_MS after the first: some libraries
// re-raise the signal they got right away (when-exit, used by conf through atomically, runs its
// callbacks and then sends the same signal to the process again), which must not cut the
// graceful stop short.
import { constants } from 'node:os';

const DUPLICATE_WINDOW_MS = 300;

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
  /** Called when closing did not finish within timeoutMs, right before the exit (say what hung). */
  onTimeout?: () => void;
  /** The exit code once everything closed / when the bound passed (default 128 + the signal's number for both). */
  exitCodes?: { closed?: number; timedOut?: number };
}

/** Installs the handlers; returns a function that removes them again. */
export function installShutdownHooks(closeables: Closeable[], options: ShutdownHookOptions = {}): () => void {
  const signals = options.signals ?? ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let firstSignalAt: number | undefined;

  const onSignal = (signal: NodeJS.Signals) => {
    const code = 128 + (constants.signals[signal] ?? 15);
    if (firstSignalAt !== undefined) {
      // Asked twice: do not wait any longer (the exit hook kills what is still running).
      if (Date.now() - firstSignalAt >= DUPLICATE_WINDOW_MS) exit(code);
      return;
    }
    firstSignalAt = Date.now();
    try {
      options.onSignal?.(signal);
    } catch {
      // never let a report stop the shutdown
    }
    const timer = new Promise<false>((resolve) => setTimeout(() => resolve(false), options.timeoutMs ?? 10_000).unref());
    const closing = Promise.allSettled(closeables.map((c) => Promise.resolve().then(() => c.close()))).then(() => true as const);
    void Promise.race([closing, timer]).then((closed) => {
      if (!closed) {
        try {
          options.onTimeout?.();
        } catch {
          // the exit comes all the same
        }
      }
      exit((closed ? options.exitCodes?.closed : options.exitCodes?.timedOut) ?? code);
    });
  };

  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}
