// The one error type every MCP failure is reported with: it names the server, says what went
// wrong in words a business owner can act on, and carries a machine-readable kind.
import type { OwnerText } from '../../shared/owner-text';

export type McpErrorKind =
  | 'unknown_server' // no such name in mcpServers
  | 'unsupported' // a url (HTTP) server while no HTTP transport is available
  | 'config' // a value or cwd in the server's config could not be used
  | 'auth' // no OAuth2 access token could be obtained for the server
  | 'sign_in' // a remote server needs the owner to sign in (again) with the browser
  | 'not_found' // the command could not be spawned
  | 'exited' // the process ended (or the connection was lost), during start or while a call ran
  | 'start_timeout' // the server did not complete `initialize` in time
  | 'timeout' // a request did not answer in time (notifications/cancelled was sent)
  | 'cancelled' // the caller's AbortSignal fired
  | 'circuit_open' // the server kept crashing and is no longer restarted until `connect`
  | 'protocol' // the server does not speak MCP properly, or reported an error
  | 'closed'; // the MCP connections were closed, or the server was disconnected

/** How a server process ended. */
export interface ExitInfo {
  code: number | null;
  signal: string | null;
}

export class McpServerError extends Error {
  override name = 'McpServerError';
  /** How the process ended, for kinds 'exited' and 'circuit_open'. */
  readonly exit?: ExitInfo;
  /** The owner's headline (common:ownerTexts.serverFailure.*), as on the server's card: set by the supervisor that saw the failure. */
  summaryText?: OwnerText[];

  constructor(
    readonly server: string,
    readonly kind: McpErrorKind,
    /** Already redacted. */
    message: string,
    /** The tail of the server's stderr (redacted), when it helps explain the failure. */
    readonly stderr?: string,
    options?: { cause?: unknown; exit?: ExitInfo },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    if (options?.exit) this.exit = options.exit;
  }
}

/** " with exit code 3", " (killed by SIGKILL)" or "". */
export function exitNote(exit: ExitInfo | undefined): string {
  if (exit?.code != null) return ` with exit code ${exit.code}`;
  if (exit?.signal) return ` (killed by ${exit.signal})`;
  return '';
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
