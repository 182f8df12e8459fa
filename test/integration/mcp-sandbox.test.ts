// Issue 19: every stdio server runs in an OS sandbox (bubblewrap through
// @anthropic-ai/sandbox-runtime). A hostile server tries to read the studio's data (every bot),
// ~/.ssh, to reach the session bus and the keychain through it, to write outside its folders and
// to reach hosts it was not granted; it reports what it managed. Real processes, a real
// dbus-daemon with gnome-keyring's Secret Service on it, a real HTTP server on 127.0.0.1.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HubSandbox } from '../../src-main/adapters/mcp/mcp-hub';
import type { SandboxGrant } from '../../src-main/shared/workspace-config';
import { consentText } from '../../src-main/shared/consent-texts';
import { failure, fixture, hubFactory, node, processesWith, root, waitFor } from '../fixtures/mcp-servers/harness';

const { open, closeAll } = hubFactory();
afterEach(closeAll);

let dir: string;
let home: string;
let dataDir: string;
let busAddress: string;
let busSocket: string;
let port: number;
let otherPort: number;
const children: ChildProcess[] = [];
const servers: Server[] = [];
const savedBus = process.env.DBUS_SESSION_BUS_ADDRESS;

const write = (file: string, text: string) => {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
};

function httpServer(body: string): Promise<number> {
  const server = createServer((_req, res) => res.end(body));
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** Starts a program and resolves with its first stdout line. */
function firstLine(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!.trim());
    });
    child.once('exit', (code) => reject(new Error(`${command} exited (${code}) before printing`)));
  });
}

const keychainAnswers = () =>
  spawnSync('gdbus', ['call', '--session', '--dest', 'org.freedesktop.secrets', '--object-path', '/org/freedesktop/secrets', '--method', 'org.freedesktop.Secret.Service.SearchItems', "{'service': 'flowbot'}"], {
    env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: busAddress },
  }).status === 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowbot-sandbox-'));
  home = join(dir, 'home');
  dataDir = join(dir, 'studio-data');
  write(join(home, '.ssh', 'x'), 'SSH-PRIVATE-KEY');
  write(join(dataDir, 'flowbot.db'), 'CONVERSATIONS');
  write(join(dataDir, 'settings.json'), '{"llm":"API-KEY"}');
  write(join(dataDir, 'bots', 'clinic', 'notes.txt'), 'ANOTHER BOT');
  write(join(dir, 'granted-read', 'file.txt'), 'GRANTED');
  // A session bus of our own, with the Secret Service (gnome-keyring) on it: the keychain.
  busSocket = join(dir, 'run', 'bus');
  mkdirSync(join(dir, 'run'));
  // The bus starts gnome-keyring (org.freedesktop.secrets) on the first call, its keyrings in dir.
  // Its own keyring daemon, not the one `npm test` started for the other tests (found through
  // GNOME_KEYRING_CONTROL or XDG_RUNTIME_DIR, it would take the call and never join this bus).
  const { GNOME_KEYRING_CONTROL: _outerKeyring, ...outer } = process.env;
  busAddress = await firstLine('dbus-daemon', ['--session', `--address=unix:path=${busSocket}`, '--nofork', '--print-address'], {
    ...outer,
    XDG_DATA_HOME: join(dir, 'keyring'),
    XDG_RUNTIME_DIR: join(dir, 'run'),
  });
  await waitFor(keychainAnswers, 'the Secret Service on the test bus');
  // The studio's own session bus is this one: its folder is hidden from servers.
  process.env.DBUS_SESSION_BUS_ADDRESS = busAddress;
  port = await httpServer('HELLO FROM THE GRANTED HOST');
  otherPort = await httpServer('HELLO FROM ANOTHER HOST');
});

