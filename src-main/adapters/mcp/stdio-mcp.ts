// McpPort over the official SDK: one child process per configured stdio server, started
// lazily on first use, with a minimal environment and errors a business owner can act on.
import type { ChildProcess } from 'node:child_process';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { DEFAULT_INHERITED_ENV_VARS, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ErrorCode, McpError, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { CallOptions, McpPort, ToolCallResult, ToolDefinition, ValueResolver } from '../../runtime/ports';
import type { ConfigValue, McpServerConfig, StdioServerConfig } from '../../shared/workspace-config';

export type McpErrorKind =
  | 'unknown_server' // no such name in mcpServers
  | 'unsupported' // a url (HTTP) server: not implemented yet
  | 'config' // a value or cwd in the server's config could not be used
  | 'not_found' // the command could not be spawned
  | 'exited' // the process ended, during start or while a call was running
  | 'start_timeout' // the server did not complete `initialize` in time
  | 'timeout' // a request did not answer in time (notifications/cancelled was sent)
  | 'cancelled' // the caller's AbortSignal fired
  | 'protocol' // anything else the SDK or the server reported
  | 'closed'; // the port was closed

export class McpServerError extends Error {
  override name = 'McpServerError';
  constructor(
    readonly server: string,
    readonly kind: McpErrorKind,
    message: string,
    /** The tail of the server's stderr, when it helps explain the failure. */
    readonly stderr?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface StdioMcpOptions {
  servers: Record<string, McpServerConfig>;
  /** Resolves a config value ({secret}, {env} or a plain string). */
  resolveValue: ValueResolver;
  /** The config file's folder: relative command paths and cwd resolve against it. */
  cwd: string;
  /** Per-call timeout when neither the call nor the server sets one (default 30 s). */
  defaultTimeoutMs?: number;
  /** How long a server may take to start and answer `initialize` (default 30 s). */
  startTimeoutMs?: number;
}

export interface StdioMcp extends McpPort {
  /** The pid of a server's running process, if it is running (diagnostics, tests). */
  pid(server: string): number | undefined;
}

/** The only variables a server inherits from us; everything else must be declared in its env. */
export const INHERITED_ENV = [
  'PATH', 'HOME', 'USER', 'LANG', 'LC_ALL', 'TMPDIR', 'TEMP', 'TMP',
  'SystemRoot', 'ComSpec', 'PATHEXT', 'APPDATA', 'LOCALAPPDATA',
] as const;

const STDERR_KEEP = 8 * 1024;
const STDERR_SHOW = 1024;
const EXIT_WAIT_MS = 5_000;

/** The SDK keeps its child process private; this remembers how the child ended, for messages. */
class WatchedTransport extends StdioClientTransport {
  exitCode: number | null = null;
  exitSignal: string | null = null;
  private settle!: () => void;
  /** Resolves when the process is gone (or never started). */
  readonly gone = new Promise<void>((resolve) => (this.settle = resolve));

  override async start(): Promise<void> {
    try {
      await super.start();
    } catch (err) {
      this.settle();
      throw err;
    }
    const child = (this as unknown as { _process?: ChildProcess })._process;
    if (!child) return this.settle();
    child.once('exit', (code, signal) => {
      this.exitCode = code;
      this.exitSignal = signal;
      this.settle();
    });
  }
}

interface Connection {
  name: string;
  client: Client;
  transport?: WatchedTransport;
  stderr: string;
  ready: Promise<void>;
  dead: boolean;
  tools?: Promise<ToolDefinition[]>;
}

export function createStdioMcp(options: StdioMcpOptions): StdioMcp {
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 30_000;
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const live = new Map<string, Connection>();
  /** Every transport not yet known to be gone, so close() can wait for each process to end. */
  const running = new Set<WatchedTransport>();
  let closed = false;

  function stdioConfig(name: string): StdioServerConfig {
    const config = Object.hasOwn(options.servers, name) ? options.servers[name] : undefined;
    if (!config) {
      const known = Object.keys(options.servers).join(', ') || 'none';
      throw new McpServerError(name, 'unknown_server', `MCP server "${name}" is not configured (configured: ${known}).`);
    }
    if ('url' in config) {
      throw new McpServerError(name, 'unsupported', `MCP server "${name}": remote (url) servers are not supported yet`);
    }
    return config;
  }

  function connection(name: string): Connection {
    if (closed) throw new McpServerError(name, 'closed', `MCP server "${name}": the MCP connections were closed.`);
    const config = stdioConfig(name);
    const existing = live.get(name);
    if (existing && !existing.dead) return existing;
    // Created synchronously and cached at once, so concurrent first calls share one start.
    const conn: Connection = {
      name,
      client: new Client({ name: 'flowbot-studio', version: '0.1.0' }),
      stderr: '',
      ready: Promise.resolve(),
      dead: false,
    };
    // Marking the connection dead is all a crash needs: the next call starts a new process.
    // (A supervisor with restart/backoff can hook in here.)
    const forget = () => {
      conn.dead = true;
      if (live.get(name) === conn) live.delete(name);
    };
    conn.client.onclose = forget;
    conn.client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
      conn.tools = undefined;
    });
    conn.ready = start(conn, config).catch((err: unknown) => {
      forget();
      throw startError(conn, config, err);
    });
    conn.ready.catch(() => {}); // a caller that gave up early must not leave it unhandled
    live.set(name, conn);
    return conn;
  }

  async function start(conn: Connection, config: StdioServerConfig): Promise<void> {
    const { name } = conn;
    const cwd = path.resolve(options.cwd, config.cwd ?? '.');
    const isDir = await stat(cwd).then((s) => s.isDirectory(), () => false);
    if (!isDir) {
      throw new McpServerError(name, 'config', `MCP server "${name}": the folder "${cwd}" does not exist. Check mcpServers.${name}.cwd.`);
    }
    const env = await serverEnv(name, config.env ?? {});
    if (closed) throw new McpServerError(name, 'closed', `MCP server "${name}": the MCP connections were closed.`);
    // A command with a path in it ("./bin/server") is relative to the config; a bare name uses PATH.
    const command = /[\\/]/.test(config.command) ? path.resolve(options.cwd, config.command) : config.command;
    // The SDK merges its own default environment under ours; `undefined` entries remove what
    // it would add beyond our list (spawn drops undefined values).
    const transport = new WatchedTransport({ command, args: config.args ?? [], env: env as Record<string, string>, cwd, stderr: 'pipe' });
    transport.stderr?.on('data', (chunk: Buffer) => {
      conn.stderr = (conn.stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
    });
    conn.transport = transport;
    running.add(transport);
    void transport.gone.then(() => running.delete(transport));
    try {
      await conn.client.connect(transport, { timeout: startTimeoutMs });
    } catch (err) {
      void conn.client.close(); // the SDK also does this; make sure a hung server is killed
      throw err;
    }
  }

  async function serverEnv(name: string, declared: Record<string, ConfigValue>): Promise<Record<string, string | undefined>> {
    const env: Record<string, string | undefined> = {};
    for (const key of INHERITED_ENV) {
      const value = process.env[key];
      if (value !== undefined && !value.startsWith('()')) env[key] = value; // no exported shell functions
    }
    for (const [key, value] of Object.entries(declared)) {
      try {
        env[key] = await options.resolveValue(value, { scope: name, field: `mcpServers.${name}.env.${key}` });
      } catch (err) {
        throw new McpServerError(name, 'config', `MCP server "${name}": ${message(err)}`, undefined, { cause: err });
      }
    }
    const windows = process.platform === 'win32';
    const keys = Object.keys(env).map((k) => (windows ? k.toUpperCase() : k));
    for (const key of DEFAULT_INHERITED_ENV_VARS) {
      if (!keys.includes(windows ? key.toUpperCase() : key)) env[key] = undefined;
    }
    return env;
  }

  function startError(conn: Connection, config: StdioServerConfig, err: unknown): McpServerError {
    const { name } = conn;
    if (err instanceof McpServerError) return err;
    if (closed) return new McpServerError(name, 'closed', `MCP server "${name}": the MCP connections were closed.`);
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT') {
      return new McpServerError(name, 'not_found', `MCP server "${name}": the command "${config.command}" was not found. Check mcpServers.${name}.command.`, undefined, { cause: err });
    }
    if (typeof code === 'string') {
      return new McpServerError(name, 'not_found', `MCP server "${name}": the command "${config.command}" could not be run (${code}). Check mcpServers.${name}.command.`, undefined, { cause: err });
    }
    if (err instanceof McpError && err.code === ErrorCode.RequestTimeout) {
      return withStderr(conn, 'start_timeout', `MCP server "${name}": the server did not finish starting within ${startTimeoutMs} ms.`, err);
    }
    if (conn.dead || (err instanceof McpError && err.code === ErrorCode.ConnectionClosed)) {
      return withStderr(conn, 'exited', `MCP server "${name}": the server exited during start${exitNote(conn)}.`, err);
    }
    return withStderr(conn, 'protocol', `MCP server "${name}": could not start: ${message(err)}`, err);
  }

  /** Waits for the server to be ready, giving up early (alone) if the caller's signal fires. */
  async function ready(name: string, what: string, signal?: AbortSignal): Promise<Connection> {
    const conn = connection(name);
    if (signal) await abortable(conn.ready, signal, () => cancelled(name, what));
    else await conn.ready;
    return conn;
  }

  function callError(conn: Connection, what: string, err: unknown, timeoutMs: number, signal?: AbortSignal): McpServerError {
    const { name } = conn;
    if (err instanceof McpServerError) return err;
    if (signal?.aborted) return cancelled(name, what);
    if (closed) return new McpServerError(name, 'closed', `MCP server "${name}": the MCP connections were closed.`);
    if (conn.dead || (err instanceof McpError && err.code === ErrorCode.ConnectionClosed)) {
      return withStderr(conn, 'exited', `MCP server "${name}": the server exited${exitNote(conn)} while ${what} was running.`, err);
    }
    if (err instanceof McpError && err.code === ErrorCode.RequestTimeout) {
      return new McpServerError(name, 'timeout', `MCP server "${name}": ${what} did not answer within ${timeoutMs} ms`, undefined, { cause: err });
    }
    return new McpServerError(name, 'protocol', `MCP server "${name}": ${what} failed: ${message(err)}`, undefined, { cause: err });
  }

  function timeoutFor(name: string, opts?: CallOptions): number {
    return opts?.timeoutMs ?? stdioConfig(name).timeoutMs ?? defaultTimeoutMs;
  }

  async function listTools(server: string, opts?: CallOptions): Promise<ToolDefinition[]> {
    const what = 'the tool list';
    const conn = await ready(server, what, opts?.signal);
    const timeoutMs = timeoutFor(server, opts);
    // Shared by concurrent callers, so it runs without any one caller's signal.
    const tools = (conn.tools ??= fetchTools(conn, timeoutMs));
    tools.catch(() => {
      if (conn.tools === tools) conn.tools = undefined;
    });
    try {
      return await (opts?.signal ? abortable(tools, opts.signal, () => cancelled(server, what)) : tools);
    } catch (err) {
      throw callError(conn, what, err, timeoutMs, opts?.signal);
    }
  }

  async function fetchTools(conn: Connection, timeoutMs: number): Promise<ToolDefinition[]> {
    const out: ToolDefinition[] = [];
    let cursor: string | undefined;
    do {
      const page = await conn.client.listTools(cursor ? { cursor } : undefined, { timeout: timeoutMs });
      for (const t of page.tools) out.push(toDefinition(t));
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  async function callTool(server: string, tool: string, args: Record<string, unknown>, opts?: CallOptions): Promise<ToolCallResult> {
    const what = `tool "${tool}"`;
    const conn = await ready(server, what, opts?.signal);
    const timeoutMs = timeoutFor(server, opts);
    // A per-call controller: the SDK never removes its abort listener from the signal it gets.
    const abort = new AbortController();
    const onAbort = () => abort.abort(opts?.signal?.reason);
    opts?.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts?.signal?.aborted) onAbort();
    try {
      const result = await conn.client.callTool({ name: tool, arguments: args }, undefined, { timeout: timeoutMs, signal: abort.signal });
      const content = Array.isArray(result.content) ? (result.content as unknown[]) : [];
      const text = content
        .filter((c): c is { type: 'text'; text: string } => (c as { type?: unknown }).type === 'text')
        .map((c) => c.text)
        .join('\n');
      const structured = result.structuredContent as Record<string, unknown> | undefined;
      return { isError: result.isError === true, content, ...(structured ? { structuredContent: structured } : {}), text };
    } catch (err) {
      throw callError(conn, what, err, timeoutMs, opts?.signal);
    } finally {
      opts?.signal?.removeEventListener('abort', onAbort);
    }
  }

  async function close(): Promise<void> {
    closed = true;
    const conns = [...live.values()];
    live.clear();
    await Promise.allSettled(conns.map((c) => c.client.close()));
    // Client.close() stops waiting after a few seconds; wait for each process to really end.
    const transports = [...running];
    await Promise.allSettled(transports.map((t) => t.close()));
    await Promise.race([Promise.all(transports.map((t) => t.gone)), delay(EXIT_WAIT_MS)]);
  }

  return {
    listTools,
    callTool,
    close,
    pid: (server) => {
      const conn = live.get(server);
      return (conn && !conn.dead ? conn.transport?.pid : undefined) ?? undefined;
    },
  };
}

/** Only the fields of the port's ToolDefinition, exactly as the server sent them. */
function toDefinition(t: Record<string, unknown> & { name: string; inputSchema: Record<string, unknown> }): ToolDefinition {
  const def: ToolDefinition = { name: t.name, inputSchema: t.inputSchema };
  if (typeof t.title === 'string') def.title = t.title;
  if (typeof t.description === 'string') def.description = t.description;
  if (t.outputSchema) def.outputSchema = t.outputSchema as Record<string, unknown>;
  if (t.annotations) def.annotations = t.annotations as Record<string, unknown>;
  return def;
}

function withStderr(conn: Connection, kind: McpErrorKind, text: string, cause: unknown): McpServerError {
  const tail = conn.stderr.trim();
  const shown = tail.length > STDERR_SHOW ? `…${tail.slice(-STDERR_SHOW)}` : tail;
  const full = shown ? `${text} Its last output (stderr):\n${shown}` : text;
  return new McpServerError(conn.name, kind, full, tail || undefined, { cause });
}

function exitNote(conn: Connection): string {
  const t = conn.transport;
  if (t?.exitCode != null) return ` with exit code ${t.exitCode}`;
  if (t?.exitSignal) return ` (killed by ${t.exitSignal})`;
  return '';
}

function cancelled(server: string, what: string): McpServerError {
  return new McpServerError(server, 'cancelled', `MCP server "${server}": ${what} was cancelled`);
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal, error: () => Error): Promise<T> {
  if (signal.aborted) return Promise.reject(error());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(error());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
