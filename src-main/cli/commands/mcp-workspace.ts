// What the mcp commands share: the config with the named server, and a workspace opened for
// them (without the model) that is closed on exit or on a signal.
import type { WorkspaceConfig } from '../../shared/workspace-config';
import { InputError } from '../../app/input-error';
import { loadConfig } from '../../app/load-config';
import { installShutdownHooks } from '../../app/shutdown';
import { DEFAULT_BOT, openWorkspace, type Workspace } from '../../app/workspace';
import { UsageError, botOf, dataDirOf, sandboxOf } from '../usage';

export function loadFor(configPath: string | undefined, only: string | undefined): { config: WorkspaceConfig; servers: string[] } {
  if (!configPath) throw new UsageError('mcp needs --config WS (the workspace config with the MCP servers)');
  const config = loadConfig(configPath);
  const names = Object.keys(config.mcpServers);
  if (only !== undefined && !names.includes(only)) {
    throw new InputError(`There is no MCP server called "${only}" in ${configPath} (configured: ${names.join(', ') || 'none'}).`);
  }
  return { config, servers: only !== undefined ? [only] : names };
}

export async function withWorkspace(
  config: WorkspaceConfig,
  values: { config?: string | undefined; bot?: string | boolean | undefined; 'data-dir'?: string | boolean | undefined; 'allow-unsandboxed'?: string | boolean | undefined },
  work: (ws: Workspace) => Promise<number>,
): Promise<number> {
  const bot = botOf(values);
  // No model is needed to list tools: the workspace is opened without the LLM part.
  const workspace = await openWorkspace({
    config: { ...config, llm: undefined },
    bot: bot ?? DEFAULT_BOT,
    ...(values.config ? { configPath: values.config } : {}),
    dataDir: dataDirOf(values),
    ...sandboxOf(values),
  });
  // SIGINT/SIGTERM/SIGHUP: stop the MCP servers gracefully, then exit 130/143/129.
  const removeShutdownHooks = installShutdownHooks([workspace]);
  try {
    return await work(workspace);
  } finally {
    removeShutdownHooks();
    await workspace.close();
  }
}
