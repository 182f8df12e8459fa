// Issue 19: launchers keep working in the OS sandbox. `npx -y` downloads the server into the
// server's own work folder (the owner's npm cache is read-only inside), runs it with no network
// once it is there, and a first download the network grant does not allow fails at once, in
// plain words naming the registry to grant. Real npm, real bubblewrap; no public registry: the
// package is a tarball packed from test/fixtures/npx-package. `docker run` needs the Docker
// socket: only the explicit, flagged `docker` grant opens Unix sockets (a stand-in daemon here).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HubSandbox } from '../../src-main/adapters/mcp/mcp-hub';
import type { McpServerConfig } from '../../src-main/shared/workspace-config';
import { failure, hubFactory, node, root } from '../fixtures/mcp-servers/harness';

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
