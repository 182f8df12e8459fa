// What a flow's servers really offer right now, with each tool's approval status and input
// schema: the catalogue a flow is validated against right before it runs (CLI chat and test
// cases, the simulator, WhatsApp, `flowbot validate --config`).
// Consent follows the workspace's mode: the CLI takes its config file as the owner's approval;
// in the app a server the owner has not approved is reported, never started.
import type { Flow } from '../shared/flow';
import type { OwnerText } from '../shared/owner-text';
import type { Problem } from '../shared/problem';
import type { RunBlocker } from '../shared/run-blocker';
import type { WorkspaceConfig } from '../shared/workspace-config';
import { validateFlow } from '../core/validate';
import type { CatalogEntry } from '../core/validate/graph';
import { McpServerError } from '../adapters/mcp/mcp-errors';
import { ConsentRequiredError, type GovernedMcp } from '../runtime/governed-mcp';

export interface LiveCatalog {
  catalog: Record<string, CatalogEntry[]>;
  /** One per server that cannot be used: not approved, or failed to start or list. */
  problems: RunBlocker[];
}

/** The MCP servers a flow's tool and AI steps use, in order of first use. */
export function serversUsedBy(flow: Flow): string[] {
  const servers = new Set<string>();
  for (const node of flow.nodes) {
    if (node.type === 'tool') servers.add(node.data.server);
    if (node.type === 'llm') for (const t of node.data.tools) servers.add(t.server);
  }
  return [...servers];
}

export async function liveCatalog(flow: Flow, configured: readonly string[], mcp: GovernedMcp): Promise<LiveCatalog> {
  const catalog: Record<string, CatalogEntry[]> = {};
  const problems: RunBlocker[] = [];
  for (const server of serversUsedBy(flow)) {
    if (!configured.includes(server)) continue; // the validator names unknown servers
    try {
      // One listing: each status and schema describe the same definition.
      const listed = await mcp.catalog(server);
      const schemaOf = (tool: string) => listed.definitions.get(tool)?.inputSchema;
      catalog[server] = listed.tools.map((t) => {
        const inputSchema = schemaOf(t.name);
        return { name: t.name, status: t.status, ...(t.changes ? { changes: t.changes } : {}), ...(inputSchema ? { inputSchema } : {}) };
      });
    } catch (error) {
      problems.push(serverBlocker(server, error));
    }
  }
  return { catalog, problems };
}

/** Why a flow's server cannot be used: it waits for the owner's approval, or failed to start or list. */
export function serverBlocker(server: string, error: unknown): RunBlocker {
  return error instanceof ConsentRequiredError ? awaitingConsent(error) : unusable(server, error);
}

function awaitingConsent({ server, reason, description, commandText }: ConsentRequiredError): RunBlocker {
  return {
    message:
      reason === 'new'
        ? `The MCP server "${server}" needs your approval before it starts. It would run: ${description}. Approve it in Settings › MCP servers (or in the panel of a step that uses it).`
        : `The MCP server "${server}" changed what it runs since you approved it, so it does not start until you approve it again. It would now run: ${description}.`,
    ownerTexts: [{ key: reason === 'new' ? 'blocker.needsApproval' : 'blocker.changed', params: { server, command: description } }],
    commandText,
  };
}

/** A server that failed to start or list: its own message (it names the server and the cause), and the card's headline. */
function unusable(server: string, error: unknown): RunBlocker {
  const message = error instanceof Error ? error.message : String(error);
  const cause: OwnerText[] = (error instanceof McpServerError && error.summaryText) || [{ key: 'serverFailure.asIs', params: { text: message } }];
  return { message, ownerTexts: [{ key: 'blocker.unusable', params: { server } }, ...cause] };
}

/** A validator finding as a reason not to run: its English message and its problem text. */
export const problemBlocker = ({ message, text }: Problem): RunBlocker => (text ? { message, text } : { message });

/**
 * Why a flow may not talk to customers now, one reason each: servers that cannot be used,
 * then the validator's errors against what they offer (a tool changed since approval, ...).
 * Empty: it may run.
 */
export async function runBlockers(flow: Flow, ws: { config: WorkspaceConfig; mcp: GovernedMcp }): Promise<RunBlocker[]> {
  const live = await liveCatalog(flow, Object.keys(ws.config.mcpServers), ws.mcp);
  const errors = validateFlow(flow, { config: ws.config, catalog: live.catalog })
    .filter((p) => p.severity === 'error')
    .map(problemBlocker);
  return [...live.problems, ...errors];
}
