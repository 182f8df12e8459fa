// What the studio's API handlers need from the MCP side (implemented by app/studio-mcp.ts).
// Its own module so the settings handlers, the service and the web host depend on this
// interface, not on each other.
import type { z } from 'zod';
import type { ApiOutput, CatalogServerSchema } from '../shared/api-contract';
import type { ServerStatus } from '../shared/api/settings';
import type { ToolReview } from '../runtime/governed-mcp';
import type { Workspace } from './workspace';
import type { SignInStatus } from '../shared/api/mcp-sign-in';

export type CatalogServer = z.infer<typeof CatalogServerSchema>;

/** The MCP side the service needs: the catalogue and the owner's approvals (app/studio-mcp.ts). */
export interface StudioMcpPort {
  catalog(): Promise<ApiOutput<'mcp.catalog'>>;
  approveServer(server: string, command: string): Promise<void>;
  approveTools(server: string, tools: ToolReview[]): Promise<string[]>;
  /** The bot's workspace (app/studio-mcp.ts): the simulator and test cases run in it; without it they are not available. */
  workspace?(): Promise<Workspace>;
  /** Status and stderr of a server (the settings screen); absent where not available. */
  status?(server: string): Promise<ServerStatus>;
  connect?(server: string): Promise<ServerStatus>;
  /** Browser sign-in to remote servers (app/settings/sign-in-handlers.ts); absent where not available. */
  signInStatus?: McpSignInPort['signInStatus'];
  startSignIn?: McpSignInPort['startSignIn'];
  signOut?: McpSignInPort['signOut'];
  /** Follows a change of the active bot now. */
  sync?(): Promise<void>;
}

/** The sign-in side of the active bot's MCP servers (app/studio-mcp.ts). */
export interface McpSignInPort {
  signInStatus(server: string): Promise<SignInStatus>;
  /** Starts a sign-in: the page to send the owner to, and its outcome (the status once the browser came back). */
  startSignIn(server: string): Promise<{ authorizationUrl: string; finished: Promise<SignInStatus> }>;
  signOut(server: string): Promise<SignInStatus>;
}
