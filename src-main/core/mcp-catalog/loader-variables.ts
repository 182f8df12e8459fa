// Environment variables that change which code a program loads or runs, whatever its command
// line says (NODE_OPTIONS=--import=…, LD_PRELOAD, PATH, PYTHONPATH…). Consent shows their
// values like any other, and names them in a warning (DESIGN §4, docs/mcp-approvals.md).
import type { McpServerConfig } from '../../shared/workspace-config';

/** Upper-case names; Windows compares variable names without case, so we do too. */
const NAMES = new Set([
  // dynamic linker and shells
  'PATH', 'PATHEXT', 'COMSPEC', 'BASH_ENV', 'ENV', 'SHELLOPTS', 'BASHOPTS', 'PS4', 'IFS', 'CDPATH', 'GCONV_PATH', 'HOSTALIASES', 'TMPDIR',
  // Node.js, Electron, Deno, Bun
  'NODE_OPTIONS', 'NODE_PATH', 'NODE_EXTRA_CA_CERTS', 'NODE_TLS_REJECT_UNAUTHORIZED', 'NODE_REPL_EXTERNAL_MODULE', 'ELECTRON_RUN_AS_NODE', 'DENO_DIR', 'BUN_OPTIONS',
  // Python
  'PYTHONPATH', 'PYTHONSTARTUP', 'PYTHONHOME', 'PYTHONUSERBASE', 'PYTHONINSPECT', 'PYTHONWARNINGS', 'PYTHONBREAKPOINT', 'PIP_INDEX_URL', 'PIP_EXTRA_INDEX_URL', 'UV_INDEX_URL', 'UV_EXTRA_INDEX_URL',
  // Perl, Ruby, PHP, Lua
  'PERL5OPT', 'PERL5LIB', 'PERLLIB', 'PERL5DB', 'RUBYOPT', 'RUBYLIB', 'GEM_HOME', 'GEM_PATH', 'PHPRC', 'PHP_INI_SCAN_DIR', 'LUA_INIT', 'LUA_PATH', 'LUA_CPATH',
  // JVM, .NET
  'JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'JDK_JAVA_OPTIONS', 'JAVA_OPTIONS', 'CLASSPATH', 'DOTNET_STARTUP_HOOKS', 'DOTNET_ADDITIONAL_DEPS', 'COR_PROFILER', 'COR_PROFILER_PATH', 'CORECLR_PROFILER', 'CORECLR_PROFILER_PATH', 'COR_ENABLE_PROFILING', 'CORECLR_ENABLE_PROFILING',
  // Docker, git, ssh (servers are often `docker run` or fetch code)
  'DOCKER_HOST', 'DOCKER_CONFIG', 'DOCKER_CONTEXT', 'GIT_SSH', 'GIT_SSH_COMMAND', 'GIT_EXEC_PATH', 'GIT_CONFIG_GLOBAL', 'GIT_TEMPLATE_DIR',
]);
/** Prefixes: the dynamic linker (LD_PRELOAD, LD_AUDIT, DYLD_INSERT_LIBRARIES…), package managers that fetch the code `npx`/`uvx` run. */
const PREFIXES = ['LD_', 'DYLD_', 'NPM_CONFIG_', 'YARN_', 'PNPM_', 'BUN_CONFIG_', 'UV_', 'PIP_', 'GIT_CONFIG_'];

export function isLoaderVariable(name: string): boolean {
  const upper = name.toUpperCase();
  return NAMES.has(upper) || PREFIXES.some((p) => upper.startsWith(p));
}

/** The variables of a stdio server (its env, and the OAuth token's) that can change which code runs, sorted. */
export function loaderVariables(config: McpServerConfig): string[] {
  if ('url' in config) return [];
  const names = new Set(Object.keys(config.env ?? {}));
  if (config.auth) names.add(config.auth.tokenEnv);
  return [...names].filter(isLoaderVariable).sort(byName);
}

/** Case-insensitive order (the owner reads PATH and path as the same word), stable for equal words. */
function byName(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}
