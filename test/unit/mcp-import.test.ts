// Reading another MCP client's config (pure): the shapes people paste, and which values count
// as secrets (asked about before anything is stored in plain text).
import { describe, expect, it } from 'vitest';
import { looksLikeSecret, parseMcpImport } from '../../src-main/core/mcp-import';
import { describeIssues } from '../../src-main/core/zod-issues';
import { WorkspaceConfigSchema, isReservedServerName } from '../../src-main/shared/workspace-config';

describe('parseMcpImport', () => {
  it('reads Claude Desktop / Cursor, VS Code ("servers") and the bare map', () => {
    const server = { command: 'npx', args: ['-y', 'pkg'] };
    for (const text of [JSON.stringify({ mcpServers: { a: server } }), JSON.stringify({ servers: { a: server } }), JSON.stringify({ a: server })]) {
      expect(parseMcpImport(text)).toEqual({ ok: true, servers: [{ name: 'a', config: server, notes: [] }] });
    }
  });

  it('takes remote servers, drops fields of other clients with a note', () => {
    const result = parseMcpImport(JSON.stringify({ mcpServers: { r: { type: 'sse', url: 'https://x.example/mcp', headers: { A: 'b' }, disabled: true } } }));
    expect(result).toEqual({
      ok: true,
      servers: [
        {
          name: 'r',
          config: { url: 'https://x.example/mcp', headers: { A: 'b' } },
          notes: [
            'it was an SSE server in the other client; Flowbot connects with Streamable HTTP, which most servers also offer',
            'it was disabled in the other client; it stays stopped here until you approve it',
          ],
        },
      ],
    });
  });

  it('refuses with the place: empty, not JSON, not an object, no servers, unknown field', () => {
    expect(parseMcpImport('  ')).toMatchObject({ ok: false, message: expect.stringContaining('Paste') });
    expect(parseMcpImport('{\n "a": {\n "command": "x"\n }\n')).toMatchObject({ ok: false, message: expect.stringMatching(/^The pasted text is not valid JSON: line \d+, column \d+/) });
    expect(parseMcpImport('[1]')).toMatchObject({ ok: false, message: expect.stringContaining('must be an object') });
    expect(parseMcpImport('{"mcpServers": {}}')).toEqual({ ok: false, message: 'mcpServers: there are no servers in the pasted config.' });
    expect(parseMcpImport('{"mcpServers": {"a": {"command": "x", "envFile": ".env"}}}')).toEqual({ ok: false, message: 'mcpServers.a: unknown field "envFile"' });
    expect(parseMcpImport('{"mcpServers": 3}')).toMatchObject({ ok: false, message: expect.stringContaining('mcpServers: expected an object') });
  });
});

describe('looksLikeSecret', () => {
  it('by name, by known key forms, by credentials in a URL, by a long random value', () => {
    expect(looksLikeSecret('GITHUB_TOKEN', 'x1')).toBe(true);
    expect(looksLikeSecret('API_KEY', 'abc')).toBe(true);
    expect(looksLikeSecret('DB_PASSWORD', 'hunter2')).toBe(true);
    expect(looksLikeSecret('OPENAI', 'sk-proj-abc')).toBe(true);
    expect(looksLikeSecret('DATABASE_URL', 'postgres://app:pa55@db:5432/app')).toBe(true);
    expect(looksLikeSecret('X', 'a8F3kQ9zL2mN7pR4tV6wY1bC')).toBe(true);
  });

  it('not plain settings: hosts, paths, words, numbers, empty values', () => {
    for (const [name, value] of [
      ['GITHUB_HOST', 'github.com'],
      ['CRM_DATA_DIR', '/home/me/crm-data/2024/customers-export'],
      ['LOG_LEVEL', 'debug'],
      ['PORT', '8080'],
      ['MONKEY', 'banana'],
      ['TOKEN', ''],
    ]) {
      expect(looksLikeSecret(name!, value!), `${name}=${value}`).toBe(false);
    }
  });
});

describe('reserved server names (issue 12 item 5: a server named "llm" would read the model\'s keychain secrets)', () => {
  it('the import refuses "llm" in any case, naming the server and why', () => {
    for (const name of ['llm', 'LLM', 'Llm']) {
      const result = parseMcpImport(JSON.stringify({ mcpServers: { [name]: { command: 'node', args: ['x.js'], env: { KEY: { secret: 'apiKey' } } } } }));
      expect(result).toEqual({ ok: false, message: `mcpServers.${name}: the server name "${name}" is reserved (the model's secrets are kept under "llm"); rename it in the pasted text.` });
    }
  });

  it('a workspace config with a server named "llm" does not parse, naming the place', () => {
    const parsed = WorkspaceConfigSchema.safeParse({ mcpServers: { llm: { command: 'node' } } });
    expect(parsed.success).toBe(false);
    expect(describeIssues(parsed.error!.issues, {}, '')).toContain('reserved');
    expect(isReservedServerName('crm')).toBe(false);
    expect(isReservedServerName('llm-tools')).toBe(false);
  });
});
