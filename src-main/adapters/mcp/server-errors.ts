// Turns what went wrong with a server (a spawn error, an SDK error, an exit) into the
// McpServerError a business owner reads: what happened, in words, with the server's own last
// output, redacted.
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { McpServerError, errorText, exitNote, type McpErrorKind } from './mcp-errors';
import { findAuthError, type ServerConnection } from './server-connection';
import type { StderrBuffer } from './stderr-buffer';
import { NotSentError } from './stdio-transport';

/** How much stderr an error message quotes. */
const STDERR_SHOW = 1024;

/** A failure of `initialize`, remembering the connection it happened on. */
export class StartFailure extends Error {
  constructor(readonly conn: ServerConnection, override readonly cause: unknown) {
    super(errorText(cause));
  }
}

export interface ErrorContext {
  server: string;
  startTimeoutMs: number;
  stderr: StderrBuffer;
  redact(text: string): string;
  isClosed(): boolean;
}

export class ServerErrors {
  constructor(private readonly ctx: ErrorContext) {}

  /** Why a start failed. */
  start(conn: ServerConnection | undefined, thrown: unknown): McpServerError {
    const err = thrown instanceof StartFailure ? thrown.cause : thrown;
    conn ??= thrown instanceof StartFailure ? thrown.conn : undefined;
    const name = this.ctx.server;
    if (err instanceof McpServerError) return this.redacted(err);
    if (this.ctx.isClosed()) return this.closed();
    const auth = findAuthError(err) ?? conn?.authError;
    if (auth) return new McpServerError(name, authKind(auth), this.ctx.redact(auth.message), undefined, { cause: auth });
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    if (conn?.launched.process && conn.pid === undefined && typeof code === 'string') {
      const why = code === 'ENOENT' ? 'was not found' : `could not be run (${code})`;
      const message = `MCP server "${name}": the command "${conn.launched.command ?? ''}" ${why}. Check mcpServers.${name}.command.`;
      return new McpServerError(name, 'not_found', this.ctx.redact(message), undefined, { cause: err });
    }
    const ms = this.ctx.startTimeoutMs;
    if (err instanceof McpError && err.code === ErrorCode.RequestTimeout && !conn?.lost) {
      if (conn?.firstNoise) {
        return this.withStderr(conn, 'protocol',
          `MCP server "${name}" did not answer the MCP handshake within ${ms} ms; ${conn.firstNoise.message}. ` +
          `Check that mcpServers.${name}.command starts an MCP server over stdio (its logs must go to stderr).`, err);
      }
      return this.withStderr(conn, 'start_timeout', `MCP server "${name}": the server did not finish starting within ${ms} ms.`, err);
    }
    if (conn && (conn.lost || (err instanceof McpError && err.code === ErrorCode.ConnectionClosed))) return this.exited(conn, err, 'start');
    return this.withStderr(conn, 'protocol', `MCP server "${name}": could not start: ${errorText(err)}`, err);
  }

  /** Why a request (`what`: 'the tool list', 'tool "x"') failed. */
  call(conn: ServerConnection, what: string, err: unknown, timeoutMs: number, signal?: AbortSignal): McpServerError {
    const name = this.ctx.server;
    if (err instanceof McpServerError) return this.redacted(err);
    if (signal?.aborted) return this.cancelled(what);
    if (this.ctx.isClosed()) return this.closed();
    const auth = findAuthError(err) ?? conn.authError;
    if (auth) return new McpServerError(name, authKind(auth), this.ctx.redact(auth.message), undefined, { cause: auth });
    const closedErr = err instanceof McpError && err.code === ErrorCode.ConnectionClosed;
    const ended = conn.lost || closedErr || err instanceof NotSentError || conn.exit !== undefined;
    if (conn.retiring && ended) return this.disconnected(what, err);
    if (ended) return this.exited(conn, err, what);
    if (err instanceof McpError && err.code === ErrorCode.RequestTimeout) {
      return new McpServerError(name, 'timeout', `MCP server "${name}": ${what} did not answer within ${timeoutMs} ms`, undefined, { cause: err });
    }
    return new McpServerError(name, 'protocol', this.ctx.redact(`MCP server "${name}": ${what} failed: ${errorText(err)}`), undefined, { cause: err });
  }

  /** "the server exited during start with exit code 3." / "the server exited with exit code 7 while tool "x" was running." */
  exited(conn: ServerConnection, cause: unknown, during?: string): McpServerError {
    const note = exitNote(conn.exit);
    const while_ = during && during !== 'start' ? ` while ${during} was running` : '';
    const what = conn.launched.process
      ? during === 'start' ? `the server exited during start${note}` : `the server exited${note}${while_}`
      : `the connection to the server closed${during === 'start' ? ' during start' : while_}`;
    return this.withStderr(conn, 'exited', `MCP server "${this.ctx.server}": ${what}.`, cause);
  }

  cancelled(what: string): McpServerError {
    return new McpServerError(this.ctx.server, 'cancelled', `MCP server "${this.ctx.server}": ${what} was cancelled`);
  }

  closed(): McpServerError {
    return new McpServerError(this.ctx.server, 'closed', `MCP server "${this.ctx.server}": the MCP connections were closed.`);
  }

  disconnected(what?: string, cause?: unknown): McpServerError {
    const message = `MCP server "${this.ctx.server}" was disconnected${what ? ` while ${what} was running` : ''}.`;
    return new McpServerError(this.ctx.server, 'closed', message, undefined, cause === undefined ? undefined : { cause });
  }

  /** The same error with its message and stderr redacted. */
  redacted(err: McpServerError): McpServerError {
    const message = this.ctx.redact(err.message);
    const stderr = err.stderr === undefined ? undefined : this.ctx.redact(err.stderr);
    if (message === err.message && stderr === err.stderr) return err;
    return new McpServerError(err.server, err.kind, message, stderr, { cause: err.cause, ...(err.exit ? { exit: err.exit } : {}) });
  }

  private withStderr(conn: ServerConnection | undefined, kind: McpErrorKind, text: string, cause: unknown): McpServerError {
    const tail = conn ? this.ctx.stderr.tail(STDERR_SHOW, conn.stderrMark, this.ctx.redact) : '';
    const full = tail ? `${text} Its last output (stderr):\n${tail}` : text;
    const exit = conn?.exit;
    return new McpServerError(this.ctx.server, kind, this.ctx.redact(full), tail || undefined, { cause, ...(exit ? { exit } : {}) });
  }
}

/** 'sign_in' when the owner must sign in with the browser, 'auth' for a token that could not be had. */
function authKind(error: Error): McpErrorKind {
  return error.name === 'SignInRequiredError' ? 'sign_in' : 'auth';
}
