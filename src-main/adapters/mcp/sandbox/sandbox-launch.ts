// Starts a stdio server inside the OS sandbox (bubblewrap, through @anthropic-ai/sandbox-runtime).
//
// Why two paths (docs/mcp-sandbox.md):
// - network 'none' or 'all': the library's bubblewrap wrapper is called here, in our process
//   (wrapCommandWithSandboxLinux: filesystem binds, PID/user namespaces, a seccomp filter that
//   blocks Unix sockets, and for 'none' a network namespace with no interface). No helper
//   process runs beside the server: the process we spawn is bwrap itself (--die-with-parent),
//   so a kill of that pid ends everything inside.
// - a list of hosts: the library filters hosts in an HTTP/SOCKS proxy. Its SandboxManager is one
//   per process with one allow-list for everything it wraps, so a server gets its own `srt`
//   (the library's CLI, on the Node that runs us) with its own settings file and its own proxy:
//   one server's hosts are never another's.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { accessSync, constants, existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { sandboxPolicy, scriptOf, DOCKER_SOCKETS, type SandboxPolicy } from '../../../core/mcp-sandbox';
import type { StdioServerConfig } from '../../../shared/workspace-config';

export interface SandboxSettings {
  /** The studio's data folder(s): hidden from every server. */
  dataDirs: string[];
  /** Where each server's work folder is made (`<workRoot>/<server>/work`); its temp folder is made per start in the system temp. */
  workRoot: string;
  /** The owner's home (default os.homedir()). */
  home?: string;
}

export interface SandboxedLaunch {
  command: string;
  args: string[];
  env: Record<string, string | undefined>;
  policy: SandboxPolicy;
  workDir: string;
  /** Removes this start's own folder (its temp folder); call once the process is gone. */
  cleanup(): Promise<void>;
}

export interface SandboxLauncher {
  launch(req: LaunchRequest): Promise<SandboxedLaunch>;
  /** When no server of this hub runs any more: the library's mount-point files are removed. */
  close(): void;
}

export interface LaunchRequest {
  server: string;
  config: StdioServerConfig;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string | undefined>;
}

const requireHere = createRequire(import.meta.url);
type LinuxUtils = typeof import('@anthropic-ai/sandbox-runtime/dist/sandbox/linux-sandbox-utils.js');
let linuxUtils: Promise<LinuxUtils> | undefined;
const loadLinuxUtils = () => (linuxUtils ??= import('@anthropic-ai/sandbox-runtime/dist/sandbox/linux-sandbox-utils.js'));

/** A file/folder name for a server name (any text): kept readable, never a path. */
const folderName = (name: string) => encodeURIComponent(name).replace(/\./g, '%2E');

/**
 * One per hub. The library's mount-point files are removed when the hub closes (removing one
 * while a sandbox runs would undo its mount).
 */
export function createSandboxLauncher(settings: SandboxSettings): SandboxLauncher {
  let made = 0;
  return {
    async launch(req) {
      const prepared = await prepare(req, settings);
      if (prepared.srt) return prepared.srt;
      const { policy, env, workDir, cleanup } = prepared;
      const input = {
        command: insideCommand(req),
        needsNetworkRestriction: policy.network === 'none',
        readConfig: { denyOnly: policy.denyRead, allowWithinDeny: policy.allowRead },
        writeConfig: { allowOnly: [...policy.allowWrite, ...(policy.unixSockets ? dockerSockets() : [])], denyWithinAllow: [] },
        allowAllUnixSockets: policy.unixSockets,
        binShell: 'bash',
      };
      let wrapped: string;
      try {
        wrapped = await (await loadLinuxUtils()).wrapCommandWithSandboxLinux(input);
      } catch (err) {
        await cleanup();
        throw err;
      }
      made++;
      return { command: '/bin/sh', args: ['-c', `exec ${wrapped}`], env: withStudioPath(env), policy, workDir, cleanup };
    },
    close() {
      if (!made) return;
      void loadLinuxUtils().then((utils) => {
        for (; made > 0; made--) utils.cleanupBwrapMountPoints();
      });
    },
  };
}

/** A start's own folder in the system temp folder: `flowbot-mcp-<studio pid>-<random>`. */
const RUN_PREFIX = 'flowbot-mcp-';
const RUN_NAME = /^flowbot-mcp-(\d+)-/;

