// The loopback web host against a temp data dir: access control (the token as a WebSocket
// subprotocol, never a cookie; Host, Origin, loopback only), static files, and the API over its
// WebSocket with the real service.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CONTENT_SECURITY_POLICY } from '../../src-main/app/renderer-assets';
import { startWebHost, type WebHost } from '../../src-main/web/web-host';

const TEMPLATES = join(import.meta.dirname, '../../flows');

let root: string;
let dataDir: string;
let rendererDir: string;
let host: WebHost;
const logged: unknown[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'flowbot-web-host-'));
  dataDir = join(root, 'data');
  // A fixture renderer: the tests do not depend on the editor's build.
  rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Flowbot Studio</title><script type="module" src="/assets/app.js"></script>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("app");');
  writeFileSync(join(root, 'secret.txt'), 'outside the renderer');
  symlinkSync(join(root, 'secret.txt'), join(rendererDir, 'assets', 'link.txt'));
  host = await startWebHost({ dataDir, rendererDir, templatesDir: TEMPLATES, log: (...args) => logged.push(args) });
});

afterAll(async () => {
  await host?.close();
  rmSync(root, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request (node:http sends the path and Host exactly as given). */
function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: host.port, path, method, headers: { Host: `127.0.0.1:${host.port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The subprotocols the page offers: the API's own and its access token. */
const withToken = (token = host.token): string[] => ['flowbot-api', `flowbot-token.${token}`];

type Frame = { id?: number | null; ok?: boolean; output?: any; error?: { code: string; message: string }; event?: string; payload?: any };

class Client {
  private nextId = 1;
  private waiting = new Map<number, (frame: Frame) => void>();
  readonly unmatched: Frame[] = [];
  readonly events: Frame[] = [];
  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      if (frame.event !== undefined) return void this.events.push(frame);
      const resolve = typeof frame.id === 'number' ? this.waiting.get(frame.id) : undefined;
      if (resolve) {
        this.waiting.delete(frame.id as number);
        resolve(frame);
      } else this.unmatched.push(frame);
    });
  }
  call(method: string, input?: unknown): Promise<Frame> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.socket.send(JSON.stringify({ id, method, input }));
    });
  }
  /** The output of a call that must succeed. */
  async ok(method: string, input?: unknown): Promise<any> {
    const reply = await this.call(method, input);
    if (!reply.ok) throw new Error(`${method} failed: ${JSON.stringify(reply.error)}`);
    return reply.output;
  }
  /** The next frame that answers no pending call (replies to malformed frames). */
  async nextUnmatched(): Promise<Frame> {
    for (let i = 0; i < 200 && this.unmatched.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const frame = this.unmatched.shift();
    if (!frame) throw new Error('no reply');
    return frame;
  }
  close() {
    this.socket.close();
  }
}

function connect(options: { protocols?: string[]; cookie?: string; query?: string; origin?: string | null; hostHeader?: string; path?: string } = {}): Promise<Client> {
  const path = options.path ?? '/api';
  const headers: Record<string, string> = {};
  if (options.cookie) headers.Cookie = options.cookie;
  if (options.hostHeader) headers.Host = options.hostHeader;
  const origin = options.origin === undefined ? `http://127.0.0.1:${host.port}` : options.origin;
  const socket = new WebSocket(`ws://127.0.0.1:${host.port}${path}${options.query ?? ''}`, options.protocols ?? withToken(), {
    headers,
    ...(origin !== null ? { origin } : {}),
  });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(new Client(socket)));
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += String(c)));
      res.on('end', () => reject(Object.assign(new Error(`HTTP ${res.statusCode}: ${body.trim()}`), { status: res.statusCode })));
    });
    socket.once('error', reject);
  });
}

