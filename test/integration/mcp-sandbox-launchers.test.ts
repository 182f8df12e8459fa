// Issue 19: launchers keep working in the OS sandbox. `npx -y` downloads the server into the
// server's own work folder (the owner's npm cache is read-only inside), runs it with no network
// once it is there, and a first download the network grant does not allow fails at once, in
// plain words naming the registry to grant. Real npm, real bubblewrap; no public registry: the
// package is a tarball packed from test/fixtures/npx-package. `docker run` needs the Docker
// socket: only the explicit, flagged `docker` grant opens Unix sockets (a stand-in daemon here).
// Python: the system's python3 and one installed under the home by pyenv (a shim script in
// ~/.pyenv/shims, as pyenv installs it), with a standard-library server (no PyPI here).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HubSandbox } from '../../src-main/adapters/mcp/mcp-hub';
import type { McpServerConfig } from '../../src-main/shared/workspace-config';
import { failure, fixture, hubFactory, node, root } from '../fixtures/mcp-servers/harness';

const { open, closeAll } = hubFactory();
afterEach(closeAll);

let dir: string;
let home: string;
let dataDir: string;
let packages: string;
let tarball: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowbot-launchers-'));
  home = join(dir, 'home');
  dataDir = join(dir, 'studio-data');
  packages = join(dir, 'packages');
  mkdirSync(join(home, '.npm'), { recursive: true });
  writeFileSync(join(home, '.npm', 'owner-cache-entry'), 'the owner cache');
  mkdirSync(packages);
  const [packed] = JSON.parse(execFileSync('npm', ['pack', join(root, 'test/fixtures/npx-package'), '--json', '--pack-destination', packages], { encoding: 'utf8' })) as { filename: string }[];
  tarball = join(packages, packed!.filename);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sandbox = (): HubSandbox => ({ settings: { dataDirs: [dataDir], workRoot: join(dataDir, 'mcp-servers', 'shop'), home } });
const workDir = (server: string) => join(dataDir, 'mcp-servers', 'shop', server, 'work');
const listing = (folder: string): string[] => readdirSync(folder, { recursive: true }).map(String).sort();

describe('npx -y', () => {
  it('downloads the package into its own work folder and runs it, with no network', async () => {
    const ownerCache = listing(join(home, '.npm'));
    const npx: McpServerConfig = {
      command: 'npx',
      args: ['-y', `--package=${tarball}`, 'flowbot-test-npx-server'],
      // The tarball's folder is under /tmp, which the sandbox hides: granted read-only.
      sandbox: { folders: [{ path: packages, access: 'read' }] },
    };
    const hub = open({ npx }, { sandbox: sandbox(), startTimeoutMs: 60_000 });
    expect((await hub.listTools('npx')).map((t) => t.name)).toEqual(['where']);
    // It runs from npm's cache in the server's work folder.
    expect((await hub.callTool('npx', 'where', {})).text).toContain(join(workDir('npx'), '.npm', '_npx'));
    expect(hub.status('npx').sandbox).toEqual({ on: true });
    // The owner's own npm cache is not touched.
    expect(listing(join(home, '.npm'))).toEqual(ownerCache);

    // A restart uses what it downloaded.
    await hub.disconnect('npx');
    expect((await hub.callTool('npx', 'where', {})).text).toContain(join(workDir('npx'), '.npm', '_npx'));
  });

  it('a package to download from a registry it may not reach fails at once, naming the host to grant', async () => {
    const npx: McpServerConfig = { command: 'npx', args: ['-y', 'flowbot-test-not-downloaded-yet'] };
    const hub = open({ npx }, { sandbox: sandbox(), startTimeoutMs: 60_000 });
    await failure(hub.connect('npx'));
    expect(hub.status('npx').sandbox).toEqual({ on: true, denied: { action: 'reach', host: 'registry.npmjs.org' } });
    expect(hub.status('npx').lastError?.summary).toContain('registry.npmjs.org');
  });
});

