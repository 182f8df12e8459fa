// What a sandboxed stdio server may touch (pure: paths in, rules out; the adapter enforces them
// with bubblewrap through @anthropic-ai/sandbox-runtime). Denied by default: the owner's home,
// the studio's data folder (every bot), the session bus and keyring sockets, /tmp, writes
// anywhere but the server's own work and temp folders, the network. Re-opened read-only: the
// server's install folder and the package caches its launcher needs (npm/npx, uv, pip).
import path from 'node:path';
import type { SandboxGrant, StdioServerConfig } from '../../shared/workspace-config';

export type SandboxNetwork = 'none' | 'all' | { hosts: string[] };

export interface SandboxPolicy {
  /** Hidden (an empty folder inside the sandbox). */
  denyRead: string[];
  /** Readable again inside a hidden folder. */
  allowRead: string[];
  /** The only writable places (everything else is read-only). */
  allowWrite: string[];
  network: SandboxNetwork;
  /** Unix sockets (D-Bus, keyring, the Docker socket) are blocked unless Docker is granted. */
  unixSockets: boolean;
}

export interface PolicyInput {
  config: StdioServerConfig;
  /** The command as it will be spawned (absolute when the config gave a path). */
  command: string;
  /** The server's working folder (config cwd resolved): relative grant paths resolve against it, as the server's own relative paths do. */
  cwd: string;
  home: string;
  /** The studio's data folder(s): every bot's database, settings, secrets files. */
  dataDirs: string[];
  /** The server's private folders (created by the adapter). */
  workDir: string;
  tempDir: string;
  /** The system temp folder (/tmp): other programs' files are hidden. */
  systemTemp: string;
  /** /run/user/UID and the session bus socket's folder, from the environment. */
  runtimeDirs: string[];
  /** The folder holding the Node.js binary the studio runs on (when a server is started with it). */
  execDir?: string;
  /**
   * The package roots of the server's folders (the nearest folder above each with a package.json:
   * its node_modules and "type" live there), found by the adapter. Read-only like the install.
   */
  packageRoots?: string[];
}

/**
 * Package caches and language installs a launcher reads from (relative to home): npx/uvx run
 * from the caches, and a `node` or `python3` found on PATH may live under nvm, volta or pyenv.
 */
export const PACKAGE_CACHES = ['.npm', '.cache/uv', '.cache/pip', '.local/share/uv', '.local/bin', '.nvm', '.volta', '.local/share/pnpm', '.bun', '.pyenv', 'miniconda3', 'anaconda3'];

export const DOCKER_SOCKETS = ['/var/run/docker.sock', '/run/docker.sock'];

export function sandboxPolicy(input: PolicyInput): SandboxPolicy {
  const grant: SandboxGrant = input.config.sandbox ?? {};
  const folders = (grant.folders ?? []).map((f) => ({ ...f, path: path.resolve(input.cwd, expandHome(f.path, input.home)) }));
  const hidden = [input.home, ...input.dataDirs, input.systemTemp, ...input.runtimeDirs];
  const allowRead = new Set<string>();
  for (const cache of PACKAGE_CACHES) allowRead.add(path.join(input.home, cache));
  for (const dir of installFolders(input)) {
    // Never re-open a hidden folder as a whole (a server whose cwd is the home or the data folder).
    // A folder that holds one is re-opened: the hidden folder inside it stays hidden (the library
    // keeps a more specific deny), so a config folder holding the data folder still works.
    if (!hidden.includes(dir) && !hidden.some((h) => isInside(h, dir) && isInside(input.home, h))) allowRead.add(dir);
  }
  for (const f of folders) if (f.access === 'read') allowRead.add(f.path);
  const allowWrite = unique([input.workDir, input.tempDir, ...folders.filter((f) => f.access === 'write').map((f) => f.path)]);
  // bubblewrap mounts the read-only folders after the writable ones, so a writable folder inside
  // a re-opened one would end up read-only; listed as hidden too, the library mounts it again,
  // writable, after (as it does for the work folder inside the hidden data folder).
  const nested = allowWrite.filter((w) => [...allowRead].some((r) => r !== w && isInside(w, r)));
  return {
    denyRead: unique([...hidden, ...nested]),
    allowRead: [...allowRead].filter((r) => !allowWrite.includes(r)),
    allowWrite,
    network: grant.network ?? 'none',
    unixSockets: grant.docker === true,
  };
}

/** Where the server's own code lives: the command's folder, its script's folder, its cwd. */
function installFolders(input: PolicyInput): string[] {
  const dirs: string[] = [input.cwd];
  if (path.isAbsolute(input.command)) dirs.push(path.dirname(input.command));
  if (input.execDir) dirs.push(input.execDir);
  dirs.push(...(input.packageRoots ?? []));
  const script = scriptOf(input.command, input.config.args ?? [], input.cwd);
  if (script) dirs.push(path.dirname(script));
  return dirs;
}

/** Programs whose first argument that is not an option is the script they run. */
const INTERPRETER = /^(node|nodejs|bun|tsx|ts-node|python(\d+(\.\d+)*)?|ruby|perl|php)(\.exe)?$/i;

/**
 * The script an interpreter runs (`node /opt/crm/index.js`): its folder is part of the install.
 * Only that argument: the others are the server's data (`server-filesystem /srv/docs`), which
 * the owner grants as folders; re-opening their parent folders would show their neighbours.
 */
export function scriptOf(command: string, args: readonly string[], cwd: string): string | undefined {
  if (!INTERPRETER.test(path.basename(command))) return undefined;
  const first = args.find((a) => !a.startsWith('-'));
  return first !== undefined && /[\\/]|\.(c|m)?(js|ts)$|\.py$|\.rb$|\.pl$|\.php$/.test(first) ? path.resolve(cwd, first) : undefined;
}

function expandHome(p: string, home: string): string {
  return p === '~' ? home : p.startsWith('~/') ? path.join(home, p.slice(2)) : p;
}

/** True when `child` is `parent` or inside it. */
export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

const unique = (xs: string[]) => [...new Set(xs.filter(Boolean))];
