// The MCP part of the settings: add, edit, rename and remove servers of the active bot, the
// owner's read/write class per tool, and each server's status with its recent stderr.
// Starting a server still needs the owner's consent to its exact command line (mcp.approveServer).
import { ApiCallError } from '../../shared/api-contract';
import type { McpServerConfig, WorkspaceConfig } from '../../shared/workspace-config';
import type { ApiHandlers } from '../../api/dispatcher';
import { secretAccount, secretAccountPrefix, parseSecretAccount } from '../../core/secret-account';
import { secretRefsOf } from '../../core/secret-refs';
import { consentFields } from '../../core/mcp-catalog';
import { sandboxSupport } from '../../adapters/mcp/mcp-hub';
import { readWorkspace, saveWorkspace, withKeychain, type SettingsAreaDeps } from './deps';
import { EXAMPLE_SHOP_SERVER, EXAMPLE_SHOP_TEXTS, exampleShopServer } from './example-shop';

type McpSettingsHandlers = Pick<
  ApiHandlers,
  'mcp.saveServer' | 'mcp.removeServer' | 'mcp.setToolClass' | 'mcp.serverStatus' | 'mcp.connect' | 'mcp.addExampleShop'
>;

export function createMcpSettingsHandlers(deps: SettingsAreaDeps): McpSettingsHandlers {
  const serverOf = (config: WorkspaceConfig, name: string): McpServerConfig => {
    const server = Object.hasOwn(config.mcpServers, name) ? config.mcpServers[name] : undefined;
    if (!server) {
      const known = Object.keys(config.mcpServers).join(', ') || 'none';
      throw new ApiCallError('NOT_FOUND', `There is no MCP server "${name}" in this bot's settings (servers: ${known}).`);
    }
    return server;
  };
  const statusPort = () => {
    const mcp = deps.mcp;
    if (!mcp?.status || !mcp.connect) throw new ApiCallError('CONFLICT', 'MCP server status is not available here.');
    return { status: mcp.status.bind(mcp), connect: mcp.connect.bind(mcp) };
  };

  /**
   * Moves a server's keychain secrets to its new name (secrets are stored per server). Only
   * when its config uses secrets: renaming a server without any needs no keychain.
   */
  const moveSecrets = async (from: string, to: string, config: WorkspaceConfig): Promise<void> => {
    if (!secretRefsOf(config).some((ref) => ref.scope === from)) return;
    const bot = deps.activeBot();
    const accounts = await withKeychain(() => deps.secrets.accounts(secretAccountPrefix(bot, from)), `The server "${from}" was not renamed`);
    for (const account of accounts) {
      const address = parseSecretAccount(account);
      if (!address) continue;
      const value = await withKeychain(() => deps.secrets.get(account));
      if (value === undefined) continue;
      await withKeychain(() => deps.secrets.set(secretAccount({ ...address, scope: to }), value));
      await withKeychain(() => deps.secrets.delete(account));
    }
  };

  return {
    'mcp.saveServer': async ({ name, server, previousName }) => {
      const config = readWorkspace(deps);
      const from = previousName ?? name;
      const existing = Object.hasOwn(config.mcpServers, from) ? config.mcpServers[from] : undefined;
      if (previousName !== undefined && !existing) serverOf(config, previousName);
      if (from !== name || previousName === undefined) {
        if (Object.hasOwn(config.mcpServers, name)) {
          throw new ApiCallError('CONFLICT', `There is already an MCP server named "${name}": choose another name, or edit that one.`);
        }
      }
      // The form does not edit the tool classes: keep the owner's decisions.
      const saved: McpServerConfig = server.tools === undefined && existing?.tools ? { ...server, tools: existing.tools } : server;
      if (from !== name) await moveSecrets(from, name, config);
      const servers: Record<string, McpServerConfig> = {};
      let placed = false;
      for (const [key, value] of Object.entries(config.mcpServers)) {
        if (key === from) {
          servers[name] = saved;
          placed = true;
        } else servers[key] = value;
      }
      if (!placed) servers[name] = saved;
      saveWorkspace(deps, { ...config, mcpServers: servers });
      return { saved: name };
    },

    'mcp.removeServer': async ({ name, deleteSecrets }) => {
      const config = readWorkspace(deps);
      serverOf(config, name);
      let secretsDeleted = 0;
      if (deleteSecrets) {
        const accounts = await withKeychain(() => deps.secrets.accounts(secretAccountPrefix(deps.activeBot(), name)), `The server "${name}" was not removed`);
        for (const account of accounts) if (await withKeychain(() => deps.secrets.delete(account))) secretsDeleted++;
      }
      const { [name]: _removed, ...rest } = config.mcpServers;
      saveWorkspace(deps, { ...config, mcpServers: rest });
      return { removed: name, secretsDeleted };
    },

    'mcp.setToolClass': async ({ server, tool, class: toolClass }) => {
      const config = readWorkspace(deps);
      const current = serverOf(config, server);
      const tools = { ...(current.tools ?? {}), [tool]: toolClass };
      saveWorkspace(deps, { ...config, mcpServers: { ...config.mcpServers, [server]: { ...current, tools } } });
      return { tools };
    },

    'mcp.addExampleShop': async () => {
      const config = readWorkspace(deps);
      if (Object.hasOwn(config.mcpServers, EXAMPLE_SHOP_SERVER)) throw new ApiCallError('CONFLICT', EXAMPLE_SHOP_TEXTS.clash);
      const mcp = deps.mcp;
      if (!deps.exampleShop || !mcp) throw new ApiCallError('CONFLICT', EXAMPLE_SHOP_TEXTS.notShipped('examples/crm-server'));
      const server = exampleShopServer(deps.exampleShop, deps.activeBot());
      saveWorkspace(deps, { ...config, mcpServers: { ...config.mcpServers, [EXAMPLE_SHOP_SERVER]: server } });
      // The owner's click adds the app's own program, built here (not pasted): that click is the
      // consent to run it. Its tools still wait for the owner's approval like any server's.
      const support = sandboxSupport();
      const { command, commandText } = consentFields(server, support.available ? {} : { unsandboxed: support.reason });
      await mcp.approveServer(EXAMPLE_SHOP_SERVER, command);
      return { added: EXAMPLE_SHOP_SERVER, command, commandText };
    },

    'mcp.serverStatus': async ({ server }) => {
      serverOf(readWorkspace(deps), server);
      return statusPort().status(server);
    },

    'mcp.connect': async ({ server }) => {
      serverOf(readWorkspace(deps), server);
      return statusPort().connect(server);
    },
  };
}
