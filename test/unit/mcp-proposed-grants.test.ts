// The sandbox grant proposed for a pasted server (pure): what its config names that the sandbox
// would otherwise hide, and the registry a launcher's first download needs (a note, not proposed).
import { describe, expect, it } from 'vitest';
import { compactGrant, isWideFolder, proposeGrant } from '../../src-main/core/mcp-sandbox';

describe('proposeGrant', () => {
  it('proposes the filesystem server its folders read-write, and notes the npm registry', () => {
    expect(proposeGrant({ command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/me/docs', '/srv/shared/'] })).toEqual({
      grant: { folders: [{ path: '/home/me/docs', access: 'write' }, { path: '/srv/shared', access: 'write' }] },
      packageRegistry: ['registry.npmjs.org'],
    });
    // Installed, run by node: the same server, the script's folder not proposed (readable already).
    const script = '/usr/lib/node_modules/@modelcontextprotocol/server-filesystem/dist/index.js';
    expect(proposeGrant({ command: 'node', args: [script, '/home/me/docs'] })).toEqual({ grant: { folders: [{ path: '/home/me/docs', access: 'write' }] } });
  });

  it('proposes other servers their folders read-only, from arguments, option values and plain env values', () => {
    const proposal = proposeGrant({
      command: 'uvx',
      args: ['mcp-server-git', '--repository', '/home/me/project', '--cache=/var/cache/git-mcp'],
      env: { DATA_DIR: '/srv/data', TOKEN: { secret: 'token' }, DB: '/srv/data/notes.db' },
    });
    expect(proposal).toEqual({
      grant: {
        folders: [
          { path: '/home/me/project', access: 'read' },
          { path: '/var/cache/git-mcp', access: 'read' },
          { path: '/srv/data', access: 'read' },
        ],
      },
      packageRegistry: ['pypi.org', 'files.pythonhosted.org'],
    });
  });

  it('takes flags, files, path lists, relative and ~ paths for what they are: not folders', () => {
    expect(proposeGrant({ command: 'my-server', args: ['--verbose', '-y', '--read-only', 'docs', './data', '~/notes', '/etc/app/config.yaml'], env: { PATH: '/usr/bin:/bin', MODE: 'fast' } })).toEqual({ grant: {} });
  });

  it('leaves out what the sandbox shows anyway: the cwd, the script an interpreter runs and its folder', () => {
    expect(proposeGrant({ command: 'node', args: ['/opt/crm/index.js', '/opt/crm', '/opt/crm/data'], cwd: '/srv/crm', env: { HERE: '/srv/crm' } })).toEqual({ grant: {} });
    expect(proposeGrant({ command: 'python3', args: ['/opt/srv', '/opt/srv/static'] })).toEqual({ grant: {} });
    // The filesystem server must write there: readable is not enough.
    expect(proposeGrant({ command: 'npx', args: ['@modelcontextprotocol/server-filesystem', '/srv/crm'], cwd: '/srv/crm' })?.grant).toEqual({ folders: [{ path: '/srv/crm', access: 'write' }] });
  });

  it('proposes the hosts its URL values name (env and arguments), network none without any', () => {
    expect(proposeGrant({ command: 'node', args: ['/opt/crm/index.js'], env: { CRM_URL: 'https://crm.example.com/api', LOCAL: 'http://127.0.0.1:9000', NAME: 'shop' } })).toEqual({
      grant: { network: { hosts: ['127.0.0.1:9000', 'crm.example.com'] } },
    });
    expect(proposeGrant({ command: 'npx', args: ['-y', 'mcp-remote', 'https://mcp.example.com/sse'] })).toEqual({
      grant: { network: { hosts: ['mcp.example.com'] } },
      packageRegistry: ['registry.npmjs.org'],
    });
    expect(proposeGrant({ command: 'node', args: ['/opt/a.js'] })?.grant.network).toBeUndefined();
  });

  it('notes the registry for npx, npm exec and uvx only, never as a proposed host', () => {
    const registry = (command: string, args: string[]) => proposeGrant({ command, args })?.packageRegistry;
    expect(registry('npx', ['-y', '@modelcontextprotocol/server-memory'])).toEqual(['registry.npmjs.org']);
    expect(registry('/usr/local/bin/npx', ['x'])).toEqual(['registry.npmjs.org']);
    expect(registry('npm', ['exec', '--yes', 'x'])).toEqual(['registry.npmjs.org']);
    expect(registry('uvx', ['mcp-server-fetch'])).toEqual(['pypi.org', 'files.pythonhosted.org']);
    expect(registry('node', ['/opt/x/index.js'])).toBeUndefined();
    expect(registry('npm', ['start'])).toBeUndefined();
    expect(proposeGrant({ command: 'npx', args: ['x'] })?.grant).toEqual({});
    // Granted already by the pasted text: no note.
    expect(proposeGrant({ command: 'npx', args: ['x'], sandbox: { network: { hosts: ['registry.npmjs.org'] } } })).toEqual({ grant: { network: { hosts: ['registry.npmjs.org'] } } });
    expect(proposeGrant({ command: 'npx', args: ['x'], sandbox: { network: 'all' } })).toEqual({ grant: { network: 'all' } });
  });

  it('keeps a sandbox of the pasted text, merged with what is detected (its access wins)', () => {
    const proposal = proposeGrant({
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/me/docs', '/home/me/photos'],
      env: { API: 'https://api.example.com' },
      sandbox: { folders: [{ path: '/home/me/docs', access: 'read' }, { path: '.data', access: 'write' }], network: { hosts: ['cdn.example.com'] }, docker: true },
    });
    expect(proposal?.grant).toEqual({
      folders: [
        { path: '/home/me/docs', access: 'read' },
        { path: '.data', access: 'write' },
        { path: '/home/me/photos', access: 'write' },
      ],
      network: { hosts: ['cdn.example.com', 'api.example.com'] },
      docker: true,
    });
  });

  it('proposes Docker (the owner decides) for a docker command, not the folders the daemon mounts', () => {
    expect(proposeGrant({ command: 'docker', args: ['run', '-i', '--rm', '-v', '/home/me/docs:/docs', '--mount', 'type=bind,src=/srv,dst=/srv', 'mcp/filesystem', '/docs'] })).toEqual({ grant: { docker: true } });
  });

  it('marks a home folder or more as wide (offered unticked), not a folder inside one', () => {
    const wide = (...folders: string[]) => proposeGrant({ command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', ...folders] })?.wideFolders;
    expect(wide('/', '/home/ana', '/Users/ana/', '/root', '/home')).toEqual(['/', '/home/ana', '/Users/ana', '/root', '/home']);
    expect(wide('/home/ana/docs', '/srv/shop', '/Users/ana/Desktop', '/etc')).toBeUndefined();
    expect(['/home/ana/..', '/home/./ana'].map(isWideFolder)).toEqual([true, true]);
  });

  it('proposes nothing for a remote server', () => {
    expect(proposeGrant({ url: 'https://mcp.example.com/mcp', headers: { X: 'https://other.example.com' } })).toBeUndefined();
  });
});

describe('compactGrant', () => {
  it('drops the empty parts, so an empty choice is the default sandbox', () => {
    expect(compactGrant({ folders: [], network: 'none', docker: false })).toEqual({});
    expect(compactGrant({ folders: [{ path: '/a', access: 'read' }], network: { hosts: ['x.example'] }, docker: true })).toEqual({ folders: [{ path: '/a', access: 'read' }], network: { hosts: ['x.example'] }, docker: true });
  });
});
