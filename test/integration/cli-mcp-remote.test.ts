// Remote and token-protected MCP servers through the real CLI and the composition root:
// a Streamable HTTP server behind OAuth2 client credentials (a real token endpoint on
// 127.0.0.1), and a stdio server that receives its access token in an env variable.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpMcpServer, type HttpMcpServer } from '../fixtures/http-mcp-server';
import { startTokenServer, type TokenServer } from '../fixtures/oauth/token-server';
import { runCli } from '../support/cli-process';
import { flow, flowText, line, n } from '../unit/flow-builders';

const SECRET = 'cs-7f3a9e1b-remote-secret';
let dir: string;
let tokens: TokenServer;
let remote: HttpMcpServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowbot-remote-'));
  tokens = await startTokenServer({ clientId: 'flowbot', clientSecret: SECRET, lifetimeSeconds: 300 });
  remote = await startHttpMcpServer({ auth: { issuer: tokens.issuer, jwksUrl: tokens.jwksUrl, isRevoked: tokens.isRevoked } });
  process.env.FLOWBOT_TEST_REMOTE_SECRET = SECRET; // {"env": ...}: how CI passes secrets
  process.env.FLOWBOT_TEST_WRONG_SECRET = 'not-the-secret';
});
afterAll(async () => {
  await remote.stop();
  await tokens.stop();
  rmSync(dir, { recursive: true, force: true });
});

const auth = (secretEnv: string) => ({ type: 'oauth2', tokenUrl: tokens.tokenUrl, clientId: 'flowbot', clientSecret: { env: secretEnv } });
function config(name: string, servers: Record<string, unknown>): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ mcpServers: servers }));
  return path;
}

describe('remote and token-protected MCP servers', () => {
  it('lists the tools of an OAuth2-protected HTTP server; the token travels only in the header', async () => {
    const cfg = config('remote.json', { remote: { url: remote.url, auth: auth('FLOWBOT_TEST_REMOTE_SECRET'), tools: { whoami: 'read' } } });
    const { code, events, stderr } = await runCli(['mcp', 'tools', '--config', cfg, '--data-dir', join(dir, 'data'), '--json']);
    expect(code, stderr).toBe(0);
    const [server] = (events[0] as unknown as { servers: { name: string; status: string; tools: { name: string }[] }[] }).servers;
    expect(server).toMatchObject({ name: 'remote', status: 'ok' });
    expect(server!.tools.map((t) => t.name)).toEqual(expect.arrayContaining(['whoami', 'echo']));
    expect(tokens.issued.length).toBeGreaterThan(0);
    expect(remote.seen.filter((r) => r.status === 'passed').every((r) => /^Bearer /.test(r.authorization ?? ''))).toBe(true);
    expect(remote.seen.some((r) => /token|secret/i.test(r.url))).toBe(false);
  });

  it('a wrong client secret is reported for that server, without the secret', async () => {
    const cfg = config('wrong.json', { remote: { url: remote.url, auth: auth('FLOWBOT_TEST_WRONG_SECRET') } });
    const { code, events, stderr } = await runCli(['mcp', 'tools', '--config', cfg, '--data-dir', join(dir, 'data'), '--json']);
    expect(code).toBe(1);
    const [server] = (events[0] as unknown as { servers: { status: string; error: string }[] }).servers;
    expect(server!.status).toBe('error');
    expect(server!.error).toMatch(/MCP server "remote": the token endpoint .* rejected the client id or secret \(invalid_client\)/);
    expect(JSON.stringify(events) + stderr).not.toContain('not-the-secret');
  });

  it('a stdio server gets its access token in the declared env variable; the token is masked in everything we print', async () => {
    const cfg = config('stdio.json', {
      tokened: {
        command: process.execPath,
        args: [resolve('test/fixtures/mcp-servers/reports-token.js'), 'API_TOKEN'],
        auth: { ...auth('FLOWBOT_TEST_REMOTE_SECRET'), tokenEnv: 'API_TOKEN' },
        tools: { whoami: 'read' },
      },
    });
    const flowFile = join(dir, 'whoami.flow.json');
    writeFileSync(flowFile, flowText(flow(
      [n.start(), n.tool('who', { server: 'tokened', tool: 'whoami', saveAs: 'me' }), n.message('m', 'token: {{me.token}}'), n.end()],
      line('start', 'who', 'm', 'end'),
      { id: 'whoami' },
    )));
    const { code, events, stderr } = await runCli(['chat', flowFile, '--config', cfg, '--data-dir', join(dir, 'data'), '--json']);
    expect(code, stderr).toBe(0);
    const call = events.find((e) => e.type === 'tool_call') as { status: string; result: { token: string } } | undefined;
    expect(call?.status).toBe('executed');
    // The server really received a token from our token endpoint, and we never show it.
    expect(call!.result.token).toBe('[secret]');
    expect(tokens.issued.length).toBeGreaterThan(1);
    expect(events).toContainEqual(expect.objectContaining({ type: 'bot_message', text: 'token: [secret]' }));
  });
});