describe('docker run: the Docker socket only with the docker grant', () => {
  let daemon: Server;
  let socketDir: string;
  beforeAll(async () => {
    // A stand-in for dockerd's Unix socket: it answers whatever connects.
    socketDir = join(dir, 'docker');
    mkdirSync(socketDir);
    daemon = createServer((sock) => sock.once('data', () => sock.end('OK stand-in daemon\r\n')));
    await new Promise<void>((resolve) => daemon.listen(join(socketDir, 'docker.sock'), resolve));
  });
  afterAll(() => new Promise<void>((resolve) => daemon.close(() => resolve())));

  const connecting = (docker: boolean): McpServerConfig => ({
    ...node('hostile-server.js'),
    env: { HOSTILE_PLAN: JSON.stringify({ dbusSocket: join(socketDir, 'docker.sock') }) },
    sandbox: { folders: [{ path: socketDir, access: 'read' }], ...(docker ? { docker: true } : {}) },
  });
  const connect = async (docker: boolean) => {
    const hub = open({ x: connecting(docker) }, { sandbox: sandbox() });
    return (JSON.parse((await hub.callTool('x', 'attack', {})).text) as { dbus: string }).dbus;
  };

  it('without it, connecting to a Unix socket is refused even where the socket is visible', async () => {
    expect(await connect(false)).toMatch(/^denied:/);
  });

  it('with it, the server reaches the socket', async () => {
    expect(await connect(true)).toBe('ok');
  });
});

describe('uvx', () => {
  it('keeps its cache in the server\'s work folder: the owner\'s ~/.cache/uv is read-only inside', async () => {
    // No PyPI here: a stand-in uvx that runs a server which reports its environment.
    const bin = join(dir, 'uv-bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'uvx'), `#!/bin/sh\nexec ${process.execPath} ${fixture('prints-env.js')}\n`);
    chmodSync(join(bin, 'uvx'), 0o755);
    const hub = open({ uvx: { command: join(bin, 'uvx'), args: ['mcp-server-fetch'], sandbox: { folders: [{ path: bin, access: 'read' }] } } }, { sandbox: sandbox() });
    const env = JSON.parse((await hub.callTool('uvx', 'env', {})).text) as Record<string, string>;
    expect(env.UV_CACHE_DIR).toBe(join(workDir('uvx'), '.cache', 'uv'));
  });
});

describe('python', () => {
  const SYSTEM_PATH = '/usr/local/bin:/usr/bin:/bin';
  const python = (env: Record<string, string> = {}): McpServerConfig => ({
    command: 'python3',
    args: [fixture('python-server.py')],
    env: { PATH: SYSTEM_PATH, ...env },
  });
  type Where = { cwd: string; tmpdir: string; python: string; read?: string; write?: string };
  const where = async (hub: ReturnType<typeof open>, server: string, args: Record<string, string> = {}) =>
    JSON.parse((await hub.callTool(server, 'where', args)).text) as Where;

  it('python3 from the system runs a server: its own folders work, the home does not', async () => {
    const secret = join(home, '.ssh', 'id_ed25519');
    mkdirSync(join(home, '.ssh'), { recursive: true });
    writeFileSync(secret, 'PRIVATE KEY');
    const hub = open({ py: python() }, { sandbox: sandbox() });
    expect((await hub.listTools('py')).map((t) => t.name)).toEqual(['where']);
    const seen = await where(hub, 'py', { read: secret, write: join(workDir('py'), 'notes.txt') });
    expect(seen.read).toMatch(/^denied:/);
    expect(seen.write).toBe('ok');
    expect(hub.status('py').sandbox).toEqual({ on: true });
  });

  it('a python3 installed by pyenv under the home runs: ~/.pyenv is readable like the npm cache', async () => {
    const shims = join(home, '.pyenv', 'shims');
    mkdirSync(shims, { recursive: true });
    // pyenv's shims are shell scripts that hand over to the interpreter it installed.
    writeFileSync(join(shims, 'python3'), '#!/bin/sh\nexec /usr/bin/python3 "$@"\n');
    chmodSync(join(shims, 'python3'), 0o755);
    const hub = open({ py: python({ PATH: shims }) }, { sandbox: sandbox() });
    expect((await where(hub, 'py')).python).toBe('/usr/bin/python3');
  });

  it('a Python server that dies reading a hidden file says which file, in plain words', async () => {
    const secret = join(dataDir, 'settings.json');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(secret, '{}');
    const hub = open({ py: python({ PY_READ_AT_START: secret }) }, { sandbox: sandbox() });
    await failure(hub.connect('py'));
    expect(hub.status('py').sandbox).toEqual({ on: true, denied: { action: 'read', path: secret } });
    expect(hub.status('py').lastError?.summary).toContain(`tried to read \`${secret}\``);
  });
});
