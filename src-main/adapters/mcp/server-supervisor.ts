// Keeps one MCP server available: starts it on first use (or on `connect`), fails the calls in
// flight at once when it crashes, restarts it with backoff and jitter, opens the circuit when
// it keeps crashing, replaces a stdio process before its OAuth token expires, and stops it
// gracefully. Everything it reports is redacted.
import type { OwnerText } from '../../shared/owner-text';
import type { ToolCallResult, ToolDefinition } from '../../runtime/ports';
import { McpServerError, type ExitInfo, type McpErrorKind } from './mcp-errors';
import type { McpServerEvent, McpServerStatus, ServerState, StartReason } from './server-status';
import { backoffDelay, CrashHistory, type RestartPolicy } from './restart-policy';
import { ServerConnection, type Launched, type LaunchSandbox } from './server-connection';
import { sandboxStatus } from './server-status';
import { ServerErrors, StartFailure } from './server-errors';
import { failureTexts, plainFailure, type FailureFacts } from './server-failure-words';

/** A failure's headline in English and as catalogue keys (the studio's language). */
const headline = (facts: FailureFacts) => ({ summary: plainFailure(facts), summaryText: failureTexts(facts) });
import { StderrBuffer } from './stderr-buffer';
import { NotSentError, type StdoutNoiseError } from './stdio-transport';

export interface LaunchOptions {
  /** The token the process being replaced was started with: the new one must differ. */
  previousToken?: string;
  signal: AbortSignal;
}

export interface SupervisorDeps {
  server: string;
  transport: 'stdio' | 'http';
  /** The command as configured (stdio), for failures before a process is launched. */
  program?: string;
  /** Prepares a transport (resolves env and token). Throws McpServerError for config/auth problems. */
  launch(options: LaunchOptions): Promise<Launched>;
  policy: RestartPolicy;
  startTimeoutMs: number;
  tokenRefreshMarginMs: number;
  stderrLimit: number;
  now(): number;
  random(): number;
  redact(text: string): string;
  emit(event: McpServerEvent): void;
}

/** A token renewal is never scheduled sooner than this (a source that hands out expired tokens must not cause a loop). */
const MIN_RENEW_DELAY_MS = 500;
/** Pre-spawn failures: restarting cannot help, the next call simply tries again. */
const NOT_CRASHES = new Set<McpErrorKind>(['unknown_server', 'unsupported', 'config', 'auth', 'sign_in', 'not_found', 'closed', 'cancelled']);

class Deferred<T> {
  readonly promise: Promise<T>;
  resolve!: (value: T) => void;
  reject!: (error: unknown) => void;
  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.promise.catch(() => undefined); // nobody may be waiting
  }
}

export class ServerSupervisor {
  private state: ServerState = 'idle';
  private current: ServerConnection | undefined;
  /** The start in progress, or the restart scheduled: calls arriving now wait for it. */
  private next: Deferred<ServerConnection> | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  /** Every connection whose process may still be running (current, starting, draining). */
  private readonly connections = new Set<ServerConnection>();
  /** Launches in progress (resolving env and token): nothing may spawn after `stop`. */
  private readonly launching = new Set<Promise<Launched>>();
  private readonly crashes: CrashHistory;
  private readonly stderr: StderrBuffer;
  private readonly secrets = new Set<string>();
  private restarts = 0;
  private readyAt: number | undefined;
  private lastExit: ExitInfo | undefined;
  private lastError: McpServerStatus['lastError'];
  private circuitError: McpServerError | undefined;
  /** The program of the last launch, and whether the last crash happened at start (for the plain headline). */
  private program: string | undefined;
  /** The sandbox of the latest process (or why it had none). */
  private sandbox: LaunchSandbox | undefined;
  private lastCrashAtStart = false;
  private noiseLines = 0;
  private renewFailures = 0;
  private closed = false;
  private readonly errors: ServerErrors;

  constructor(private readonly deps: SupervisorDeps) {
    this.program = deps.program;
    this.crashes = new CrashHistory(deps.policy);
    this.stderr = new StderrBuffer(deps.stderrLimit);
    this.errors = new ServerErrors({
      server: deps.server,
      startTimeoutMs: deps.startTimeoutMs,
      stderr: this.stderr,
      redact: (text) => this.redact(text),
      isClosed: () => this.closed,
    });
  }