afterAll(async () => {
  if (savedBus === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
  else process.env.DBUS_SESSION_BUS_ADDRESS = savedBus;
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  rmSync(dir, { recursive: true, force: true });
});

const sandbox = (): HubSandbox => ({ settings: { dataDirs: [dataDir], workRoot: join(dataDir, 'mcp-servers', 'shop'), home } });
const workDir = (server: string) => join(dataDir, 'mcp-servers', 'shop', server, 'work');
const url = (p: number) => `http://127.0.0.1:${p}/`;

function hostile(grant: SandboxGrant | undefined, plan: Record<string, unknown>) {
  return { ...node('hostile-server.js'), env: { HOSTILE_PLAN: JSON.stringify(plan) }, ...(grant ? { sandbox: grant } : {}) };
}

const attackPlan = () => ({
  reads: [join(dataDir, 'flowbot.db'), join(dataDir, 'settings.json'), join(dataDir, 'bots', 'clinic', 'notes.txt'), join(home, '.ssh', 'x'), join(dir, 'granted-read', 'file.txt')],
  writes: [join(dataDir, 'flowbot.db'), fixture('.hostile-was-here'), join(workDir('x'), 'own.txt'), join(dir, 'granted-write', 'out.txt')],
  dbusSocket: busSocket,
  dbusAddress: busAddress,
  urls: [url(port), url(otherPort)],
});

const attack = (hub: ReturnType<typeof open>) => attackOn(hub, 'x');

async function attackOn(hub: ReturnType<typeof open>, server: string) {
  const result = await hub.callTool(server, 'attack', {});
  return JSON.parse(result.text) as {
    reads: Record<string, string>;
    writes: Record<string, string>;
    dbus: string;
    keychain: string;
    http: Record<string, string>;
    proxied: Record<string, string>;
    temp: { dir: string; before: string; write: string };
  };
}

describe('without the sandbox (the hub as it was): the hostile server gets everything', () => {
  it('reads every bot, ~/.ssh, talks to the keychain, writes anywhere, reaches any host', async () => {
    const hub = open({ x: hostile(undefined, attackPlan()) });
    const r = await attack(hub);
    expect(r.reads[join(dataDir, 'flowbot.db')]).toBe('ok:CONVERSATIONS');
    expect(r.reads[join(home, '.ssh', 'x')]).toBe('ok:SSH-PRIVATE-KEY');
    expect(r.dbus).toBe('ok');
    expect(r.keychain).toMatch(/^ok:/);
    expect(r.http[url(otherPort)]).toBe('ok:HELLO FROM ANOTHER HOST');
    expect(r.writes[fixture('.hostile-was-here')]).toBe('ok');
    rmSync(fixture('.hostile-was-here'), { force: true });
    write(join(dataDir, 'flowbot.db'), 'CONVERSATIONS');
  });
});

describe('sandboxed', () => {
  it('network none: every attempt is denied; its own work folder, temp folder and granted folders work', async () => {
    mkdirSync(workDir('x'), { recursive: true });
    const hub = open({ x: hostile({ folders: [{ path: join(dir, 'granted-read'), access: 'read' }, { path: join(dir, 'granted-write'), access: 'write' }] }, attackPlan()) }, { sandbox: sandbox() });
    const r = await attack(hub);
    // The studio's data (this bot's database, the settings, another bot's files) and ~/.ssh: not there.
    for (const p of [join(dataDir, 'flowbot.db'), join(dataDir, 'settings.json'), join(dataDir, 'bots', 'clinic', 'notes.txt'), join(home, '.ssh', 'x')]) {
      expect(r.reads[p], p).toMatch(/^denied:/);
    }
    expect(r.reads[join(dir, 'granted-read', 'file.txt')]).toBe('ok:GRANTED');
    // Writes: the data folder is an empty scratch space inside (the real file is untouched), the
    // rest of the machine is read-only; its own folder and the granted folder are written.
    expect(readFileSync(join(dataDir, 'flowbot.db'), 'utf8')).toBe('CONVERSATIONS');
    expect(r.writes[fixture('.hostile-was-here')]).toBe('denied:EROFS');
    expect(existsSync(fixture('.hostile-was-here'))).toBe(false);
    expect(r.writes[join(workDir('x'), 'own.txt')]).toBe('ok');
    expect(readFileSync(join(workDir('x'), 'own.txt'), 'utf8')).toBe('hostile was here\n');
    expect(readFileSync(join(dir, 'granted-write', 'out.txt'), 'utf8')).toBe('hostile was here\n');
    // The session bus and the keychain behind it: unreachable.
    expect(r.dbus).toMatch(/^denied:/);
    expect(r.keychain).toMatch(/^denied:/);
    // No network at all: neither host, directly or through a proxy.
    for (const u of [url(port), url(otherPort)]) {
      expect(r.http[u], u).toMatch(/^denied:/);
      expect(r.proxied[u], u).toMatch(/^denied:/);
    }
    expect(hub.status('x').sandbox).toEqual({ on: true });
  });

  it('a granted host is reachable (through the sandbox proxy); another host is not; nothing is left running', async () => {
    const bridgesBefore = new Set(processesWith('claude-'));
    const hub = open({ x: hostile({ network: { hosts: [`127.0.0.1:${port}`] } }, { urls: [url(port), url(otherPort)], reads: [join(home, '.ssh', 'x')] }) }, { sandbox: sandbox() });
    const r = await attack(hub);
    expect(r.proxied[url(port)]).toBe('ok:HELLO FROM THE GRANTED HOST');
    expect(r.proxied[url(otherPort)]).toMatch(/^denied:HTTP 403/);
    expect(r.http[url(port)]).toMatch(/^denied:/); // only through the proxy
    expect(r.reads[join(home, '.ssh', 'x')]).toMatch(/^denied:/);
    // The sandbox (bwrap), its srt and srt's socat bridges run while the server does...
    const marker = join(dataDir, 'mcp-servers');
    expect(processesWith(marker).length).toBeGreaterThan(0);
    expect(processesWith('claude-').filter((p) => !bridgesBefore.has(p)).length).toBeGreaterThan(0);
    // ...and none is left after it stopped.
    await hub.close();
    await waitFor(() => processesWith(marker).length === 0 && processesWith('claude-').every((p) => bridgesBefore.has(p)), 'no sandbox or proxy process left');
  });

  it('two processes of one server keep their own temp folders; each is removed when its process is gone', async () => {
    // Left by a studio that was killed (its pid is gone): removed at the next start.
    const abandoned = join(tmpdir(), 'flowbot-mcp-99999999-Ab12');
    write(join(abandoned, 'tmp', 'old.txt'), 'LEFT BEHIND');
    const first = open({ notes: hostile(undefined, { tempNote: true }) }, { sandbox: sandbox() });
    const a1 = (await attackOn(first, 'notes')).temp;
    expect(a1.before).toMatch(/^denied:ENOENT/);
    expect(a1.write).toBe('ok');
    expect(existsSync(abandoned)).toBe(false);
    // The same server started again on the same data folder (`flowbot mcp tools` while the studio
    // runs it; a replacement process before the old one ends) gets a folder of its own...
    const second = open({ notes: hostile(undefined, { tempNote: true }) }, { sandbox: sandbox() });
    const b1 = (await attackOn(second, 'notes')).temp;
    expect(b1.dir).not.toBe(a1.dir);
    expect(b1.before).toMatch(/^denied:ENOENT/);
    // ...and the first one's note is still there.
    expect((await attackOn(first, 'notes')).temp.before).toBe('ok:hostile was here\n');
    expect(existsSync(a1.dir) && existsSync(b1.dir)).toBe(true);
    await first.close();
    await second.close();
    await waitFor(() => !existsSync(a1.dir) && !existsSync(b1.dir), 'both temp folders removed');
  });

  it('a server that fails because of the sandbox says so in plain words, with what to grant', async () => {
    const ssh = join(home, '.ssh', 'x');
    const hub = open({ x: hostile(undefined, { failAtStart: ssh }) }, { sandbox: sandbox() });
    const err = await failure(hub.connect('x'));
    const status = hub.status('x');
    expect(status.lastError?.summary).toBe(`It tried to read \`${ssh}\`: not allowed in the sandbox. Grant the folder on the server's card if it needs it.`);
    expect(status.sandbox).toEqual({ on: true, denied: { action: 'read', path: ssh } });
    // The caller's error carries the card's headline (a refused simulation names the denial too).
    expect(err.summaryText).toEqual([{ key: 'serverFailure.sandboxRead', params: { path: ssh } }]);
    expect(err.summaryText).toEqual(status.lastError?.summaryText);

    const hub2 = open({ x: hostile(undefined, { writeAtStart: join(root, 'written-by-server.txt') }) }, { sandbox: sandbox() });
    await failure(hub2.connect('x'));
    expect(hub2.status('x').sandbox).toEqual({ on: true, denied: { action: 'write', path: join(root, 'written-by-server.txt') } });
    expect(existsSync(join(root, 'written-by-server.txt'))).toBe(false);
  });
});

describe('where no sandbox can be made', () => {
  const notInstalled = consentText('sandbox.unavailable.missing', { programs: ['bubblewrap'] });
  const none: HubSandbox['support'] = { available: false, reason: notInstalled };

  it('refuses to start a stdio server, saying why and how to allow it', async () => {
    const hub = open({ x: hostile(undefined, {}) }, { sandbox: { ...sandbox(), support: none } });
    const err = await failure(hub.connect('x'));
    expect(err.message).toBe(
      'MCP server "x" cannot be sandboxed here (bubblewrap not installed (Debian/Ubuntu: apt-get install bubblewrap socat ripgrep)). Run it unsandboxed only if you trust it: add --allow-unsandboxed.',
    );
    expect(hub.pid('x')).toBeUndefined();
  });

  it('runs it unsandboxed when allowed, and the status says so', async () => {
    const hub = open({ x: hostile(undefined, {}) }, { sandbox: { ...sandbox(), support: none, allowUnsandboxed: true } });
    await hub.connect('x');
    expect(hub.status('x').sandbox).toEqual({ on: false, reason: 'bubblewrap not installed (Debian/Ubuntu: apt-get install bubblewrap socat ripgrep)', reasonText: notInstalled });
  });
});
