// The MCP server form of the settings screen (pure): what it saves, which values go to the
// keychain, what it asks to fix, and that editing a saved server keeps what the form does not show.
import { describe, expect, it } from 'vitest';
import { configOf, emptyForm, formOf, formSuggestedHosts, newFolder, newRow, withHost, type ServerForm } from '../../src-renderer/ui/settings/server-form';

const form = (patch: Partial<ServerForm>): ServerForm => ({ ...emptyForm(), name: 'crm', ...patch });

describe('server form', () => {
  it('a program: one argument per line, plain and secret variables (the secret goes to the keychain, the config names it)', () => {
    const out = configOf(
      form({
        command: 'node',
        args: 'crm-server/index.js\n--data dir with spaces\n',
        rows: [
          { ...newRow('plain'), name: 'CRM_DATA_DIR', value: '/srv/crm' },
          { ...newRow('secret'), name: 'CRM_TOKEN', value: 't0ken-value' },
          { ...newRow('env'), name: 'REGION', value: 'CRM_REGION' },
          { ...newRow('plain'), name: '', value: '' },
        ],
      }),
    );
    expect(out).toEqual({
      server: {
        command: 'node',
        args: ['crm-server/index.js', '--data dir with spaces'],
        env: { CRM_DATA_DIR: '/srv/crm', CRM_TOKEN: { secret: 'CRM_TOKEN' }, REGION: { env: 'CRM_REGION' } },
      },
      secrets: [{ name: 'CRM_TOKEN', value: 't0ken-value' }],
    });
  });

  it('a remote server with a secret header and OAuth2 client credentials', () => {
    const out = configOf(
      form({
        kind: 'url',
        url: 'https://mcp.example.com/mcp',
        rows: [{ ...newRow('secret'), name: 'X-Api-Key', value: 'header-secret' }],
        oauth: true,
        tokenUrl: 'https://auth.example.com/token',
        clientId: 'flowbot',
        clientSecret: 'client-secret-value',
        oauthScope: 'tickets:write',
      }),
    );
    expect(out).toEqual({
      server: {
        url: 'https://mcp.example.com/mcp',
        headers: { 'X-Api-Key': { secret: 'X-Api-Key' } },
        auth: { type: 'oauth2', tokenUrl: 'https://auth.example.com/token', clientId: 'flowbot', clientSecret: { secret: 'client-secret' }, scope: 'tickets:write' },
      },
      secrets: [
        { name: 'X-Api-Key', value: 'header-secret' },
        { name: 'client-secret', value: 'client-secret-value' },
      ],
    });
  });

  it('editing keeps stored secrets (an empty field means "keep"), the timeout and the resource indicator', () => {
    const saved = {
      command: 'node',
      args: ['s.js'],
      env: { TOKEN: { secret: 'api-token' } },
      auth: { type: 'oauth2' as const, tokenUrl: 'https://a.example/t', clientId: 'c', clientSecret: { secret: 'cs' }, resource: 'https://r.example', tokenEnv: 'ACCESS' },
      timeoutMs: 5000,
      tools: { x: 'read' as const },
    };
    const edited = formOf('svc', saved);
    expect(edited).toMatchObject({ name: 'svc', kind: 'stdio', args: 's.js', clientSecretName: 'cs', clientSecretExisting: true, tokenEnv: 'ACCESS' });
    expect(edited.rows[0]).toMatchObject({ name: 'TOKEN', mode: 'secret', secretName: 'api-token', existing: true, value: '' });
    expect(configOf(edited, saved)).toEqual({
      server: {
        command: 'node',
        args: ['s.js'],
        env: { TOKEN: { secret: 'api-token' } },
        auth: { type: 'oauth2', tokenUrl: 'https://a.example/t', clientId: 'c', clientSecret: { secret: 'cs' }, resource: 'https://r.example', tokenEnv: 'ACCESS' },
        timeoutMs: 5000,
      },
      secrets: [],
    });
  });

  it('says what to fix', () => {
    expect(configOf(form({ command: '' }))).toEqual({ problem: 'Command must not be empty.' });
    expect(configOf(form({ kind: 'url', url: 'not a url' }))).toEqual({ problem: 'Address (URL) is not a valid address (like https://…).' });
    expect(configOf(form({ command: 'node', rows: [{ ...newRow('secret'), name: 'TOKEN', value: '' }] }))).toEqual({ problem: 'Enter the secret value of “TOKEN” (it goes to the OS keychain).' });
    expect(configOf(form({ command: 'node', rows: [{ ...newRow('plain'), name: '', value: 'x' }] }))).toEqual({ problem: 'A variable has a value but no name.' });
    const twice = [{ ...newRow('plain'), name: 'A', value: '1' }, { ...newRow('plain'), name: 'A', value: '2' }];
    expect(configOf(form({ command: 'node', rows: twice }))).toEqual({ problem: '“A” is listed twice.' });
    expect(configOf(form({ command: 'node', oauth: true, tokenUrl: 'https://a.example/t', clientId: 'c' }))).toEqual({ problem: 'Enter the OAuth2 client secret (it goes to the OS keychain).' });
  });

  it('the sandbox grant: folders (read, read and write), only some hosts, Docker; round-trips through editing', () => {
    const out = configOf(
      form({
        command: 'npx',
        args: '-y\n@modelcontextprotocol/server-filesystem\n/srv/shop',
        folders: [newFolder('/srv/shop', 'write'), newFolder('~/catalogue', 'read'), newFolder('  ')],
        network: 'hosts',
        hosts: 'api.example.com\n\n*.example.org, api.example.com',
        docker: true,
      }),
    );
    const sandbox = { folders: [{ path: '/srv/shop', access: 'write' }, { path: '~/catalogue', access: 'read' }], network: { hosts: ['api.example.com', '*.example.org'] }, docker: true };
    expect(out).toEqual({ server: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/srv/shop'], sandbox }, secrets: [] });
    if (!('server' in out)) throw new Error('no server');
    const edited = formOf('fs', out.server);
    expect(edited).toMatchObject({ network: 'hosts', hosts: 'api.example.com\n*.example.org', docker: true });
    expect(edited.folders.map((f) => [f.path, f.access])).toEqual([['/srv/shop', 'write'], ['~/catalogue', 'read']]);
    expect(configOf(edited, out.server)).toEqual({ server: out.server, secrets: [] });
  });

  it('no grant is saved when nothing beyond the default is asked (no network, no folders); the whole network is kept', () => {
    expect(configOf(form({ command: 'node', network: 'none' }))).toEqual({ server: { command: 'node' }, secrets: [] });
    expect(configOf(form({ command: 'node', network: 'all' }))).toEqual({ server: { command: 'node', sandbox: { network: 'all' } }, secrets: [] });
    // A remote server has no sandbox: the fields of a stdio form are not carried over.
    expect(configOf(form({ kind: 'url', url: 'https://mcp.example.com/mcp', network: 'all', folders: [newFolder('/x')] }))).toEqual({ server: { url: 'https://mcp.example.com/mcp' }, secrets: [] });
  });

  it('suggests the hosts of its URL variables not granted yet, and adds one with a click', () => {
    const f = form({ command: 'node', rows: [{ ...newRow('plain'), name: 'CRM_URL', value: 'http://127.0.0.1:9000/api' }, { ...newRow('plain'), name: 'API', value: 'https://api.example.com' }, { ...newRow('secret'), name: 'T', value: 'https://hidden.example' }] });
    expect(formSuggestedHosts(f)).toEqual(['127.0.0.1:9000', 'api.example.com']);
    const one = withHost(f, 'api.example.com');
    expect(one).toMatchObject({ network: 'hosts', hosts: 'api.example.com' });
    expect(formSuggestedHosts(one)).toEqual(['127.0.0.1:9000']);
    expect(formSuggestedHosts(withHost(one, '127.0.0.1:9000'))).toEqual([]);
    expect(formSuggestedHosts({ ...f, network: 'all' })).toEqual([]);
  });

  it('says what to fix in the grant', () => {
    expect(configOf(form({ command: 'node', network: 'hosts', hosts: ' \n' }))).toEqual({ problem: 'Name at least one host the server may reach, or choose “No network”.' });
    expect(configOf(form({ command: 'node', folders: [newFolder('/a'), newFolder('/a', 'write')] }))).toEqual({ problem: 'The folder “/a” is listed twice.' });
  });
});