type Prepared = { srt: SandboxedLaunch } | (Omit<SandboxedLaunch, 'command' | 'args'> & { srt?: undefined });

/**
 * The server's folders and its policy. Every start gets a folder of its own in the system temp
 * folder (`flowbot-mcp-<pid>-*`: the server's temp folder, the proxy's settings), removed when its
 * process is gone. Two processes of one server can run at once (a replacement started before the
 * old one ends its calls; the studio and `flowbot mcp tools` on one data folder): one must not empty
 * the other's temp folder. The path stays short: srt makes its proxy sockets in the server's temp
 * folder (visible inside the sandbox), and a Unix socket's path has at most 107 bytes.
 */
async function prepare(req: LaunchRequest, settings: SandboxSettings): Promise<Prepared> {
  const home = settings.home ?? os.homedir();
  const workDir = path.join(settings.workRoot, folderName(req.server), 'work');
  await mkdir(workDir, { recursive: true, mode: 0o700 });
  await removeAbandonedRuns();
  const runDir = await mkdtemp(path.join(os.tmpdir(), `${RUN_PREFIX}${process.pid}-`));
  const cleanup = () => rm(runDir, { recursive: true, force: true });
  try {
    const tempDir = path.join(runDir, 'tmp');
    await mkdir(tempDir, { mode: 0o700 });
    const policy = sandboxPolicy({
      config: req.config,
      command: req.command,
      cwd: req.cwd,
      home,
      dataDirs: settings.dataDirs.map((d) => path.resolve(d)),
      workDir,
      tempDir,
      systemTemp: os.tmpdir(),
      runtimeDirs: runtimeDirs(),
      execDir: path.dirname(process.execPath),
      packageRoots: packageRoots(req, home),
    });
    // A folder granted for writing is made if missing (the owner named it), so it can be bound.
    for (const dir of policy.allowWrite) await mkdir(dir, { recursive: true });
    // Only what exists can be hidden or bound.
    policy.denyRead = policy.denyRead.filter((p) => existsSync(p));
    policy.allowRead = policy.allowRead.filter((p) => existsSync(p));
    const env = { ...launcherEnv(req.command, workDir, policy.network), ...req.env, TMPDIR: tempDir, TMP: tempDir, TEMP: tempDir };
    if (typeof policy.network === 'object') return { srt: await viaSrt(req, { policy, env, workDir, cleanup }, runDir) };
    return { policy, env, workDir, cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** Removes the run folders whose studio process is gone (it was killed before removing them). */
async function removeAbandonedRuns(): Promise<void> {
  for (const name of await readdir(os.tmpdir())) {
    const pid = Number(RUN_NAME.exec(name)?.[1]);
    // Another user's folder cannot be removed (the sticky /tmp): left to them.
    if (pid && !isRunning(pid)) await rm(path.join(os.tmpdir(), name), { recursive: true, force: true }).catch(() => undefined);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // someone else's process
  }
}

/** A server allowed only some hosts: its own `srt` process, its own proxy and settings. */
async function viaSrt(req: LaunchRequest, prepared: Omit<SandboxedLaunch, 'command' | 'args'>, runDir: string): Promise<SandboxedLaunch> {
  const { policy, env } = prepared;
  const hosts = (policy.network as { hosts: string[] }).hosts;
  const settingsFile = path.join(runDir, 'sandbox-settings.json');
  await writeFile(
    settingsFile,
    JSON.stringify({
      network: { allowedDomains: hosts, deniedDomains: [], ...(policy.unixSockets ? { allowAllUnixSockets: true } : {}) },
      filesystem: { denyRead: policy.denyRead, allowRead: policy.allowRead, allowWrite: [...policy.allowWrite, ...(policy.unixSockets ? dockerSockets() : [])], denyWrite: [] },
    }),
    { mode: 0o600 },
  );
  const cli = requireHere.resolve('@anthropic-ai/sandbox-runtime/dist/cli.js');
  return {
    command: process.execPath,
    args: [cli, '--settings', settingsFile, '-c', insideCommand(req)],
    ...prepared,
    // The Electron binary runs the CLI as Node.
    env: withStudioPath({ ...env, ...(process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {}) }),
  };
}

/**
 * What runs inside the sandbox: the server, in its folder, with its own PATH. The sandbox's own
 * programs (bwrap, bash, socat) are found outside on the studio's PATH: a server whose config
 * sets PATH (to a pyenv or nvm folder) would otherwise lose them.
 */
function insideCommand(req: LaunchRequest): string {
  const serverPath = req.env.PATH !== undefined ? `export PATH=${quote(req.env.PATH)} && ` : '';
  return `cd ${quote(req.cwd)} && ${serverPath}exec ${[req.command, ...req.args].map(quote).join(' ')}`;
}

const withStudioPath = (env: Record<string, string | undefined>) => (process.env.PATH !== undefined ? { ...env, PATH: process.env.PATH } : env);

/**
 * npx (npm exec) and uvx, which download the server, keep their downloads in the server's own work
 * folder: the owner's caches are read-only in the sandbox (a server that could write there could
 * plant code that another server, or the owner's own npx, runs later). After the first start
 * it uses what it downloaded without asking the registry (prefer-offline), so a server
 * whose registry host is not granted still starts once it is there. The first download needs
 * the registry's host in the network grant (the studio's form suggests it). The server's own
 * env, set by the owner, wins.
 */
function launcherEnv(command: string, workDir: string, network: SandboxPolicy['network']): Record<string, string> {
  const name = path.basename(command).replace(/\.(cmd|exe)$/i, '');
  // uv (uvx) writes lock files and environments into its cache even when the package is there.
  if (name === 'uvx' || name === 'uv') return { UV_CACHE_DIR: path.join(workDir, '.cache', 'uv') };
  if (name !== 'npx' && name !== 'npm') return {};
  return {
    npm_config_cache: path.join(workDir, '.npm'),
    npm_config_prefer_offline: 'true',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    // Without a network, npm's retries (10 s to a minute each) would outlast the start timeout:
    // it fails at once, and says which host it could not reach (the card offers to grant it).
    ...(network === 'none' ? { npm_config_fetch_retries: '0' } : {}),
  };
}

/** The program a command names, as spawn would find it (a path, or a name on PATH); undefined if there is none. */
export function findProgram(command: string, cwd: string, pathVar: string | undefined): string | undefined {
  const candidates = /[\\/]/.test(command) ? [path.resolve(cwd, command)] : (pathVar ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, command));
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Where the server's packages are: the nearest folder with a package.json above its cwd, its
 * command and its script (never its other arguments: those are its data, granted as folders or
 * not at all), and every node_modules folder above them that Node would search, with the folder
 * a linked node_modules points to (a workspace, a server copied beside another checkout's
 * packages). A server started from a checkout under /tmp or the home folder needs them; the
 * walk stops below the home folder.
 */
function packageRoots(req: LaunchRequest, home: string): string[] {
  const script = scriptOf(req.command, req.config.args ?? [], req.cwd);
  const starts = [req.cwd, ...(path.isAbsolute(req.command) ? [path.dirname(req.command)] : []), ...(script ? [path.dirname(script), path.dirname(realPath(script))] : [])];
  const roots = new Set<string>();
  for (const start of starts) {
    let rootFound = false;
    for (let dir = start; dir !== path.dirname(dir) && dir !== home; dir = path.dirname(dir)) {
      if (!rootFound && existsSync(path.join(dir, 'package.json'))) {
        roots.add(dir);
        rootFound = true;
      }
      // The folder itself, or where its link points (bubblewrap cannot bind onto a link: the
      // link sits in a readable folder above and leads there).
      const modules = path.join(dir, 'node_modules');
      if (existsSync(modules)) roots.add(realPath(modules));
    }
  }
  return [...roots];
}

/** The path with its links resolved (itself when it does not exist). */
function realPath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** /run/user/UID (session bus, keyring), the session bus socket's folder, the keyring's control folder. */
function runtimeDirs(): string[] {
  const dirs: string[] = [];
  const uid = process.getuid?.();
  if (uid !== undefined) dirs.push(`/run/user/${uid}`);
  if (process.env.XDG_RUNTIME_DIR) dirs.push(process.env.XDG_RUNTIME_DIR);
  const bus = /unix:path=([^,;]+)/.exec(process.env.DBUS_SESSION_BUS_ADDRESS ?? '')?.[1];
  if (bus) dirs.push(path.dirname(bus));
  if (process.env.GNOME_KEYRING_CONTROL) dirs.push(process.env.GNOME_KEYRING_CONTROL);
  return dirs;
}

function dockerSockets(): string[] {
  return DOCKER_SOCKETS.filter((s) => existsSync(s));
}

/** POSIX single-quoting. */
function quote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
