// Relative paths in a pasted server config. A config copied from another client's file had a
// folder; pasted text has none, so "crm-server/index.js" means nothing until the owner says
// which folder it is relative to. Nothing here is ever resolved against the studio's own
// working folder: the settings handlers ask for the folder, or refuse. Pure (path arithmetic only).
import { posix, win32 } from 'node:path';
import type { McpServerConfig, StdioServerConfig } from '../shared/workspace-config';

export interface RelativePath {
  /** Where in the server's config: "command", "args[0]", "cwd", "env.CRM_DATA_DIR". */
  where: string;
  value: string;
}

const isAbsolute = (value: string) => posix.isAbsolute(value) || win32.isAbsolute(value) || /^~([\\/]|$)/.test(value);
const isUrl = (value: string) => /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value);
/** Ends like a file a program opens: "index.js", "server.py", "config.json". */
const FILE_EXTENSION = /\.(m?js|cjs|ts|mts|py|rb|php|pl|sh|bash|ps1|bat|cmd|exe|jar|json|ya?ml|toml|db|sqlite)$/i;

/**
 * Whether an argument (or an option's value) names a file relative to somewhere: "./x",
 * "../x", "crm-server/index.js", "server.py", "data/". Flags, npm packages ("@scope/name") and
 * names without a file ending ("ghcr.io/github/github-mcp-server", "mcp-server-fetch") are not.
 */
function looksRelativePath(value: string): boolean {
  if (value === '' || isAbsolute(value) || isUrl(value)) return false;
  if (/^\.{1,2}([\\/]|$)/.test(value)) return true;
  if (value.startsWith('-') || value.startsWith('@') || /\s/.test(value)) return false;
  return FILE_EXTENSION.test(value) || /^[\w.-]+[\\/]$/.test(value);
}

/** An env value that is a relative path by its form: "./data", "../x", ".crm-data". */
const looksRelativeEnvPath = (value: string) => /^\.{1,2}[\\/]/.test(value) || /^\.[A-Za-z_][\w.-]*$/.test(value);

/** The option's value of "--config=./x.json"; the argument itself otherwise. */
function argValue(arg: string): { prefix: string; value: string } {
  const eq = /^(--?[\w-]+=)(.*)$/.exec(arg);
  return eq ? { prefix: eq[1]!, value: eq[2]! } : { prefix: '', value: arg };
}

/**
 * The values of a stdio server that only make sense relative to a folder: a command with a
 * path in it, arguments that look like files, a relative cwd, env values like "./data". A
 * bare command ("node", "npx") is looked up on PATH and is not one. An http server has none.
 */
export function relativePathsOf(config: McpServerConfig): RelativePath[] {
  if ('url' in config) return [];
  const found: RelativePath[] = [];
  if (/[\\/]/.test(config.command) && !isAbsolute(config.command)) found.push({ where: 'command', value: config.command });
  // With an absolute cwd, the arguments are relative to that folder: the config says where.
  const hasFolder = config.cwd !== undefined && isAbsolute(config.cwd);
  if (config.cwd !== undefined && !hasFolder) found.push({ where: 'cwd', value: config.cwd });
  if (!hasFolder) {
    (config.args ?? []).forEach((arg, i) => {
      if (looksRelativePath(argValue(arg).value)) found.push({ where: `args[${i}]`, value: arg });
    });
    for (const [name, value] of Object.entries(config.env ?? {})) {
      if (typeof value === 'string' && looksRelativeEnvPath(value)) found.push({ where: `env.${name}`, value });
    }
  }
  return found;
}

/**
 * The config with its relative paths resolved against `folder` (absolute): the server runs in
 * that folder (or its relative cwd there), the command and path-like arguments become absolute
 * paths from there, and a relative env value like ".crm-data" is read there by the server.
 */
export function resolveRelativePaths(config: McpServerConfig, folder: string): McpServerConfig {
  if ('url' in config) return config;
  const paths = relativePathsOf(config);
  if (paths.length === 0) return config;
  const path = win32.isAbsolute(folder) && !posix.isAbsolute(folder) ? win32 : posix;
  // A relative cwd is relative to the folder; the command and arguments to the cwd.
  const cwd = config.cwd === undefined ? folder : path.resolve(folder, config.cwd);
  const at = (value: string) => path.resolve(cwd, value);
  const out: StdioServerConfig = { ...config, cwd };
  if (paths.some((p) => p.where === 'command')) out.command = at(config.command);
  const args = config.args;
  if (args) {
    out.args = args.map((arg, i) => {
      if (!paths.some((p) => p.where === `args[${i}]`)) return arg;
      const { prefix, value } = argValue(arg);
      return prefix + at(value);
    });
  }
  return out;
}
