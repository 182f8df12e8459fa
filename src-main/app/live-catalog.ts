// What a flow's servers really offer right now, with each tool's approval status and input
// schema: the catalogue a flow is validated against right before it runs (CLI chat and test
// cases, the simulator, WhatsApp, `flowbot validate --config`).
// Consent follows the workspace's mode: the CLI takes its config file as the owner's approval;
// in the app a server the owner has not approved is reported, never started.
import type { Flow } from '../shared/flow';
import type { WorkspaceConfig } from '../shared/workspace-config';
import { validateFlow } from '../core/validate';
import type { CatalogEntry } from '../core/validate/graph';
import { ConsentRequiredError, type GovernedMcp } from '../runtime/governed-mcp';

export interface LiveCatalog {
  catalog: Record<string, CatalogEntry[]>;
  /** One sentence per server that cannot be used: not approved, or failed to start or list. */
  problems: string[];
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
  const problems: string[] = [];
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
      if (error instanceof ConsentRequiredError) {
        problems.push(
          error.reason === 'new'
            ? `The MCP server "${server}" needs your approval before it starts. It would run: ${error.description}. Approve it in Settings › MCP servers (or in the panel of a step that uses it).`
            : `The MCP server "${server}" changed what it runs since you approved it, so it does not start until you approve it again. It would now run: ${error.description}.`,
        );
      } else {
        problems.push(error instanceof Error ? error.message : String(error)); // names the server and the cause
      }
    }
  }
  return { catalog, problems };
}

/**
 * Why a flow may not talk to customers now, one sentence each: servers that cannot be used,
 * then the validator's errors against what they offer (a tool changed since approval, ...).
 * Empty: it may run.
 */
export async function runBlockers(flow: Flow, ws: { config: WorkspaceConfig; mcp: GovernedMcp }): Promise<string[]> {
  const live = await liveCatalog(flow, Object.keys(ws.config.mcpServers), ws.mcp);
  const errors = validateFlow(flow, { config: ws.config, catalog: live.catalog })
    .filter((p) => p.severity === 'error')
    .map((p) => p.message);
  return [...live.problems, ...errors];
}