describe('access', () => {
  it('prints a loopback URL with a 32-byte token in the fragment (never sent in a request)', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`);
    expect(Buffer.from(host.token, 'base64url')).toHaveLength(32);
  });

  it('serves the page and its assets (they hold no data) without a token and sets no cookie; the API needs the token', async () => {
    for (const path of ['/', '/index.html', '/assets/app.js', `/?token=${host.token}`]) {
      const reply = await get(path);
      expect(reply.status, path).toBe(200);
      expect(reply.headers['set-cookie'], path).toBeUndefined();
    }
    expect((await get('/')).body).toContain('<title>Flowbot Studio</title>');
    const asset = await get('/assets/app.js');
    expect(asset.body).toBe('console.log("app");');
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get('/nope')).status).toBe(404);
    await expect(connect({ protocols: [] })).rejects.toMatchObject({ status: 403 });
    await expect(connect({ protocols: ['flowbot-api'] })).rejects.toMatchObject({ status: 403, message: expect.stringContaining('open the full address with #token=') });
  });

  it('refuses a wrong token, a token without the API protocol, two tokens, and the token in the query', async () => {
    for (const token of ['wrong', host.token.slice(0, -1), `${host.token}x`, '']) {
      await expect(connect({ protocols: withToken(token) }), token).rejects.toMatchObject({ status: 403 });
    }
    await expect(connect({ protocols: [`flowbot-token.${host.token}`] })).rejects.toMatchObject({ status: 403 });
    await expect(connect({ protocols: [...withToken(), 'flowbot-token.other'] })).rejects.toMatchObject({ status: 403 });
    await expect(connect({ protocols: ['flowbot-api'], query: `?token=${host.token}` })).rejects.toMatchObject({ status: 403 });
  });

  it('no cookie opens the API: the old access cookie alone is refused (cookies reach every port of the machine)', async () => {
    for (const name of [`flowbot_studio_${host.port}`, 'flowbot_studio']) {
      await expect(connect({ protocols: ['flowbot-api'], cookie: `${name}=${host.token}` }), name).rejects.toMatchObject({ status: 403 });
      await expect(connect({ protocols: [], cookie: `${name}=${host.token}` }), name).rejects.toMatchObject({ status: 403 });
    }
  });

  it('sends the same CSP as the desktop app, nosniff and no referrer', async () => {
    for (const path of ['/', '/assets/app.js']) {
      const reply = await get(path);
      expect(reply.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
      expect(reply.headers['referrer-policy']).toBe('no-referrer');
      expect(reply.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('refuses a spoofed Host header, page and API, even with the token (DNS rebinding)', async () => {
    for (const hostHeader of ['evil.example', `evil.example:${host.port}`, `127.0.0.1:${host.port + 1}`, '127.0.0.1', `localhost.evil:${host.port}`, `0.0.0.0:${host.port}`]) {
      const reply = await get('/', { Host: hostHeader });
      expect(reply.status, hostHeader).toBe(403);
      expect(reply.body).toContain(`answers only to http://127.0.0.1:${host.port}/`);
      expect(reply.body.length).toBeLessThan(200);
      await expect(connect({ hostHeader })).rejects.toMatchObject({ status: 403 });
    }
    expect((await get('/', { Host: `LOCALHOST:${host.port}` })).status).toBe(200);
  });

  it('opens the WebSocket only for our own Origin, with the token, answering with the API protocol only', async () => {
    for (const origin of [null, 'https://evil.example', `http://127.0.0.1:${host.port + 1}`, 'null', `http://localhost:${host.port}`]) {
      await expect(connect({ origin }), String(origin)).rejects.toMatchObject({ status: 403 });
    }
    const viaToken = await connect();
    expect(viaToken.socket.protocol).toBe('flowbot-api');
    expect(await viaToken.ok('templates.list', {})).toHaveProperty('templates');
    viaToken.close();
    const viaLocalhost = await connect({ hostHeader: `localhost:${host.port}`, origin: `http://localhost:${host.port}` });
    viaLocalhost.close();
    await expect(connect({ path: '/other' })).rejects.toMatchObject({ status: 404 });
  });

  it('listens on 127.0.0.1 only and refuses any other host option', async () => {
    for (const other of ['0.0.0.0', '::', 'localhost', '192.168.1.10', '::1']) {
      await expect(startWebHost({ dataDir, rendererDir, host: other }), other).rejects.toThrow(
        new RegExp(`listens on 127\\.0\\.0\\.1 only.*"${other.replace(/[.:]/g, '\\$&')}"`),
      );
    }
    // Every address of this machine other than 127.0.0.1 (link-local IPv6 needs a scope id).
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && a.address !== '127.0.0.1' && !a.address.startsWith('fe80'))
      .map((a) => a!.address);
    for (const address of others) {
      const error = await new Promise<unknown>((resolve) => {
        const req = httpRequest({ host: address, port: host.port, path: '/', timeout: 2000 }, () => resolve(null));
        req.on('error', resolve);
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.end();
      });
      expect(error, address).toMatchObject({ code: 'ECONNREFUSED' });
    }
  });

  it('refuses a port in use and a renderer that is not built, clearly', async () => {
    await expect(startWebHost({ dataDir, rendererDir, port: host.port })).rejects.toThrow(`The port ${host.port} on 127.0.0.1 is in use`);
    await expect(startWebHost({ dataDir, rendererDir: join(root, 'missing') })).rejects.toThrow(/The editor is not built: .*index\.html is missing/);
    await expect(startWebHost({ dataDir, rendererDir, port: 70000 })).rejects.toThrow(/whole number from 0 to 65535/);
  });
});

