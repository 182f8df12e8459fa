// One MCP session with one server process (or one HTTP connection): the SDK client, the
// calls in flight on it, and its cached tool list. A supervisor replaces it when it is lost.
import type { SandboxPolicy } from '../../core/mcp-sandbox';
import type { ConsentText } from '../../shared/consent-texts';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { ToolCallResult, ToolDefinition } from '../../runtime/ports';
import { createLinearAjv } from '../../runtime/linear-regexp';
import type { ExitInfo } from './mcp-errors';
import { StdoutNoiseError, type SupervisedStdioTransport } from './stdio-transport';

/** A transport ready to connect, with what the supervisor needs to know about it. */
export interface Launched {
  transport: Transport;
  /** For stdio servers: the process behind the transport. */
  process?: SupervisedStdioTransport;
  /** The command as configured, for messages. */
  command?: string;
  /** Values (resolved secrets, the access token) to mask in everything shown about this server. */
  secrets: string[];
  /** The OAuth2 access token the process was started with (stdio servers with `auth`). */
  accessToken?: string;
  /** When that token expires (ms since the epoch); the supervisor replaces the process before. */
  expiresAt: number | null;
  /** Stdio servers: the sandbox the process runs in, or why it runs without one. */
  sandbox?: LaunchSandbox;
}

export type LaunchSandbox = { on: true; policy: SandboxPolicy; workDir: string } | { on: false; reason: ConsentText };

export interface ConnectionEvents {
  /** The transport closed without us closing it: the process exited or the connection dropped. */
  onLost(conn: ServerConnection): void;
  /** The server printed a line on stdout that is not MCP (the connection keeps working). */
  onNoise(conn: ServerConnection, error: StdoutNoiseError): void;
}

// The SDK checks a tool's result against the server's own outputSchema: its patterns run in
// linear time too (a server could otherwise freeze the studio with its own schema and result).
const outputValidator = new AjvJsonSchemaValidator(createLinearAjv({ strict: false, allowMatchingProperties: true, validateSchema: false, validateFormats: false, allErrors: true }));

export class ServerConnection {
  readonly client = new Client({ name: 'flowbot-studio', version: '0.1.0' }, { jsonSchemaValidator: outputValidator });
  /** The cached tools/list result; dropped on notifications/tools/list_changed. */
  tools: Promise<ToolDefinition[]> | undefined;
  /** True once `initialize` completed. */
  ready = false;
  /** True once we started closing it (a close we asked for is not a crash). */
  retiring = false;
  /** True once the transport closed. */
  lost = false;
  /** Non-MCP lines seen on stdout. */
  noiseLines = 0;
  firstNoise: StdoutNoiseError | undefined;
  /** An OAuth failure the transport reported (the SDK then only says the connection closed). */
  authError: Error | undefined;
  private inFlight = 0;
  /** The calls in flight, so a stop can cancel them (notifications/cancelled) before closing stdin. */
  private readonly calls = new Set<AbortController>();
  private idleWaiters: (() => void)[] = [];
  private closing: Promise<void> | undefined;
  private markLost!: () => void;
  /** Resolves when the transport has closed. */
  readonly whenLost = new Promise<void>((resolve) => (this.markLost = resolve));

  constructor(
    readonly launched: Launched,
    /** Where this process's stderr starts in the server's stderr buffer. */
    public stderrMark: number,
    events: ConnectionEvents,
  ) {
    this.client.onclose = () => {
      this.lost = true;
      this.markLost();
      events.onLost(this);
    };
    this.client.onerror = (error) => {
      this.authError ??= findAuthError(error);
      if (!(error instanceof StdoutNoiseError)) return;
      this.noiseLines++;
      this.firstNoise ??= error;
      events.onNoise(this, error);
    };
    this.client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
      this.tools = undefined;
    });
  }

  get pid(): number | undefined {
    return this.launched.process?.spawnedPid;
  }

  get exit(): ExitInfo | undefined {
    return this.launched.process?.exit;
  }

  /** Usable for new calls. */
  get live(): boolean {
    return this.ready && !this.lost && !this.retiring && this.exit === undefined;
  }

  /** The process has exited, but the transport has not reported the close yet. */
  get ending(): boolean {
    return this.ready && !this.lost && !this.retiring && this.exit !== undefined;
  }

  /** Spawns the process (or opens the connection) and runs `initialize`. */
  async open(startTimeoutMs: number): Promise<void> {
    await this.client.connect(this.launched.transport, { timeout: startTimeoutMs });
    this.ready = true;
  }

  /** Runs a request on this connection, counted as in flight. */
  async track<T>(request: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await request();
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /** Resolves once no request is in flight. */
  whenIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  listTools(timeoutMs: number): Promise<ToolDefinition[]> {
    // Shared by concurrent callers, so it runs without any one caller's signal.
    const tools = (this.tools ??= this.track(() => this.fetchTools(timeoutMs)));
    tools.catch(() => {
      if (this.tools === tools) this.tools = undefined;
    });
    return tools;
  }

  private async fetchTools(timeoutMs: number): Promise<ToolDefinition[]> {
    const out: ToolDefinition[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.client.listTools(cursor ? { cursor } : undefined, { timeout: timeoutMs });
      for (const t of page.tools) out.push(toDefinition(t));
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  callTool(tool: string, args: Record<string, unknown>, timeoutMs: number, signal?: AbortSignal): Promise<ToolCallResult> {
    return this.track(async () => {
      // A per-call controller only when the caller can cancel: the SDK never removes its abort
      // listener from the signal it gets, and a controller per call costs ~5 µs (bench/mcp).
      // Without one, a timeout still sends notifications/cancelled (the SDK does that).
      const abort = signal ? new AbortController() : undefined;
      const onAbort = () => abort?.abort(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) onAbort();
      if (abort) this.calls.add(abort);
      try {
        const options = abort ? { timeout: timeoutMs, signal: abort.signal } : { timeout: timeoutMs };
        const result = await this.client.callTool({ name: tool, arguments: args }, undefined, options);
        const content = Array.isArray(result.content) ? (result.content as unknown[]) : [];
        const text = content
          .filter((c): c is { type: 'text'; text: string } => (c as { type?: unknown }).type === 'text')
          .map((c) => c.text)
          .join('\n');
        const structured = result.structuredContent as Record<string, unknown> | undefined;
        return { isError: result.isError === true, content, ...(structured ? { structuredContent: structured } : {}), text };
      } finally {
        if (abort) this.calls.delete(abort);
        signal?.removeEventListener('abort', onAbort);
      }
    });
  }

  /** Closes the session; for stdio, stops the process gracefully and waits until it is gone. */
  close(): Promise<void> {
    this.retiring = true;
    this.closing ??= (async () => {
      // Tell the server to stop working on them, so it can exit as soon as stdin closes.
      for (const call of this.calls) call.abort(new McpError(ErrorCode.ConnectionClosed, 'the client is stopping the server'));
      await this.client.close().catch(() => undefined);
      // Client.close() may not have reached the process (never connected): stop it here too.
      await this.launched.process?.close().catch(() => undefined);
    })();
    return this.closing;
  }
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

const AUTH_ERRORS = new Set(['OAuthTokenError', 'SignInRequiredError']);

/** The OAuth error (a token, or a sign-in needed) behind a transport error, if any (matched by name: no import cycle). */
export function findAuthError(error: unknown): Error | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (AUTH_ERRORS.has(e.name)) return e;
  }
  return undefined;
}
