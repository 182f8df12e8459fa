// /healthz and /readyz for a load balancer (web/health-routes.ts) over a real node:http server:
// alive always; ready only when the database answers, migrations are done and the host is not
// stopping; the answers carry a status and a reason code, nothing more.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerHealth, type Readiness } from '../../src-main/web/health-routes';

let server: Server;
let origin: string;
let readiness: () => Promise<Readiness> = async () => ({ ready: true });
let stopping = false;

beforeAll(async () => {
  server = createServer((request, response) => {
    void answerHealth(request, response, { readiness: () => readiness() }, stopping).then((answered) => {
      if (!answered) response.writeHead(404).end('other route');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const get = async (path: string, method = 'GET') => {
  const response = await fetch(`${origin}${path}`, { method });
  return { status: response.status, body: method === 'HEAD' ? '' : await response.text() };
};

describe('health and readiness', () => {
  it('says alive, and ready when the checks pass', async () => {
    expect(await get('/healthz')).toEqual({ status: 200, body: '{"status":"alive"}\n' });
    expect(await get('/readyz')).toEqual({ status: 200, body: '{"status":"ready"}\n' });
    expect((await get('/readyz', 'HEAD')).status).toBe(200);
  });

  it('is not ready, with only a reason code, when the database fails (its error text stays inside)', async () => {
    readiness = () => Promise.reject(new Error('password authentication failed for user "flowbot" at 10.0.0.5'));
    expect(await get('/readyz')).toEqual({ status: 503, body: '{"status":"not_ready","reason":"database_unreachable"}\n' });
    readiness = async () => ({ ready: false, reason: 'migrations_pending' });
    expect(await get('/readyz?verbose=1')).toEqual({ status: 503, body: '{"status":"not_ready","reason":"migrations_pending"}\n' });
    expect((await get('/healthz')).status).toBe(200); // alive all the same: a balancer must not restart it for that
  });

  it('is not ready while stopping', async () => {
    readiness = async () => ({ ready: true });
    stopping = true;
    expect(await get('/readyz')).toEqual({ status: 503, body: '{"status":"not_ready","reason":"stopping"}\n' });
    stopping = false;
  });

  it('answers only GET and HEAD, and leaves every other path alone', async () => {
    expect((await get('/readyz', 'POST')).status).toBe(405);
    expect(await get('/healthz/x')).toEqual({ status: 404, body: 'other route' });
  });
});
