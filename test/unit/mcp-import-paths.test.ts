// Which values of a pasted server config are paths relative to a folder the text does not name,
// and how they are resolved once the owner names it.
import { describe, expect, it } from 'vitest';
import { relativePathsOf, resolveRelativePaths } from '../../src-main/core/mcp-import-paths';

describe('relativePathsOf', () => {
  it('finds path-like arguments, a command with a path, a relative cwd and env values like ".crm-data"', () => {
    expect(relativePathsOf({ command: 'node', args: ['crm-server/index.js'], env: { CRM_DATA_DIR: '.crm-data', MODE: 'fast' } })).toEqual([
      { where: 'args[0]', value: 'crm-server/index.js' },
      { where: 'env.CRM_DATA_DIR', value: '.crm-data' },
    ]);
    expect(relativePathsOf({ command: './bin/server', args: ['--config=./conf.json', 'server.py', 'data/'] })).toEqual([
      { where: 'command', value: './bin/server' },
      { where: 'args[0]', value: '--config=./conf.json' },
      { where: 'args[1]', value: 'server.py' },
      { where: 'args[2]', value: 'data/' },
    ]);
    expect(relativePathsOf({ command: 'python', args: ['x.py'], cwd: 'servers' })).toEqual([
      { where: 'cwd', value: 'servers' },
      { where: 'args[0]', value: 'x.py' },
    ]);
  });

  it('leaves alone what is not a relative path: bare commands, npm packages, docker images, flags, URLs, absolute paths, an absolute cwd', () => {
    expect(relativePathsOf({ command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/me/docs'] })).toEqual([]);
    expect(relativePathsOf({ command: 'docker', args: ['run', '-i', '--rm', 'ghcr.io/github/github-mcp-server'] })).toEqual([]);
    expect(relativePathsOf({ command: 'uvx', args: ['mcp-server-fetch', 'https://example.com/a.json', 'C:\\srv\\x.js', '~/x.js'] })).toEqual([]);
    expect(relativePathsOf({ command: 'node', args: ['index.js'], cwd: '/srv/crm', env: { D: './data' } })).toEqual([]);
    expect(relativePathsOf({ url: 'https://mcp.example.com/mcp' })).toEqual([]);
  });
});

describe('resolveRelativePaths', () => {
  it('makes the paths absolute and runs the server in the folder', () => {
    expect(resolveRelativePaths({ command: './bin/server', args: ['-v', '--config=./conf.json', 'crm/index.js'], env: { D: '.data' } }, '/home/me/project')).toEqual({
      command: '/home/me/project/bin/server',
      args: ['-v', '--config=/home/me/project/conf.json', '/home/me/project/crm/index.js'],
      env: { D: '.data' },
      cwd: '/home/me/project',
    });
    expect(resolveRelativePaths({ command: 'node', args: ['x.js'], cwd: 'sub' }, '/p')).toEqual({ command: 'node', args: ['/p/sub/x.js'], cwd: '/p/sub' });
    expect(resolveRelativePaths({ command: 'node', args: ['s.js'] }, 'C:\\Users\\me')).toEqual({ command: 'node', args: ['C:\\Users\\me\\s.js'], cwd: 'C:\\Users\\me' });
    const untouched = { command: 'npx', args: ['-y', 'pkg'] };
    expect(resolveRelativePaths(untouched, '/p')).toBe(untouched);
  });
});
