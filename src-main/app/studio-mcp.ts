// The MCP side of the studio: the tool catalogue the editor shows, and the owner's approvals
// (the exact command line of a server, tool definitions). It runs the bot's workspace in
// "ask" mode: nothing starts until the owner approved what it runs.
import type { ApiOutput } from '../shared/api-contract';
import type { Storage } from './storage';
import type { ServerStatus } from '../shared/api/settings';
import type { SignInStatus } from '../shared/api/mcp-sign-in';
import type { WorkspaceConfig } from '../shared/workspace-config';
import type { OwnerText } from '../shared/owner-text';
import type { SecretsPort } from '../runtime/ports';
import type { ToolReview } from '../runtime/governed-mcp';
import { sandboxSupport, type McpServerEvent } from '../adapters/mcp/mcp-hub';
import { sandboxStatus } from '../adapters/mcp/server-status';
import type { CatalogServer } from './studio-mcp-port';
import { openWorkspace, type Workspace } from './workspace';

export interface StudioMcp {
  catalog(): Promise<ApiOutput<'mcp.catalog'>>;
  /** `command` is what the owner was shown; a config changed since is refused. */
  approveServer(server: string, command: string): Promise<void>;
  /** Pins exactly the definitions the owner reviewed (ToolReviewMismatchError when the server now lists others). */
  approveTools(server: string, tools: ToolReview[]): Promise<string[]>;
  /**
   * The bot's workspace for the current settings (its MCP servers in "ask" mode, its model; a
   * new one after a settings change): the simulator and test cases run conversations on it, so
   * they use the same server processes and the owner's approvals.
   */
  workspace(): Promise<Workspace>;
  /** A server's consent, state and recent stderr; never starts it. */
  status(server: string): Promise<ServerStatus>;
  /** Starts an approved server now (resets an open circuit); a failed start shows in the status. */
  connect(server: string): Promise<ServerStatus>;
  /** Browser sign-in of a remote server (adapters/oauth/mcp-sign-in.ts); a sign-in or sign-out restarts its connection. */
  signInStatus(server: string): Promise<SignInStatus>;
  startSignIn(server: string): Promise<{ authorizationUrl: string; finished: Promise<SignInStatus> }>;
  signOut(server: string): Promise<SignInStatus>;
  close(): Promise<void>;
}

export interface StudioMcpOptions {
  dataDir: string;
  /** Where the workspaces keep conversations, the audit log and approvals (default: the data folder's flowbot.db). */
  storage?: Storage;
  bot: string;
  config: () => WorkspaceConfig;
  /** Where {"secret"} values come from (default: the OS keychain). */
  secrets?: SecretsPort;
  onEvent?: (event: McpServerEvent) => void;
}

/** The studio's refusals about a server's consent, with their catalogue keys (common:ownerTexts.consent.*). */
export const CONSENT_API_TEXTS = {
  needsApproval: (server: string) => ({
    message: `MCP server "${server}" needs your approval before it starts: approve what it runs on its card first.`,
    text: { key: 'consent.needsApproval', params: { server } },
  }),
  changed: (server: string) => ({
    message: `MCP server "${server}" changed what it runs since its card was shown, so it is not what you approved: read its card again, then approve.`,
    text: { key: 'consent.changed', params: { server } },
  }),
} as const;

export class ConsentMismatchError extends Error {
  override readonly name = 'ConsentMismatchError';
  readonly text: OwnerText;
  constructor(said: { message: string; text: OwnerText }) {
    super(said.message);
    this.text = said.text;
  }
}

