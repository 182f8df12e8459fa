// The sandbox grant an imported stdio server is proposed (issue 19): a server pasted from another
// client (`server-filesystem /home/me/docs`) would otherwise start unable to see what its config
// names. Pure: the config in, a proposal out; the owner ticks what is granted (the import stores
// only that). Proposed: absolute folders in its arguments and plain env values (read-write for
// the filesystem server, which serves its folders read-write; read for others), the hosts of its
// URL values, Docker for `docker` commands, and what a `sandbox` in the pasted text grants (a
// home folder or more is proposed unticked: isWideFolder). Not
// proposed: the registry a launcher downloads from the first time (a note; a start after that runs
// from its cache), `~/` paths (the import does not expand them: the server gets the text as it is).
import { posix } from 'node:path';
import { suggestedHosts } from '../../shared/sandbox-hosts';
import type { McpServerConfig, SandboxGrant, StdioServerConfig } from '../../shared/workspace-config';
import { isInside, scriptOf } from './policy';

export interface GrantProposal {
  /** What the owner is offered; only what they tick is stored. Empty when nothing is needed. */
  grant: SandboxGrant;
  /** The hosts a launcher's first download needs (npx: registry.npmjs.org): a note, never in `grant`. */
  packageRegistry?: string[];
  /** Folders of `grant` that hold a home folder or more (`/`, `/home`, `/Users/ana`): offered unticked. */
  wideFolders?: string[];
}

const NPM_REGISTRY = ['registry.npmjs.org'];
const PYPI = ['pypi.org', 'files.pythonhosted.org'];
const FILESYSTEM_SERVER = /(^|[=/])@modelcontextprotocol\/server-filesystem(@|\/|$)/;

/** The proposal for a pasted server; undefined for a remote (url) server, which has no sandbox. */
export function proposeGrant(config: McpServerConfig): GrantProposal | undefined {
  if ('url' in config) return undefined;
  const detected = detectedGrant(config);
  const grant = compactGrant(mergeGrants(config.sandbox ?? {}, detected));
  const network = grant.network ?? 'none';
  const granted = typeof network === 'object' ? network.hosts : [];
  const registry = network === 'all' ? [] : (registryOf(config) ?? []).filter((h) => !granted.includes(h));
  const wide = (grant.folders ?? []).map((f) => f.path).filter(isWideFolder);
  return { grant, ...(registry.length ? { packageRegistry: registry } : {}), ...(wide.length ? { wideFolders: wide } : {}) };
}

/**
 * A folder that holds a whole home folder or more (`/`, `/home`, `/home/ana`, `/Users/ana`,
 * `/root`): granting it undoes what the sandbox hides (keys, mail, the studio's secrets files),
 * so it is never granted without the owner ticking it.
 */
export function isWideFolder(folder: string): boolean {
  return /^\/(?:(?:home|Users)(?:\/[^/]+)?|root)?\/?$/.test(posix.normalize(folder));
}

/** The grant without its empty parts (no folders, network none, no Docker): {} is the default sandbox. */
export function compactGrant(grant: SandboxGrant): SandboxGrant {
  return {
    ...(grant.folders?.length ? { folders: grant.folders } : {}),
    ...(grant.network !== undefined && grant.network !== 'none' ? { network: grant.network } : {}),
    ...(grant.docker ? { docker: true } : {}),
  };
}

