// McpPort over the official SDK: one supervised connection per configured server (one
// process per stdio server, per hub; the app makes one hub per bot), started on first use or
// on `connect`, restarted after crashes, stopped gracefully on close.
//
// What the owner can rely on (details in server-supervisor.ts):
// - every call has a timeout and honours an AbortSignal; both send notifications/cancelled;
// - a crash fails the calls in flight at once (kind 'exited', with the exit code and the
//   server's last stderr), then the server is restarted after a full-jitter exponential backoff;
//   maxCrashes crashes within windowMs open the circuit (kind 'circuit_open') until `connect`;
// - a stdio process gets a minimal environment plus its own declared variables, and, for
//   OAuth2, the access token in auth.tokenEnv; it is replaced before the token expires;
// - stopping closes stdin, then sends SIGTERM, then SIGKILL; an exit hook kills any server
//   still running when our process exits (app/shutdown.ts handles SIGINT/SIGTERM/SIGHUP);
// - stderr is kept (64 KiB per server) and everything shown is redacted; stdout lines that are
//   not MCP are ignored, counted and reported once per process.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallOptions, McpPort, TokenSource, ToolCallResult, ValueResolver } from '../../runtime/ports';
import type { HttpServerConfig, McpServerConfig, StdioServerConfig } from '../../shared/workspace-config';
import { McpServerError, errorText } from './mcp-errors';
import { DEFAULT_RESTART_POLICY, type RestartPolicy } from './restart-policy';
import { SANDBOX_TEXTS } from '../../core/mcp-sandbox';
import { createSandboxLauncher, findProgram, type SandboxSettings } from './sandbox/sandbox-launch';
import { sandboxSupport, type SandboxSupport } from './sandbox/sandbox-support';
import type { Launched, LaunchSandbox } from './server-connection';
import { serverEnv } from './server-env';
import type { McpServerEvent, McpServerStatus } from './server-status';
import { ServerSupervisor, type LaunchOptions } from './server-supervisor';
import { DEFAULT_STDERR_LIMIT } from './stderr-buffer';
import { SupervisedStdioTransport, type StopTimings } from './stdio-transport';

export interface McpHubOptions {
  servers: Record<string, McpServerConfig>;
  /** Resolves a config value ({secret}, {env} or a plain string). */
  resolveValue: ValueResolver;
  /** The config file's folder: relative command paths and cwd resolve against it. */
  cwd: string;
  /** Per-call timeout when neither the call nor the server sets one (default 30 s). */
  defaultTimeoutMs?: number;
  /** How long a server may take to start and answer `initialize` (default 30 s). */
  startTimeoutMs?: number;
  /** Masks secret values; applied to stderr, events and every error message. */
  redact?: (text: string) => string;
  /** Lifecycle events of every server, for the UI, the CLI and logs. */
  onEvent?: (event: McpServerEvent) => void;
  /** The OAuth2 token source of a stdio server with `auth` (its token goes into env[auth.tokenEnv]). */
  tokenSourceFor?: (server: string) => TokenSource | undefined;
  /** Opens the transport of a `url` server. Without it, url servers fail as unsupported. */
  httpTransport?: (name: string, config: HttpServerConfig) => Promise<Transport>;
  /** Backoff and circuit breaker (defaults: 200 ms × 2 up to 10 s, full jitter; 5 crashes in 60 s). */
  restart?: Partial<RestartPolicy>;
  /** Graceful stop: stdin closed, then SIGTERM after stdinGraceMs, SIGKILL after termGraceMs (2 s each). */
  stop?: Partial<StopTimings>;
  /** A stdio process is replaced this long before its token expires (default 60 s; at most half the token's life). */
  tokenRefreshMarginMs?: number;
  /** Characters of stderr kept per server (default 64 KiB). */
  stderrLimit?: number;
  /**
   * The OS sandbox for stdio servers (docs/mcp-sandbox.md). Without it servers run as our user,
   * unsandboxed (tests of the supervision itself); the app and the CLI always give it.
   */
  sandbox?: HubSandbox;
  /** For tests: jitter source (default Math.random) and clock (default Date.now). */
  random?: () => number;
  now?: () => number;
}

export interface HubSandbox {
  settings: SandboxSettings;
  /** Where no sandbox can be made: run unsandboxed (the owner consented, or --allow-unsandboxed) instead of refusing. */
  allowUnsandboxed?: boolean;
  /** For tests: what the machine offers (default: probed once). */
  support?: SandboxSupport;
}