  get name(): string {
    return this.deps.server;
  }

  get pid(): number | undefined {
    return this.current?.live ? this.current.pid : undefined;
  }

  // ---- calls ----------------------------------------------------------------------

  async listTools(timeoutMs: number, signal?: AbortSignal): Promise<ToolDefinition[]> {
    const what = 'the tool list';
    return this.withConnection(what, signal, async (conn) => {
      const tools = conn.listTools(timeoutMs);
      try {
        return await (signal ? abortable(tools, signal, () => this.errors.cancelled(what)) : tools);
      } catch (err) {
        throw this.errors.call(conn, what, err, timeoutMs, signal);
      }
    });
  }

  async callTool(tool: string, args: Record<string, unknown>, timeoutMs: number, signal?: AbortSignal): Promise<ToolCallResult> {
    const what = `tool "${tool}"`;
    return this.withConnection(what, signal, async (conn) => {
      try {
        return await conn.callTool(tool, args, timeoutMs, signal);
      } catch (err) {
        throw this.errors.call(conn, what, err, timeoutMs, signal);
      }
    });
  }

  /**
   * Runs a request on a live connection. A request that could not even be written (the process
   * ended a moment before, and we had not noticed yet) is sent again to the next process: it
   * never reached the old one, so it cannot run twice.
   */
  private async withConnection<T>(what: string, signal: AbortSignal | undefined, run: (conn: ServerConnection) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const conn = await this.acquire(what, signal);
      try {
        return await run(conn);
      } catch (err) {
        const notSent = err instanceof McpServerError && err.cause instanceof NotSentError;
        if (!notSent || attempt >= 2 || this.closed || signal?.aborted) throw err;
      }
    }
  }

  /** A live connection: the current one, or the one being started (starting it if needed). */
  private async acquire(what: string, signal?: AbortSignal, reason: StartReason = 'first_use'): Promise<ServerConnection> {
    for (;;) {
      if (signal?.aborted) throw this.errors.cancelled(what);
      if (this.closed) throw this.errors.closed();
      if (this.current?.live) return this.current;
      if (this.current?.ending) {
        // Exited a moment ago: let the crash be handled (restart or circuit) before going on.
        const lost = this.current.whenLost;
        await (signal ? abortable(lost, signal, () => this.errors.cancelled(what)) : lost);
        continue;
      }
      if (this.state === 'circuit_open' && this.circuitError) throw this.circuitError;
      const next = this.next ?? this.start(reason);
      const conn = await (signal ? abortable(next.promise, signal, () => this.errors.cancelled(what)) : next.promise);
      // Replaced in between (a token refresh): take the newest.
      if (conn.live) return conn;
    }
  }

  // ---- lifecycle --------------------------------------------------------------------

  /** Starts the server now if it is not running; resets an open circuit. Resolves when it is ready. */
  async connect(signal?: AbortSignal): Promise<void> {
    if (this.closed) throw this.errors.closed();
    if (this.state === 'circuit_open') {
      this.crashes.reset();
      this.circuitError = undefined;
      this.state = 'failed';
    }
    if (this.restartTimer && this.next) {
      // Waiting out a backoff: the owner asked for it now.
      clearTimeout(this.restartTimer);
      this.restartTimer = undefined;
      this.start('connect', this.next);
    }
    await this.acquire('connecting', signal, 'connect');
  }

  /** Stops the server gracefully (close stdin, SIGTERM, SIGKILL); the next call starts it again, unless `final`. */
  async stop(final: boolean): Promise<void> {
    if (final) this.closed = true;
    this.clearTimers();
    const pending = this.next;
    this.next = undefined;
    pending?.reject(final ? this.errors.closed() : this.errors.disconnected());
    this.current = undefined;
    const wasRunning = this.state !== 'idle' && this.state !== 'stopped';
    if (this.state !== 'idle' || final) this.state = 'stopped';
    await Promise.allSettled([...this.launching]);
    await Promise.allSettled([...this.connections].map((c) => c.close()));
    if (wasRunning) this.emit({ type: 'stopped', detail: { reason: final ? 'close' : 'disconnect' } });
  }

  status(): McpServerStatus {
    const conn = this.current?.live ? this.current : undefined;
    const status: McpServerStatus = {
      server: this.name,
      transport: this.deps.transport,
      state: this.state,
      restarts: this.restarts,
      recentCrashes: this.crashes.recent(this.deps.now()),
      stdoutNoiseLines: this.noiseLines,
      stderr: this.redact(this.stderr.since()),
    };
    if (conn?.pid !== undefined) status.pid = conn.pid;
    if (this.readyAt !== undefined) status.readyAt = this.readyAt;
    if (this.lastExit) status.lastExit = this.lastExit;
    if (this.lastError) status.lastError = this.lastError;
    if (conn?.launched.expiresAt != null) status.tokenExpiresAt = conn.launched.expiresAt;
    if (this.sandbox) status.sandbox = sandboxStatus(this.sandbox, this.lastError?.summaryText);
    const info = conn?.client.getServerVersion();
    if (info && typeof info.name === 'string') {
      const title = typeof info.title === 'string' ? info.title : undefined;
      status.serverInfo = { name: this.redact(info.name), version: this.redact(String(info.version ?? '')), ...(title ? { title: this.redact(title) } : {}) };
    }
    const instructions = conn?.client.getInstructions();
    if (typeof instructions === 'string' && instructions) status.instructions = this.redact(instructions);
    return status;
  }

  /** Begins a start attempt; calls waiting on `deferred` get its result. */
  private start(reason: StartReason, deferred = new Deferred<ServerConnection>()): Deferred<ServerConnection> {
    this.next = deferred;
    this.state = 'starting';
    this.emit({ type: 'starting', detail: { reason } });
    void this.runStart(reason, deferred);
    return deferred;
  }

  private async runStart(reason: StartReason, deferred: Deferred<ServerConnection>): Promise<void> {
    const wanted = () => !this.closed && this.next === deferred;
    let conn: ServerConnection | undefined;
    try {
      conn = await this.openConnection({}, wanted);
      if (!wanted()) throw this.closed ? this.errors.closed() : this.errors.disconnected();
      this.next = undefined;
      this.current = conn;
      this.state = 'ready';
      this.readyAt = this.deps.now();
      this.emit({ type: 'ready', detail: { reason, ...(conn.pid !== undefined ? { pid: conn.pid } : {}) } });
      this.scheduleRenewal(conn);
      deferred.resolve(conn);
    } catch (err) {
      const failed = conn ?? (err instanceof StartFailure ? err.conn : undefined);
      if (failed) void failed.close();
      if (!wanted()) {
        deferred.reject(this.closed ? this.errors.closed() : this.errors.disconnected());
        return;
      }
      const error = this.errors.start(failed, err);
      this.next = undefined;
      this.noteError(error, true);
      deferred.reject(error);
      if (failed && !NOT_CRASHES.has(error.kind)) this.crashed(failed, error);
      else this.state = 'failed';
    }
  }

  /** Launches a transport and runs `initialize` on it; spawns nothing once `wanted` turns false. */
  private async openConnection(options: { previousToken?: string }, wanted: () => boolean): Promise<ServerConnection> {
    const launch = this.deps.launch({ ...options, signal: AbortSignal.timeout(this.deps.startTimeoutMs) });
    this.launching.add(launch);
    let launched: Launched;
    try {
      launched = await launch;
    } finally {
      this.launching.delete(launch);
    }
    for (const secret of launched.secrets) this.secrets.add(secret);
    this.program = launched.command;
    this.sandbox = launched.sandbox;
    if (!wanted()) {
      await launched.transport.close().catch(() => undefined);
      throw this.closed ? this.errors.closed() : this.errors.disconnected();
    }
    const conn = new ServerConnection(launched, this.stderr.mark(), {
      onLost: (c) => this.lost(c),
      onNoise: (c, e) => this.noise(c, e),
    });
    this.connections.add(conn);
    if (launched.process) {
      launched.process.onspawn = (pid) => {
        this.stderr.append(`[flowbot] process ${pid} started\n`);
        conn.stderrMark = this.stderr.mark(); // errors quote what the server printed, not our note
      };
      launched.process.onescalate = (signal, afterMs) => {
        const before = signal === 'SIGTERM' ? 'after stdin was closed' : 'after SIGTERM';
        this.stderr.append(`[flowbot] process ${conn.pid} still running ${afterMs} ms ${before}: sending ${signal}\n`);
      };
      launched.process.stderr.on('data', (chunk: Buffer) => this.stderr.append(chunk.toString('utf8')));
      void launched.process.gone.then(() => this.connections.delete(conn));
    }
    try {
      await conn.open(this.deps.startTimeoutMs);
    } catch (err) {
      throw new StartFailure(conn, err);
    }
    return conn;
  }

  /** The transport closed without us asking. */
  private lost(conn: ServerConnection): void {
    if (!conn.launched.process) this.connections.delete(conn);
    if (conn.retiring || !conn.ready) return; // we closed it, or the start failure reports it
    if (this.current !== conn) return; // a replaced process finishing its last calls: nothing to restart
    this.current = undefined;
    const error = this.errors.exited(conn, undefined);
    this.noteError(error, false);
    this.crashed(conn, error);
  }

  /** Records a crash, then restarts after a backoff or opens the circuit. */
  private crashed(conn: ServerConnection, error: McpServerError): void {
    this.clearRenewal();
    if (conn.exit) this.lastExit = conn.exit;
    this.emit({
      type: 'crashed',
      detail: { ...(conn.pid !== undefined ? { pid: conn.pid } : {}), ...(conn.exit ? { exit: conn.exit } : {}), kind: error.kind, message: error.message },
    });
    if (this.closed) return;
    const recent = this.crashes.record(this.deps.now());
    if (this.next) return; // a start is already under way (asked for while this one was ending)
    const { policy } = this.deps;
    if (recent >= policy.maxCrashes) {
      this.state = 'circuit_open';
      const seconds = Math.round(policy.windowMs / 100) / 10;
      const message =
        `MCP server "${this.name}" keeps crashing: it stopped ${recent} times within ${seconds} s, so it is not restarted automatically any more. ` +
        `Last failure: ${error.message.replace(/ Its last output \(stderr\):[\s\S]*$/, '')} ` +
        'Read its output (stderr) for the cause, fix it, then connect the server again to retry.';
      this.circuitError = new McpServerError(this.name, 'circuit_open', this.redact(message), error.stderr, error.exit ? { exit: error.exit } : undefined);
      this.noteError(this.circuitError);
      this.emit({ type: 'circuit_open', detail: { recentCrashes: recent, windowMs: policy.windowMs, message: this.circuitError.message } });
      return;
    }
    const delayMs = backoffDelay(policy, recent, this.deps.random);
    this.state = 'restarting';
    this.restarts++;
    const deferred = new Deferred<ServerConnection>();
    this.next = deferred;
    this.emit({ type: 'restarting', detail: { delayMs, recentCrashes: recent } });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.next === deferred) this.start('restart', deferred);
    }, delayMs);
  }

  private noise(conn: ServerConnection, error: StdoutNoiseError): void {
    this.noiseLines++;
    this.stderr.append(`[flowbot] stdout (not MCP): ${error.line}\n`);
    if (conn.noiseLines > 1) return; // reported once per process; counted always
    const message = this.redact(`MCP server "${this.name}": ${error.message}. Servers must write logs to stderr; the line was ignored.`);
    this.lastError = { kind: 'protocol', message, ...headline({ kind: 'protocol', message }), at: this.deps.now() };
    this.emit({ type: 'warning', detail: { kind: 'protocol', message } });
  }

  // ---- token renewal (stdio servers with OAuth2) -----------------------------------------

  private scheduleRenewal(conn: ServerConnection): void {
    const { expiresAt } = conn.launched;
    if (expiresAt == null || this.closed) return;
    this.clearRenewal();
    const now = this.deps.now();
    const margin = Math.min(this.deps.tokenRefreshMarginMs, Math.max(0, (expiresAt - now) / 2));
    const delay = Math.max(MIN_RENEW_DELAY_MS, expiresAt - margin - now);
    this.renewTimer = setTimeout(() => {
      this.renewTimer = undefined;
      void this.renew(conn);
    }, delay);
  }

  /**
   * Starts a replacement process with a fresh token and switches new calls to it; the old one
   * finishes its calls in flight and is then stopped. No call fails because of the switch.
   */
  private async renew(old: ServerConnection): Promise<void> {
    if (this.closed || this.current !== old || !old.live) return;
    this.emit({ type: 'starting', detail: { reason: 'token_refresh' } });
    let conn: ServerConnection | undefined;
    try {
      const wanted = () => !this.closed && this.current === old && old.live;
      conn = await this.openConnection(old.launched.accessToken !== undefined ? { previousToken: old.launched.accessToken } : {}, wanted);
    } catch (err) {
      const failed = err instanceof StartFailure ? err.conn : undefined;
      if (failed) void failed.close();
      if (this.closed || this.current !== old || !old.live) return;
      const error = this.errors.start(failed, err);
      const message = this.redact(`MCP server "${this.name}": could not replace the process before its access token expires: ${error.message.replace(/^MCP server "[^"]*":? /, '')}`);
      this.lastError = { kind: error.kind, message, ...headline({ kind: error.kind, message }), at: this.deps.now() };
      this.emit({ type: 'warning', detail: { kind: error.kind, message } });
      // Try again later, backing off; the running process keeps serving calls meanwhile.
      const { baseDelayMs, factor, maxDelayMs } = this.deps.policy;
      const backoff = Math.min(maxDelayMs, Math.max(MIN_RENEW_DELAY_MS, baseDelayMs * factor ** ++this.renewFailures));
      const untilExpiry = (old.launched.expiresAt ?? 0) - this.deps.now();
      this.renewTimer = setTimeout(() => {
        this.renewTimer = undefined;
        void this.renew(old);
      }, untilExpiry > 2 * MIN_RENEW_DELAY_MS ? Math.min(backoff, untilExpiry / 2) : backoff);
      return;
    }
    if (this.closed || this.current !== old || !old.live) {
      void conn.close();
      return;
    }
    this.current = conn;
    this.renewFailures = 0;
    this.readyAt = this.deps.now();
    this.emit({ type: 'ready', detail: { reason: 'token_refresh', ...(conn.pid !== undefined ? { pid: conn.pid } : {}) } });
    this.scheduleRenewal(conn);
    void this.retire(old);
  }

  /** Stops a replaced connection once its calls in flight are done. */
  private async retire(conn: ServerConnection): Promise<void> {
    await conn.whenIdle();
    // A call that was handed this connection just before the switch starts in this turn.
    await new Promise((resolve) => setImmediate(resolve));
    await conn.whenIdle();
    await conn.close();
  }

  private clearRenewal(): void {
    if (this.renewTimer) clearTimeout(this.renewTimer);
    this.renewTimer = undefined;
  }

  private clearTimers(): void {
    this.clearRenewal();
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }

  /** Remembers the last failure with its plain headline; `atStart` says whether it happened while starting. */
  private noteError(error: McpServerError, atStart = this.lastCrashAtStart): void {
    this.lastCrashAtStart = atStart;
    const summary = headline({
      kind: error.kind,
      message: error.message,
      atStart,
      startTimeoutMs: this.deps.startTimeoutMs,
      ...(this.program !== undefined ? { program: this.program } : {}),
      ...(this.sandbox?.on ? { sandbox: this.sandbox.policy } : {}),
      ...(error.exit ? { exit: error.exit } : {}),
      ...(error.stderr !== undefined ? { stderr: error.stderr } : {}),
      ...ownTextsOf(error),
    });
    this.lastError = { kind: error.kind, message: error.message, ...summary, at: this.deps.now() };
    error.summaryText = summary.summaryText; // callers that get the error (a refused simulation) say the same
  }

  /** Masks this server's own secrets (resolved env values, tokens), then the app's redactor. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (secret.length >= 4) out = out.split(secret).join('[secret]');
    return this.deps.redact(out);
  }

  private emit(event: DistributiveOmit<McpServerEvent, 'server' | 'at'>): void {
    this.deps.emit({ ...event, server: this.name, at: this.deps.now() } as McpServerEvent);
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function abortable<T>(promise: Promise<T>, signal: AbortSignal, error: () => Error): Promise<T> {
  if (signal.aborted) return Promise.reject(error());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(error());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The catalogue keys a cause carries for its own sentence (a SignInRequiredError's `text`), if any. */
function ownTextsOf(error: Error): { ownTexts?: OwnerText[] } {
  for (let cause: unknown = error, depth = 0; cause instanceof Error && depth < 4; cause = cause.cause, depth++) {
    const text = (cause as { text?: unknown }).text;
    if (Array.isArray(text) && text.length > 0) return { ownTexts: text as OwnerText[] };
  }
  return {};
}
