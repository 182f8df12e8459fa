// What the MCP servers a flow uses really offer, with each tool's approval status: the catalogue
// a flow is validated against right before it runs (chat, test cases).
import type { Flow } from '../shared/flow';
import type { CatalogEntry } from '../core/validate/graph';
import type { GovernedMcp } from '../runtime/governed-mcp';

/** Starts the servers the flow uses and lists their tools; a server unknown to the config is left to the validator. */
export async function liveCatalog(
  flow: Flow,
  configured: string[],
  mcp: GovernedMcp,
): Promise<{ ok: true; catalog: Record<string, CatalogEntry[]> } | { ok: false; error: string }> {
  const servers = new Set<string>();
  for (const node of flow.nodes) {
    if (node.type === 'tool') servers.add(node.data.server);
    if (node.type === 'llm') for (const t of node.data.tools) servers.add(t.server);
  }
  const catalog: Record<string, CatalogEntry[]> = {};
  for (const server of servers) {
    if (!configured.includes(server)) continue; // reported by the validator as unknown
    try {
      catalog[server] = (await mcp.catalog(server)).tools.map((t) => ({ name: t.name, status: t.status, ...(t.changes ? { changes: t.changes } : {}) }));
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
  }
  return { ok: true, catalog };
}