export interface McpHub extends McpPort {
  /** Starts a server now (if not running) and waits until it is ready; resets an open circuit. */
  connect(server: string, opts?: Pick<CallOptions, 'signal'>): Promise<void>;
  /** Stops a server gracefully; a later call starts it again. */
  disconnect(server: string): Promise<void>;
  /** A snapshot of one server: state, pid, restarts, last error, recent stderr. */
  status(server: string): McpServerStatus;
  /** Snapshots of every configured server. */
  statuses(): McpServerStatus[];
  /** The pid of a server's running process, if it is running (diagnostics, tests). */
  pid(server: string): number | undefined;
}

export function createMcpHub(options: McpHubOptions): McpHub {
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 30_000;
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const policy: RestartPolicy = { ...DEFAULT_RESTART_POLICY, ...options.restart };
  const redact = options.redact ?? ((text: string) => text);
  const supervisors = new Map<string, ServerSupervisor>();
  const launcher = options.sandbox ? createSandboxLauncher(options.sandbox.settings) : undefined;
  let closed = false;

  function config(name: string): McpServerConfig {
    const found = Object.hasOwn(options.servers, name) ? options.servers[name] : undefined;
    if (!found) {
      const known = Object.keys(options.servers).join(', ') || 'none';
      throw new McpServerError(name, 'unknown_server', redact(`MCP server "${name}" is not configured (configured: ${known}).`));
    }
    return found;
  }

  function supervisor(name: string): ServerSupervisor {
    const existing = supervisors.get(name);
    if (existing) return existing;
    const cfg = config(name);
    if ('url' in cfg && !options.httpTransport) {
      throw new McpServerError(name, 'unsupported', `MCP server "${name}": remote (url) servers are not supported yet`);
    }
    if (closed) throw new McpServerError(name, 'closed', `MCP server "${name}": the MCP connections were closed.`);
    const created = new ServerSupervisor({
      server: name,
      transport: 'url' in cfg ? 'http' : 'stdio',
      ...('url' in cfg ? {} : { program: cfg.command }),
      launch: 'url' in cfg ? (o) => launchHttp(name, cfg, o) : (o) => launchStdio(name, cfg, o),
      policy,
      startTimeoutMs,
      tokenRefreshMarginMs: options.tokenRefreshMarginMs ?? 60_000,
      stderrLimit: options.stderrLimit ?? DEFAULT_STDERR_LIMIT,
      now: options.now ?? Date.now,
      random: options.random ?? Math.random,
      redact,
      emit: (event) => {
        try {
          options.onEvent?.(event);
        } catch {
          // a listener's failure must not break supervision
        }
      },
    });
    supervisors.set(name, created);
    return created;
  }

  async function launchStdio(name: string, cfg: StdioServerConfig, launch: LaunchOptions): Promise<Launched> {
    const cwd = path.resolve(options.cwd, cfg.cwd ?? '.');
    const isDir = await stat(cwd).then((s) => s.isDirectory(), () => false);
    if (!isDir) {
      throw new McpServerError(name, 'config', `MCP server "${name}": the folder "${cwd}" does not exist. Check mcpServers.${name}.cwd.`);
    }
    const token = cfg.auth ? await accessToken(name, launch) : undefined;
    const { env, secrets } = await serverEnv(name, cfg, options.resolveValue, token?.accessToken);
    // A command with a path in it ("./bin/server") is relative to the config; a bare name uses PATH.
    const command = /[\\/]/.test(cfg.command) ? path.resolve(options.cwd, cfg.command) : cfg.command;
    const spawned = await sandboxed(name, cfg, { command, args: cfg.args ?? [], env, cwd });
    const transport = new SupervisedStdioTransport({ command: spawned.command, args: spawned.args, env: spawned.env as Record<string, string>, cwd }, options.stop);
    if (spawned.cleanup) void transport.gone.then(spawned.cleanup).catch(() => undefined);
    return {
      transport,
      process: transport,
      command: cfg.command,
      secrets,
      ...(token ? { accessToken: token.accessToken } : {}),
      expiresAt: token?.expiresAt ?? null,
      ...(spawned.sandbox ? { sandbox: spawned.sandbox } : {}),
    };
  }

  interface Spawn {
    command: string;
    args: string[];
    env: Record<string, string | undefined>;
    sandbox?: LaunchSandbox;
    /** Removes what the sandbox made for this start; run once the process is gone. */
    cleanup?: () => Promise<void>;
  }

  /** The process to spawn: the server inside the sandbox, or (no sandbox here, and allowed) as it is. */
  async function sandboxed(name: string, cfg: StdioServerConfig, plain: Spawn & { cwd: string }): Promise<Spawn> {
    const sb = options.sandbox;
    if (!sb || !launcher) return plain;
    const support = sb.support ?? sandboxSupport();
    if (!support.available) {
      if (!sb.allowUnsandboxed) throw new McpServerError(name, 'config', SANDBOX_TEXTS.cliRefuses(name, support.reason));
      return { ...plain, sandbox: { on: false, reason: support.reason } };
    }
    // Inside the sandbox a missing program is only a shell's exit 127: say it as spawn would.
    if (!findProgram(plain.command, plain.cwd, plain.env.PATH)) {
      throw new McpServerError(name, 'not_found', redact(`MCP server "${name}": the command "${cfg.command}" was not found. Check mcpServers.${name}.command.`));
    }
    try {
      const launch = await launcher.launch({ server: name, config: cfg, command: plain.command, args: plain.args, cwd: plain.cwd, env: plain.env });
      return { command: launch.command, args: launch.args, env: launch.env, sandbox: { on: true, policy: launch.policy, workDir: launch.workDir }, cleanup: launch.cleanup };
    } catch (err) {
      throw new McpServerError(name, 'config', redact(`MCP server "${name}": could not set up its sandbox: ${errorText(err)}`), undefined, { cause: err });
    }
  }

  /** A token for a new process; never the one the process being replaced has. */
  async function accessToken(name: string, launch: LaunchOptions): Promise<{ accessToken: string; expiresAt: number | null }> {
    const source = options.tokenSourceFor?.(name);
    if (!source) {
      throw new McpServerError(name, 'auth', `MCP server "${name}" uses OAuth2 (mcpServers.${name}.auth), but no token source is available to get its access token.`);
    }
    try {
      let token = await source.getToken({ signal: launch.signal });
      if (launch.previousToken !== undefined && token.accessToken === launch.previousToken) {
        source.invalidate();
        token = await source.getToken({ signal: launch.signal });
      }
      return token;
    } catch (err) {
      throw new McpServerError(name, 'auth', redact(`MCP server "${name}": could not get an OAuth2 access token: ${errorText(err)}`), undefined, { cause: err });
    }
  }

  async function launchHttp(name: string, cfg: HttpServerConfig, _launch: LaunchOptions): Promise<Launched> {
    try {
      return { transport: await options.httpTransport!(name, cfg), secrets: [], expiresAt: null };
    } catch (err) {
      if (err instanceof McpServerError) throw err;
      throw new McpServerError(name, 'config', redact(`MCP server "${name}": could not set up the connection: ${errorText(err)}`), undefined, { cause: err });
    }
  }

  function timeoutFor(name: string, opts?: CallOptions): number {
    return opts?.timeoutMs ?? config(name).timeoutMs ?? defaultTimeoutMs;
  }

  function closedError(name: string): McpServerError {
    return new McpServerError(name, 'closed', `MCP server "${name}": the MCP connections were closed.`);
  }

  function status(server: string): McpServerStatus {
    const cfg = config(server);
    const sup = supervisors.get(server);
    if (sup) return sup.status();
    const transport = 'url' in cfg ? 'http' : 'stdio';
    return { server, transport, state: closed ? 'stopped' : 'idle', restarts: 0, recentCrashes: 0, stdoutNoiseLines: 0, stderr: '' };
  }

  return {
    async listTools(server, opts) {
      if (closed) throw closedError(server);
      return supervisor(server).listTools(timeoutFor(server, opts), opts?.signal);
    },

    async callTool(server, tool, args, opts): Promise<ToolCallResult> {
      if (closed) throw closedError(server);
      return supervisor(server).callTool(tool, args, timeoutFor(server, opts), opts?.signal);
    },

    async connect(server, opts) {
      if (closed) throw closedError(server);
      await supervisor(server).connect(opts?.signal);
    },

    async disconnect(server) {
      config(server);
      await supervisors.get(server)?.stop(false);
    },

    status,

    statuses() {
      return Object.keys(options.servers).map(status);
    },

    pid(server) {
      return supervisors.get(server)?.pid;
    },

    async close() {
      closed = true;
      await Promise.allSettled([...supervisors.values()].map((s) => s.stop(true)));
      launcher?.close();
    },
  };
}

export type { McpServerEvent, McpServerEventType, McpServerStatus, ServerState, StartReason } from './server-status';
export type { RestartPolicy } from './restart-policy';
export type { StopTimings } from './stdio-transport';
export type { SandboxSettings } from './sandbox/sandbox-launch';
export { sandboxSupport, type SandboxSupport } from './sandbox/sandbox-support';
export { McpServerError, type McpErrorKind, type ExitInfo } from './mcp-errors';
export { INHERITED_ENV } from './server-env';
export { killAllServerProcessesNow } from './stdio-transport';
