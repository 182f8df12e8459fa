// What the supervisor tells the outside about a server: its lifecycle events (for the UI, the
// CLI and logs) and a status snapshot (for the owner's settings screen and `flowbot mcp`).
import { formatConsentText, type ConsentText } from '../../shared/consent-texts';
import type { OwnerText } from '../../shared/owner-text';
import type { ExitInfo, McpErrorKind } from './mcp-errors';

export type ServerState =
  | 'idle' // never started
  | 'starting'
  | 'ready'
  | 'restarting' // crashed; waiting out the backoff before starting again
  | 'circuit_open' // crashed too often; calls fail until `connect`
  | 'failed' // could not be started (config, command, token); the next call tries again
  | 'stopped'; // disconnected or closed

export type StartReason = 'first_use' | 'connect' | 'restart' | 'token_refresh';

interface EventBase {
  server: string;
  at: number;
}
export type McpServerEvent = EventBase &
  (
    | { type: 'starting'; detail: { reason: StartReason } }
    | { type: 'ready'; detail: { reason: StartReason; pid?: number } }
    | { type: 'crashed'; detail: { pid?: number; exit?: ExitInfo; kind: McpErrorKind; message: string } }
    | { type: 'restarting'; detail: { delayMs: number; recentCrashes: number } }
    | { type: 'circuit_open'; detail: { recentCrashes: number; windowMs: number; message: string } }
    | { type: 'stopped'; detail: { reason: 'disconnect' | 'close' } }
    /** Something the owner should know that did not stop the server (stdout noise, a failed token refresh). */
    | { type: 'warning'; detail: { kind: McpErrorKind; message: string } }
  );
export type McpServerEventType = McpServerEvent['type'];

export interface McpServerStatus {
  server: string;
  transport: 'stdio' | 'http';
  state: ServerState;
  /** The running process (stdio servers). */
  pid?: number;
  /** Automatic restarts after crashes so far. */
  restarts: number;
  /** Crashes within the restart policy's window (the circuit opens at maxCrashes). */
  recentCrashes: number;
  readyAt?: number;
  lastExit?: ExitInfo;
  /** `message` is the technical account; `summary` says it in one plain sentence (no stack trace). */
  /** `summaryText`: the headline as catalogue keys, for the studio's language. */
  lastError?: { kind: McpErrorKind; message: string; summary: string; summaryText?: OwnerText[]; at: number };
  /** Lines the server printed on stdout that are not MCP. */
  stdoutNoiseLines: number;
  /** When the access token given to the running process expires (stdio servers with OAuth2). */
  tokenExpiresAt?: number;
  /** What the server printed on stderr recently (bounded, redacted), with our notes ("[flowbot] ..."). */
  stderr: string;
  /** What the running server said about itself at `initialize` (its own, unverified words). */
  serverInfo?: { name: string; version: string; title?: string };
  /** The server's `instructions` from `initialize`, if it sent any (untrusted text). */
  instructions?: string;
  /** Stdio servers: whether the latest process ran sandboxed, and what the sandbox refused it. */
  sandbox?: ServerSandboxStatus;
}

export interface ServerSandboxStatus {
  on: boolean;
  /** Why there is no sandbox (on: false): in English, and as catalogue keys for the studio's language. */
  reason?: string;
  reasonText?: ConsentText;
  /** The last failure was the sandbox refusing this (the card offers to grant it). */
  denied?: { action: 'read' | 'write'; path: string } | { action: 'reach'; host: string };
}

/** The status's sandbox part, with the denial read back from the failure headline's keys. */
export function sandboxStatus(sandbox: { on: true } | { on: false; reason: ConsentText }, summary: readonly OwnerText[] | undefined): ServerSandboxStatus {
  if (!sandbox.on) return { on: false, reason: formatConsentText(sandbox.reason, 'en'), reasonText: sandbox.reason };
  const t = summary?.find((x) => x.key.startsWith('serverFailure.sandbox'));
  if (!t) return { on: true };
  const p = t.params ?? {};
  if (t.key === 'serverFailure.sandboxReach') return { on: true, denied: { action: 'reach', host: String(p.host) } };
  return { on: true, denied: { action: t.key === 'serverFailure.sandboxRead' ? 'read' : 'write', path: String(p.path) } };
}