describe('static files', () => {
  it('never serves files outside the renderer, lists no folders, and only GETs', async () => {
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/..%5csecret.txt', '/assets/link.txt', '/%00', '/%E0%A4%A']) {
      const reply = await get(path);
      expect(reply.status, path).toBe(404);
      expect(reply.body).not.toContain('outside the renderer');
    }
    for (const path of ['/assets', '/assets/']) {
      const reply = await get(path);
      expect(reply.status, path).toBe(404);
      expect(reply.body).not.toContain('app.js');
    }
    expect((await get('/', {}, 'POST')).status).toBe(405);
    expect((await get('/api')).status).toBe(426);
    const head = await get('/assets/app.js', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });
});

describe('API over the WebSocket', () => {
  let client: Client;
  beforeAll(async () => {
    client = await connect();
  });
  afterAll(() => client.close());

  it('answers a wrong payload with INVALID_INPUT and a clear message; the connection stays usable', async () => {
    const wrong = await client.call('flows.save', {
      flow: { schemaVersion: 1, id: 'x', name: 'X', edges: [], nodes: [{ id: 's', type: 'ask', position: { x: 0, y: 0 }, data: { question: 1, answer: { kind: 'text' } } }] },
    });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: 'flows.save: input.flow.nodes[0].data.question: expected text' } });

    client.socket.send('this is not json');
    expect(await client.nextUnmatched()).toMatchObject({ id: null, ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/^The frame is not JSON/) } });
    client.socket.send(JSON.stringify({ id: 'seven', method: 'flows.list' }));
    expect(await client.nextUnmatched()).toMatchObject({ id: null, ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('frame.id: expected a number') } });
    client.socket.send(JSON.stringify({ id: 99, input: {} }));
    expect(await client.nextUnmatched()).toMatchObject({ id: 99, ok: false, error: { message: expect.stringContaining('frame.method: missing') } });
    client.socket.send(JSON.stringify([1, 2]));
    expect((await client.nextUnmatched()).error?.code).toBe('INVALID_INPUT');
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    expect((await client.nextUnmatched()).error?.message).toContain('JSON text');

    expect(await client.call('flows.nuke', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD', message: 'Unknown API method "flows.nuke".' } });
    expect(await client.call('flows.get', { id: 'nothing-here' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await client.ok('flows.list', {})).toEqual({ flows: [], broken: [] });
  });

  it('does flows CRUD: create blank, save, list, get, duplicate, rename, delete + restore, import/export', async () => {
    const created = await client.ok('flows.create', { name: 'Order help' });
    expect(created).toMatchObject({ id: 'order-help', name: 'Order help', file: join(dataDir, 'flows', 'order-help.flow.json'), errorCount: 0 });
    const doc = await client.ok('flows.get', { id: 'order-help' });
    expect(doc).toMatchObject({ ok: true, flow: { id: 'order-help', nodes: [{ id: 'start', type: 'start' }], edges: [] } });

    // Save: a message step, connected. Autosave passes the updatedAt it last saw.
    const flow = {
      ...doc.flow,
      nodes: [
        ...doc.flow.nodes,
        { id: 'hi', type: 'message', position: { x: 0, y: 100 }, data: { text: 'Hello {{contact.name}}' } },
        { id: 'bye', type: 'end', position: { x: 0, y: 200 }, data: { text: 'Bye' } },
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'hi' },
        { id: 'e2', source: 'hi', sourceHandle: 'next', target: 'bye' },
      ],
    };
    const saved = await client.ok('flows.save', { flow, expectedUpdatedAt: doc.updatedAt });
    expect(saved.problems).toEqual([]);
    const onDisk = readFileSync(join(dataDir, 'flows', 'order-help.flow.json'), 'utf8');
    expect(JSON.parse(onDisk)).toEqual(flow);
    expect(onDisk).toContain('\n  "nodes": [\n');
    expect(await client.call('flows.save', { flow, expectedUpdatedAt: doc.updatedAt - 1000 })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await client.call('flows.save', { flow: { ...flow, id: 'not-created' } })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    const copy = await client.ok('flows.duplicate', { id: 'order-help' });
    expect(copy).toMatchObject({ id: 'order-help-copy', name: 'Order help (copy)' });
    const renamed = await client.ok('flows.rename', { id: 'order-help-copy', name: 'Returns' });
    expect(renamed).toMatchObject({ id: 'order-help-copy', name: 'Returns' });
    const second = await client.ok('flows.create', { name: 'Order help' });
    expect(second.id).toBe('order-help-2');

    const listed = await client.ok('flows.list', {});
    expect(listed.flows.map((f: { id: string; name: string }) => [f.id, f.name])).toEqual([
      ['order-help', 'Order help'],
      ['order-help-2', 'Order help'],
      ['order-help-copy', 'Returns'],
    ]);
    expect(listed.broken).toEqual([]);

    const { restoreToken } = await client.ok('flows.delete', { id: 'order-help-copy' });
    expect((await client.ok('flows.list', {})).flows).toHaveLength(2);
    expect(await client.call('flows.get', { id: 'order-help-copy' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await client.ok('flows.restore', { restoreToken })).toMatchObject({ id: 'order-help-copy', name: 'Returns' });
    expect(await client.call('flows.restore', { restoreToken })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    const exported = await client.ok('flows.export', { id: 'order-help' });
    expect(exported).toEqual({ fileName: 'order-help.flow.json', text: onDisk });
    const imported = await client.ok('flows.import', { fileName: 'C:\\Users\\me\\order-help.flow.json', text: exported.text });
    expect(imported).toMatchObject({ id: 'order-help-3', name: 'Order help' });
    expect((await client.ok('flows.get', { id: 'order-help-3' })).flow).toEqual({ ...flow, id: 'order-help-3' });
    const bad = await client.call('flows.import', { fileName: 'notes.flow.json', text: '{"schemaVersion": 1,' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/^flows\.import: notes\.flow\.json is not a flow file .*line 1/) } });

    // The events every window hears.
    await new Promise((r) => setTimeout(r, 50));
    const changedIds = client.events.filter((e) => e.event === 'flows.changed').map((e) => e.payload.id);
    expect(changedIds).toEqual(expect.arrayContaining(['order-help', 'order-help-copy', 'order-help-2', 'order-help-3']));
  });

  it('creates from a template and lists the templates', async () => {
    const { templates } = await client.ok('templates.list', {});
    expect(templates.map((t: { id: string }) => t.id)).toEqual(['faq', 'order-status', 'support-ticket']);
    const created = await client.ok('flows.create', { name: 'My support', templateId: 'support-ticket' });
    expect(created).toMatchObject({ id: 'my-support', name: 'My support' });
    const doc = await client.ok('flows.get', { id: 'my-support' });
    const template = JSON.parse(readFileSync(join(TEMPLATES, 'support-ticket.flow.json'), 'utf8'));
    expect(doc.flow.nodes).toEqual(template.nodes);
    expect(doc.flow.$schema).toBeUndefined();
    // Without the CRM server configured, its tools are unknown: the problems say so.
    expect(doc.problems.length).toBeGreaterThan(0);
    expect(await client.call('flows.create', { name: 'X', templateId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'There is no template "nope". Templates: faq, order-status, support-ticket.' },
    });
  });

  it('lists a broken flow file with its problem, refuses to save over it, and leaves its bytes alone', async () => {
    const file = join(dataDir, 'flows', 'broken.flow.json');
    const bytes = Buffer.from('{\n  "schemaVersion": 1,\n  "id": "broken",\n  "name": "Broken",\n  "nodes": [\n', 'utf8');
    writeFileSync(file, bytes);
    const { broken } = await client.ok('flows.list', {});
    expect(broken).toEqual([{ id: 'broken', file, problems: [expect.objectContaining({ code: 'FLOW_JSON_INVALID', severity: 'error', message: expect.stringContaining('broken.flow.json line') })] }]);
    const doc = await client.ok('flows.get', { id: 'broken' });
    expect(doc).toMatchObject({ ok: false, file, text: bytes.toString('utf8') });

    const flow = { schemaVersion: 1, id: 'broken', name: 'Broken', nodes: [{ id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} }], edges: [] };
    const refused = await client.call('flows.save', { flow });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('broken.flow.json on disk is not a valid flow') } });
    expect(await client.call('flows.rename', { id: 'broken', name: 'Fixed' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(await client.ok('flows.export', { id: 'broken' })).toEqual({ fileName: 'broken.flow.json', text: bytes.toString('utf8') });
    const { restoreToken } = await client.ok('flows.delete', { id: 'broken' });
    expect(await client.ok('flows.restore', { restoreToken })).toMatchObject({ id: 'broken', errorCount: 1 });
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('validates unsaved flows, keeps settings, and lists configured MCP servers awaiting the owner\'s approval', async () => {
    const problems = (await client.ok('flows.validate', { flow: { schemaVersion: 1, id: 'v', name: 'V', nodes: [], edges: [] } })).problems;
    expect(problems.map((p: { code: string }) => p.code)).toContain('FLOW_NO_START');
    expect((await client.ok('flows.validate', { flow: 'nope' })).problems[0]).toMatchObject({ code: 'FLOW_SCHEMA_INVALID' });

    expect(await client.ok('settings.get', {})).toEqual({ config: { mcpServers: {} } });
    const config = {
      llm: { provider: 'ollama', model: 'qwen3:4b' },
      mcpServers: { crm: { command: 'node', args: ['crm.js'], env: { TOKEN: { secret: 'crm-token' } }, tools: { get_order_status: 'read' } } },
    };
    expect((await client.ok('settings.save', { config })).savedAt).toEqual(expect.any(Number));
    expect(await client.ok('settings.get', {})).toEqual({ config });
    const stored = JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8'));
    expect(stored.bots.default.workspace).toEqual(config);
    expect(await client.call('settings.save', { config: { mcpServers: { crm: { command: '' } } } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await client.ok('mcp.catalog', {})).toEqual({
      servers: [{ name: 'crm', status: 'consent_required', consent: 'new', command: 'node crm.js [env: TOKEN=<keychain secret crm-token>]', commandText: expect.any(Object), tools: [] }],
    });
  });

  it('reports settings someone broke on disk by file and field', async () => {
    const file = join(dataDir, 'settings.json');
    const before = readFileSync(file, 'utf8');
    writeFileSync(file, JSON.stringify({ bots: { default: { workspace: { mcpServers: { crm: { command: 7 } } } } } }));
    const reply = await client.call('settings.get', {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('bots.default.workspace.mcpServers.crm.command: expected text') } });
    expect(reply.error?.message).toContain(file);
    writeFileSync(file, before);
  });

  it('closes only the connection that sends an oversized frame; the host keeps serving', async () => {
    const other = await connect();
    const closed = new Promise<number>((resolve) => other.socket.once('close', (code) => resolve(code)));
    other.socket.send(JSON.stringify({ id: 1, method: 'flows.import', input: { fileName: 'x', text: 'x'.repeat(17 * 1024 * 1024) } }));
    expect(await closed).toBe(1009);
    expect(await client.ok('templates.list', {})).toHaveProperty('templates');
  });

  it('tells every connected window about changes made elsewhere', async () => {
    const other = await connect();
    await other.ok('flows.create', { name: 'From another tab' });
    for (let i = 0; i < 100 && !client.events.some((e) => e.payload?.id === 'from-another-tab'); i++) await new Promise((r) => setTimeout(r, 10));
    expect(client.events).toContainEqual({ event: 'flows.changed', payload: { id: 'from-another-tab' } });
    other.close();
  });

  it('notices flow files changed on disk by other programs', async () => {
    writeFileSync(join(dataDir, 'flows', 'from-git.flow.json'), JSON.stringify({ schemaVersion: 1, id: 'from-git', name: 'G', nodes: [], edges: [] }));
    for (let i = 0; i < 200 && !client.events.some((e) => e.payload?.id === 'from-git'); i++) await new Promise((r) => setTimeout(r, 10));
    expect(client.events).toContainEqual({ event: 'flows.changed', payload: { id: 'from-git' } });
  });

  it('logged no unexpected errors', () => {
    expect(logged.filter((entry) => !String((entry as unknown[])[0]).startsWith('WebSocket error'))).toEqual([]);
  });
});

describe('close', () => {
  it('stops listening', async () => {
    const extra = await startWebHost({ dataDir: join(root, 'other-data'), rendererDir, templatesDir: TEMPLATES });
    expect((await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: extra.port, path: '/', headers: { Host: `127.0.0.1:${extra.port}` } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    }))).toBe(200);
    await extra.close();
    await extra.close();
    const error = await new Promise<unknown>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port: extra.port, path: '/', agent: false }, () => resolve(null));
      req.on('error', resolve);
      req.end();
    });
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
  });
});
