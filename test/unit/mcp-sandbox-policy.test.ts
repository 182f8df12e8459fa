// The sandbox rules of a stdio server (pure) and the denial words read from its stderr (issue 19).
import { describe, expect, it } from 'vitest';
import { sandboxDenial, sandboxPolicy, scriptOf, type PolicyInput } from '../../src-main/core/mcp-sandbox';
import { suggestedHosts } from '../../src-main/shared/sandbox-hosts';

const input = (over: Partial<PolicyInput> = {}): PolicyInput => ({
  config: { command: 'node', args: ['/opt/crm/index.js'] },
  command: 'node',
  cwd: '/srv/bot',
  home: '/home/ana',
  dataDirs: ['/home/ana/.config/flowbot'],
  workDir: '/home/ana/.config/flowbot/mcp-servers/default/crm/work',
  tempDir: '/home/ana/.config/flowbot/mcp-servers/default/crm/tmp',
  systemTemp: '/tmp',
  runtimeDirs: ['/run/user/1000'],
  ...over,
});

describe('sandboxPolicy', () => {
  it('hides the home, the data folder, /tmp and the session bus; re-opens the install folder and package caches read-only; writes only its own folders; no network', () => {
    const p = sandboxPolicy(input());
    expect(p.denyRead).toEqual(['/home/ana', '/home/ana/.config/flowbot', '/tmp', '/run/user/1000']);
    expect(p.allowRead).toEqual(expect.arrayContaining(['/home/ana/.npm', '/home/ana/.cache/uv', '/home/ana/.cache/pip', '/srv/bot', '/opt/crm']));
    expect(p.allowWrite).toEqual([input().workDir, input().tempDir]);
    expect(p).toMatchObject({ network: 'none', unixSockets: false });
  });

  it("re-opens only the script's folder, never the folders around the server's other arguments (its data: granted or hidden)", () => {
    // server-filesystem given /srv/private/docs: /srv/private (its neighbours) must not become readable.
    const p = sandboxPolicy(input({ config: { command: 'node', args: ['/opt/fs/dist/index.js', '/srv/private/docs', '/tmp/other/notes'] } }));
    expect(p.allowRead).toContain('/opt/fs/dist');
    expect(p.allowRead).not.toContain('/srv/private');
    expect(p.allowRead).not.toContain('/tmp/other');
    // A launcher that is no interpreter (npx, docker) has no script argument at all.
    expect(scriptOf('npx', ['-y', '@modelcontextprotocol/server-filesystem', '/srv/private/docs'], '/srv/bot')).toBeUndefined();
    expect(scriptOf('/usr/bin/python3', ['-u', 'server.py', '/data'], '/srv/bot')).toBe('/srv/bot/server.py');
    expect(scriptOf('python3', ['-m', 'mcp_server_git'], '/srv/bot')).toBeUndefined();
  });

  it('never re-opens the home or the data folder as a whole (a server started in the home)', () => {
    const p = sandboxPolicy(input({ cwd: '/home/ana', config: { command: 'node', args: ['server.js'] } }));
    expect(p.allowRead).not.toContain('/home/ana');
    expect(p.allowRead).not.toContain('/');
  });

  it('grants: folders relative to the server folder, write folders inside a re-opened one stay writable, hosts, Docker', () => {
    const p = sandboxPolicy(input({
      config: { command: 'node', args: ['/opt/crm/index.js'], sandbox: { folders: [{ path: 'data', access: 'write' }, { path: '~/shared', access: 'read' }], network: { hosts: ['api.example.com'] }, docker: true } },
    }));
    expect(p.allowWrite).toContain('/srv/bot/data');
    expect(p.allowRead).toContain('/home/ana/shared');
    expect(p.denyRead).toContain('/srv/bot/data'); // mounted again, writable, after its read-only parent
    expect(p).toMatchObject({ network: { hosts: ['api.example.com'] }, unixSockets: true });
  });

  it('suggests the hosts of URL-valued variables', () => {
    expect(suggestedHosts({ API: 'https://api.example.com/v1', DB: 'postgres://db:5432', TOKEN: { secret: 't' }, N: '5', LOCAL: 'http://127.0.0.1:9000' })).toEqual(['127.0.0.1:9000', 'api.example.com']);
  });
});

describe('sandboxDenial', () => {
  const policy = sandboxPolicy(input());
  it('a hidden file it tried to read (Node and Python)', () => {
    expect(sandboxDenial("Error: ENOENT: no such file or directory, open '/home/ana/.ssh/id_rsa'", policy)).toEqual({ action: 'read', path: '/home/ana/.ssh/id_rsa' });
    expect(sandboxDenial("FileNotFoundError: [Errno 2] No such file or directory: '/home/ana/.aws/credentials'", policy)).toEqual({ action: 'read', path: '/home/ana/.aws/credentials' });
  });
  it('a write outside its folders', () => {
    expect(sandboxDenial("Error: EROFS: read-only file system, open '/srv/bot/out.txt'", policy)).toEqual({ action: 'write', path: '/srv/bot/out.txt' });
    expect(sandboxDenial("OSError: [Errno 30] Read-only file system: '/srv/bot/x'", policy)).toEqual({ action: 'write', path: '/srv/bot/x' });
  });
  it('a host it could not reach', () => {
    expect(sandboxDenial('Error: getaddrinfo EAI_AGAIN api.example.com', policy)).toEqual({ action: 'reach', host: 'api.example.com' });
  });
  it('a missing file outside the hidden folders is not the sandbox', () => {
    expect(sandboxDenial("Error: ENOENT: no such file or directory, open '/srv/bot/missing.json'", policy)).toBeUndefined();
  });
});
