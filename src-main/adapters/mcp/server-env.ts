// The environment a stdio server process gets: a minimal base (PATH, HOME and the like) plus
// the variables declared in its own config — never the app's environment, never another
// server's secrets.
import { DEFAULT_INHERITED_ENV_VARS } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { ValueResolver } from '../../runtime/ports';
import type { StdioServerConfig } from '../../shared/workspace-config';
import { McpServerError, errorText } from './mcp-errors';

/** The only variables a server inherits from us; everything else must be declared in its env. */
export const INHERITED_ENV = [
  'PATH', 'HOME', 'USER', 'LANG', 'LC_ALL', 'TMPDIR', 'TEMP', 'TMP',
  'SystemRoot', 'ComSpec', 'PATHEXT', 'APPDATA', 'LOCALAPPDATA',
] as const;

export interface ServerEnv {
  /**
   * For the SDK's StdioClientTransport, which merges its own default environment under ours:
   * `undefined` entries remove what it would add beyond our list (spawn drops them).
   */
  env: Record<string, string | undefined>;
  /** Values that came from {secret}/{env} references or OAuth: masked in everything we show. */
  secrets: string[];
}

export async function serverEnv(
  name: string,
  config: StdioServerConfig,
  resolveValue: ValueResolver,
  accessToken?: string,
): Promise<ServerEnv> {
  const env: Record<string, string | undefined> = {};
  const secrets: string[] = [];
  for (const key of INHERITED_ENV) {
    const value = process.env[key];
    if (value !== undefined && !value.startsWith('()')) env[key] = value; // no exported shell functions
  }
  for (const [key, value] of Object.entries(config.env ?? {})) {
    try {
      env[key] = await resolveValue(value, { scope: name, field: `mcpServers.${name}.env.${key}` });
    } catch (err) {
      throw new McpServerError(name, 'config', `MCP server "${name}": ${errorText(err)}`, undefined, { cause: err });
    }
    if (typeof value !== 'string') secrets.push(env[key]!);
  }
  if (config.auth && accessToken !== undefined) {
    env[config.auth.tokenEnv] = accessToken;
    secrets.push(accessToken);
  }
  const windows = process.platform === 'win32';
  const keys = new Set(Object.keys(env).map((k) => (windows ? k.toUpperCase() : k)));
  for (const key of DEFAULT_INHERITED_ENV_VARS) {
    if (!keys.has(windows ? key.toUpperCase() : key)) env[key] = undefined;
  }
  return { env, secrets };
}
