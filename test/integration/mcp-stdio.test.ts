// The stdio MCP adapter against real servers: the example CRM and the failure fixtures.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMcpHub, INHERITED_ENV, McpServerError, type McpHub } from '../../src-main/adapters/mcp/mcp-hub';
import type { McpServerConfig } from '../../src-main/shared/workspace-config';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixture = (file: string) => `test/fixtures/mcp-servers/${file}`;

let dataDir: string;
const ports: McpHub[] = [];

function port(servers: Record<string, McpServerConfig>, extra: { defaultTimeoutMs?: number; startTimeoutMs?: number } = {}): McpHub {
  const mcp = createMcpHub({
    servers,
    cwd: root,
    resolveValue: async (value, where) => {
      if (typeof value === 'string') return value;
      if ('secret' in value) return `secret:${value.secret}`;
      const v = process.env[value.env];
      if (v === undefined) throw new Error(`${where}: environment variable ${value.env} is not set`);
      return v;
    },
    stop: { stdinGraceMs: 300, termGraceMs: 300 }, // fast tests; the defaults are 2 s each
    ...extra,
  });
  ports.push(mcp);
  return mcp;
}

async function failure(promise: Promise<unknown>): Promise<McpServerError> {
  const err = await promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(McpServerError);
  return err as McpServerError;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'flowbot-crm-'));
});
afterEach(async () => {
  await Promise.all(ports.splice(0).map((p) => p.close()));
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the example CRM server', () => {
  const crm = (): McpServerConfig => ({ command: 'node', args: ['examples/crm-server/index.js'], env: { CRM_DATA_DIR: dataDir } });

  it('lists its tools with titles and annotations', async () => {
    const tools = await port({ crm: crm() }).listTools('crm');
    expect(tools.map((t) => t.name).sort()).toEqual(
      ['book_appointment', 'create_ticket', 'get_order_status', 'search_customers', 'update_address'],
    );
    const status = tools.find((t) => t.name === 'get_order_status');
    expect(status).toMatchObject({ title: 'Get order status', annotations: { readOnlyHint: true } });
    expect(status?.inputSchema).toMatchObject({ type: 'object', required: ['orderId'] });
    expect(tools.find((t) => t.name === 'create_ticket')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
  });

  it('answers get_order_status, and reports an unknown order as a tool error', async () => {
    const mcp = port({ crm: crm() });
    const ok = await mcp.callTool('crm', 'get_order_status', { orderId: 'A100' });
    expect(ok.isError).toBe(false);
    expect(ok.structuredContent).toEqual({ orderId: 'A100', status: 'shipped', eta: '2025-06-03', customerId: 'c1' });
    expect(ok.text).toContain('A100 is shipped');

    const missing = await mcp.callTool('crm', 'get_order_status', { orderId: 'Z999' });
    expect(missing).toMatchObject({ isError: true, text: 'No order with id "Z999" was found.' });
  });

  it('create_ticket really changes crm.json on disk', async () => {
    const mcp = port({ crm: crm() });
    const result = await mcp.callTool('crm', 'create_ticket', { customerId: 'c2', subject: 'Broken pen', description: 'It leaks.', priority: 'high' });
    expect(result.isError).toBe(false);
    const { ticketId } = result.structuredContent as { ticketId: string };
    const db = JSON.parse(readFileSync(path.join(dataDir, 'crm.json'), 'utf8')) as { tickets: { id: string; subject: string; priority: string }[] };
    expect(db.tickets).toContainEqual(expect.objectContaining({ id: ticketId, subject: 'Broken pen', priority: 'high' }));
  });

  it('refuses a double booking', async () => {
    const mcp = port({ crm: crm() });
    const args = { customerId: 'c1', date: '2030-01-15', time: '10:30' };
    expect((await mcp.callTool('crm', 'book_appointment', args)).isError).toBe(false);
    const again = await mcp.callTool('crm', 'book_appointment', { ...args, customerId: 'c3' });
    expect(again.isError).toBe(true);
    expect(again.text).toContain('already booked');
  });

  it('shares one start between concurrent first calls', async () => {
    const mcp = port({ crm: crm() });
    const [a, b] = await Promise.all([mcp.listTools('crm'), mcp.callTool('crm', 'search_customers', { query: 'ANA' })]);
    expect(a.length).toBe(5);
    expect(b.text).toContain('c1: Ana Souza');
    expect(mcp.pid('crm')).toBeTypeOf('number');
  });
});

describe('failures', () => {
  it('names a command that does not exist', async () => {
    const err = await failure(port({ crm: { command: 'flowbot-no-such-command' } }).listTools('crm'));
    expect(err.kind).toBe('not_found');
    expect(err.message).toBe('MCP server "crm": the command "flowbot-no-such-command" was not found. Check mcpServers.crm.command.');
  });

  it('reports a server that exits at start, with its exit code and stderr', async () => {
    const err = await failure(port({ db: { command: 'node', args: [fixture('exits-at-start.js')] } }).callTool('db', 'x', {}));
    expect(err.kind).toBe('exited');
    expect(err.message).toContain('MCP server "db"');
    expect(err.message).toContain('exit code 3');
    expect(err.message).toContain('fatal: database unreachable');
  });

  it('times out a server that never finishes starting, and kills it', async () => {
    const script = 'process.stderr.write(`pid=${process.pid}`); setInterval(() => {}, 1000)';
    const mcp = port({ mute: { command: process.execPath, args: ['-e', script] } }, { startTimeoutMs: 300 });
    const err = await failure(mcp.listTools('mute'));
    expect(err.kind).toBe('start_timeout');
    expect(err.message).toContain('within 300 ms');
    const pid = Number(/pid=(\d+)/.exec(err.stderr ?? '')?.[1]);
    expect(pid).toBeGreaterThan(0);
    await mcp.close();
    expect(alive(pid)).toBe(false);
  });

  it('rejects unknown servers and url servers clearly', async () => {
    const mcp = port({ remote: { url: 'https://mcp.example.com/mcp' } });
    expect((await failure(mcp.listTools('nope'))).kind).toBe('unknown_server');
    const err = await failure(mcp.listTools('remote'));
    expect(err.kind).toBe('unsupported');
    expect(err.message).toBe('MCP server "remote": remote (url) servers are not supported yet');
  });

  describe('slow-tool', () => {
    const slow = (): McpServerConfig => ({ command: 'node', args: [fixture('slow-tool.js')] });

    it('times out a slow call, and the next call on the same server still works', async () => {
      const mcp = port({ x: slow() });
      const pid = (await mcp.callTool('x', 'ping', {}), mcp.pid('x'));
      const started = Date.now();
      const err = await failure(mcp.callTool('x', 'slow', {}, { timeoutMs: 500 }));
      expect(err.kind).toBe('timeout');
      expect(err.message).toBe('MCP server "x": tool "slow" did not answer within 500 ms');
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await mcp.callTool('x', 'ping', {})).toMatchObject({ isError: false, text: `pong\npid ${pid}` });
    });

    it('cancels a call when the caller aborts', async () => {
      const mcp = port({ x: slow() });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 200);
      const err = await failure(mcp.callTool('x', 'slow', {}, { signal: controller.signal }));
      expect(err.kind).toBe('cancelled');
    });

    it('returns a tool error as isError, not as an exception', async () => {
      const result = await port({ x: slow() }).callTool('x', 'fail', {});
      expect(result).toMatchObject({ isError: true, text: 'upstream rejected the request' });
    });

    it('fails an in-flight call promptly when the server crashes, then starts it again', async () => {
      const mcp = port({ x: slow() });
      await mcp.callTool('x', 'ping', {});
      const first = mcp.pid('x');
      const err = await failure(mcp.callTool('x', 'crash', {}, { timeoutMs: 30_000 }));
      expect(err.kind).toBe('exited');
      expect(err.message).toContain('exit code 7');
      expect(err.message).toContain('panic: lost connection to upstream');
      expect((await mcp.callTool('x', 'ping', {})).isError).toBe(false);
      expect(mcp.pid('x')).not.toBe(first);
    });
  });

  it('gives a server only the minimal environment plus its declared variables', async () => {
    // The sentinel, plus variables the SDK's own default environment would pass on.
    const sentinels = { FLOWBOT_TEST_LEAK: 'must-not-leak', TERM: 'xterm', SHELL: '/bin/sh', LOGNAME: 'someone' };
    const saved = Object.fromEntries(Object.keys(sentinels).map((k) => [k, process.env[k]]));
    Object.assign(process.env, sentinels);
    try {
      const mcp = port({
        env: { command: 'node', args: [fixture('prints-env.js')], env: { DECLARED_PLAIN: 'plain', DECLARED_SECRET: { secret: 'crm-token' } } },
      });
      const env = JSON.parse((await mcp.callTool('env', 'env', {})).text) as Record<string, string>;
      expect(env.DECLARED_PLAIN).toBe('plain');
      expect(env.DECLARED_SECRET).toBe('secret:crm-token');
      expect(env.FLOWBOT_TEST_LEAK).toBeUndefined();
      const allowed = new Set<string>([...INHERITED_ENV, 'DECLARED_PLAIN', 'DECLARED_SECRET']);
      expect(Object.keys(env).filter((k) => !allowed.has(k))).toEqual([]);
      expect(env.PATH).toBe(process.env.PATH);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('close() ends every server process', async () => {
    const mcp = port({
      a: { command: 'node', args: [fixture('slow-tool.js')] },
      b: { command: 'node', args: ['examples/crm-server/index.js'], env: { CRM_DATA_DIR: dataDir } },
    });
    await Promise.all([mcp.callTool('a', 'ping', {}), mcp.listTools('b')]);
    const pids = [mcp.pid('a'), mcp.pid('b')];
    expect(pids.every((p) => typeof p === 'number')).toBe(true);
    void mcp.callTool('a', 'slow', {}).catch(() => {}); // a call in flight must not keep it alive
    await mcp.close();
    for (const pid of pids) expect(alive(pid!)).toBe(false);
    expect((await failure(mcp.listTools('a'))).kind).toBe('closed');
  });
});
