// The sandbox's words that the owner reads (consent line, failures, the CLI). One place, for the
// per-language catalogues (the studio renders its own from the `sandbox` i18n namespace).
export const SANDBOX_TEXTS = {
  grantHead: 'sandbox grants',
  folderRead: (p: string) => `read ${p}`,
  folderWrite: (p: string) => `read and write ${p}`,
  networkAll: 'the whole network',
  networkHosts: (hosts: readonly string[]) => `network to ${hosts.join(', ')}`,
  docker: 'the Docker socket (control of this computer)',
  /** In the consent line of a server that will run without a sandbox. */
  unsandboxed: (reason: string) => `runs WITHOUT a sandbox (${reason}): it can read and change everything your user account can`,
  /** A server that failed because the sandbox denied something. */
  denied: (what: string, p: string) => `tried to ${what} ${p}: not allowed in the sandbox. Grant it in the server's sandbox settings if it needs it.`,
  deniedNetwork: (host: string) => `tried to reach ${host}: not allowed in the sandbox. Grant the host in the server's sandbox settings if it needs it.`,
  read: 'read',
  write: 'write to',
  /** The CLI's refusal when no sandbox can be made. */
  cliRefuses: (server: string, reason: string) =>
    `MCP server "${server}" cannot be sandboxed here (${reason}). Run it unsandboxed only if you trust it: add --allow-unsandboxed.`,
  unavailable: {
    platform: (p: string) => `no sandbox on ${p} yet`,
    missing: (names: readonly string[]) => `${names.join(', ')} not installed (Debian/Ubuntu: apt-get install bubblewrap socat ripgrep)`,
    userns: (detail: string) => `bubblewrap cannot create a user namespace on this machine: ${detail}`,
  },
} as const;