function detectedGrant(config: StdioServerConfig): SandboxGrant {
  // `docker run`: the daemon mounts the folders and runs the container's network; the sandboxed
  // docker client only needs the Docker socket (which the owner must choose: it controls the machine).
  if (program(config.command) === 'docker') return { docker: true };
  const access = (config.args ?? []).some((a) => FILESYSTEM_SERVER.test(a)) ? 'write' : 'read';
  const readable = readableAlready(config);
  const candidates = [...(config.args ?? []).map(optionValue), ...Object.values(config.env ?? {}).filter((v): v is string => typeof v === 'string')];
  const folders = unique(candidates.filter(looksLikeFolder).map((p) => posix.normalize(p).replace(/(.)\/$/, '$1')))
    // Read access to a folder the sandbox already shows is no grant; write access still is.
    .filter((p) => access === 'write' || !readable.some((r) => isInside(p, r)))
    .map((path) => ({ path, access }) as const);
  const urlArgs = Object.fromEntries((config.args ?? []).map((a, i) => [String(i), optionValue(a)]));
  const hosts = unique([...suggestedHosts(config.env), ...suggestedHosts(urlArgs)]);
  return { folders, ...(hosts.length ? { network: { hosts } } : {}) };
}

/** What the sandbox makes readable anyway: the cwd, the folder of the script an interpreter runs, an absolute command's folder. */
function readableAlready(config: StdioServerConfig): string[] {
  const cwd = config.cwd !== undefined && posix.isAbsolute(config.cwd) ? config.cwd : undefined;
  const script = scriptOf(config.command, config.args ?? [], cwd ?? '/');
  const dirs = [cwd, script !== undefined && posix.isAbsolute(script) ? posix.dirname(script) : undefined];
  if (posix.isAbsolute(config.command)) dirs.push(posix.dirname(config.command));
  // The script itself may be a folder (`node /opt/server` runs its index.js).
  if (script !== undefined) dirs.push(script);
  return dirs.filter((d): d is string => d !== undefined);
}

/** The pasted grant first (its access wins for a folder it names), then what was detected. */
function mergeGrants(pasted: SandboxGrant, detected: SandboxGrant): SandboxGrant {
  const folders = [...(pasted.folders ?? [])];
  for (const f of detected.folders ?? []) if (!folders.some((p) => p.path === f.path)) folders.push(f);
  const hostsOf = (g: SandboxGrant) => (typeof g.network === 'object' ? g.network.hosts : []);
  const hosts = unique([...hostsOf(pasted), ...hostsOf(detected)]);
  // 'all' cannot carry hosts: the whole network, offered unticked, stands for them.
  const network = pasted.network === 'all' || detected.network === 'all' ? 'all' : hosts.length ? { hosts } : undefined;
  return { folders, ...(network ? { network } : {}), ...(pasted.docker || detected.docker ? { docker: true } : {}) };
}

/** The registry hosts of a launcher that downloads the server on its first start. */
function registryOf(config: StdioServerConfig): string[] | undefined {
  const name = program(config.command);
  const args = (config.args ?? []).filter((a) => !a.startsWith('-'));
  if (name === 'npx' || (name === 'npm' && (args[0] === 'exec' || args[0] === 'x'))) return NPM_REGISTRY;
  if (name === 'uvx' || (name === 'uv' && args[0] === 'tool' && args[1] === 'run')) return PYPI;
  return undefined;
}

/** The program's name without its folder and Windows ending ("C:\\…\\npx.cmd" → "npx"). */
const program = (command: string) => command.split(/[\\/]/).pop()!.replace(/\.(cmd|exe|bat|ps1)$/i, '').toLowerCase();

/** The value of "--root=/srv/data"; the argument itself otherwise (a lone flag stays a flag). */
const optionValue = (arg: string) => /^--?[\w-]+=(.*)$/.exec(arg)?.[1] ?? arg;

/**
 * An absolute path that names a folder by its form: not a flag, not a path list ("/a:/b"), its
 * last part without a file ending ("/home/me/docs", "/srv/.data"; not "/home/me/notes.db").
 */
function looksLikeFolder(value: string): boolean {
  if (!value.startsWith('/') || value.startsWith('//') || value.includes(':') || /[\r\n\0]/.test(value)) return false;
  const last = value.replace(/\/+$/, '').split('/').pop() ?? '';
  return !/^[^.].*\.[A-Za-z0-9]{1,8}$/.test(last);
}

const unique = (xs: string[]) => [...new Set(xs)];