export function createStudioMcp(options: StudioMcpOptions): StudioMcp {
  let current: { key: string; workspace: Promise<Workspace> } | undefined;

  /** One workspace per config: a settings change closes the old servers and starts afresh. */
  async function workspace(): Promise<Workspace> {
    const config = options.config();
    const key = JSON.stringify(config);
    if (current?.key !== key) {
      const previous = current;
      current = {
        key,
        workspace: openWorkspace({
          bot: options.bot,
          config,
          dataDir: options.dataDir,
          ...(options.storage ? { storage: options.storage } : {}),
          consent: 'ask',
          ...(options.secrets ? { secrets: options.secrets } : {}),
          ...(options.onEvent ? { onMcpEvent: options.onEvent } : {}),
        }),
      };
      // A failed open is forgotten (the next call tries again), unless a newer one replaced it meanwhile.
      const opening = current.workspace;
      opening.catch(() => {
        if (current?.workspace === opening) current = undefined;
      });
      void previous?.workspace.then((ws) => ws.close(), () => undefined);
    }
    return current.workspace;
  }

  async function serverEntry(ws: Workspace, name: string): Promise<CatalogServer> {
    const consent = await ws.mcp.consent(name);
    if (consent.state !== 'approved') {
      return { name, status: 'consent_required', command: consent.description, commandText: consent.text, consent: consent.state, tools: [] };
    }
    try {
      // One listing: the statuses, hashes and schemas the owner sees all describe the same definitions.
      const catalog = await ws.mcp.catalog(name);
      const schemaOf = (tool: string) => catalog.definitions.get(tool)?.inputSchema ?? {};
      const tools = catalog.tools.map((t) => ({
        name: t.name,
        ...(t.title ? { title: t.title } : {}),
        ...(t.description ? { description: t.description } : {}),
        inputSchema: schemaOf(t.name),
        suggestedClass: t.suggestedClass,
        effectiveClass: t.effectiveClass,
        status: t.status,
        flags: t.flags,
        definitionHash: t.definitionHash,
      }));
      // A server's own words (titles, descriptions, schemas) may quote the secrets it was given:
      // masked like its stderr and instructions, for they go to the browser.
      return { name, status: 'ok', command: catalog.command, commandText: catalog.commandText, consent: 'approved', tools: ws.redactor.redactValue(tools) };
    } catch (error) {
      return { name, status: 'error', error: ws.redactor.redact((error as Error).message), command: consent.description, commandText: consent.text, consent: consent.state, tools: [] };
    }
  }

  async function statusOf(ws: Workspace, server: string): Promise<ServerStatus> {
    const consent = await ws.mcp.consent(server);
    const { tokenExpiresAt: _token, ...status } = ws.hub.status(server);
    // Before any start the card still says whether this machine can sandbox the server.
    const support = sandboxSupport();
    const sandbox = status.sandbox ?? (status.transport === 'stdio' ? sandboxStatus(support.available ? { on: true } : { on: false, reason: support.reason }, undefined) : undefined);
    return { ...status, ...(sandbox ? { sandbox } : {}), consent: consent.state, command: consent.description, commandText: consent.text };
  }

  return {
    async status(server) {
      return statusOf(await workspace(), server);
    },
    async connect(server) {
      const ws = await workspace();
      const consent = await ws.mcp.consent(server);
      if (consent.state !== 'approved') {
        throw new ConsentMismatchError(CONSENT_API_TEXTS.needsApproval(server));
      }
      // The failure (with the server's stderr) is part of the status the owner sees.
      await ws.hub.connect(server).catch(() => undefined);
      return statusOf(ws, server);
    },
    async catalog() {
      const ws = await workspace();
      const servers = await Promise.all(Object.keys(ws.config.mcpServers).map((name) => serverEntry(ws, name)));
      return { servers };
    },
    async approveServer(server, command) {
      const ws = await workspace();
      const consent = await ws.mcp.consent(server);
      if (consent.description !== command) {
        throw new ConsentMismatchError(CONSENT_API_TEXTS.changed(server));
      }
      await ws.mcp.approveServer(server);
    },
    async approveTools(server, tools) {
      return (await workspace()).mcp.approveTools(server, tools);
    },
    async signInStatus(server) {
      return (await workspace()).signIn.status(server);
    },
    async startSignIn(server) {
      const started = await (await workspace()).signIn.startSignIn(server);
      return { authorizationUrl: started.authorizationUrl, finished: started.finished };
    },
    async signOut(server) {
      return (await workspace()).signIn.signOut(server);
    },
    workspace,
    async close() {
      const ws = await current?.workspace.catch(() => undefined);
      current = undefined;
      await ws?.close();
    },
  };
}
