// Health and readiness for a load balancer in front of several `flowbot serve` instances:
//   GET /healthz  200 while the process answers at all (liveness);
//   GET /readyz   200 when it can take messages: the database answers, its migrations are done,
//                 and it is not stopping; else 503 with the reason's code.
// No sign-in, no Host check (a balancer probes the instance's own address): so the answers say
// nothing but a status and a reason code, never a name, a path, an address or an error text.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type NotReadyReason = 'database_unreachable' | 'migrations_pending' | 'stopping';

export type Readiness = { ready: true } | { ready: false; reason: NotReadyReason };

export interface HealthChecks {
  /** Whether the instance can take messages now (bounded in time by the caller's check). */
  readiness(): Promise<Readiness>;
}

export const HEALTH_PATHS = ['/healthz', '/readyz'] as const;

/** Answers /healthz and /readyz (GET or HEAD); false for any other request. `stopping`: the host is closing. */
export async function answerHealth(request: IncomingMessage, response: ServerResponse, checks: HealthChecks | undefined, stopping: boolean): Promise<boolean> {
  const path = (request.url ?? '').split('?')[0];
  if (path !== '/healthz' && path !== '/readyz') return false;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    send(response, 405, { status: 'method_not_allowed' }, { Allow: 'GET, HEAD' });
    return true;
  }
  if (path === '/healthz') {
    send(response, 200, { status: 'alive' });
    return true;
  }
  let readiness: Readiness;
  if (stopping) readiness = { ready: false, reason: 'stopping' };
  else readiness = checks ? await checks.readiness().catch((): Readiness => ({ ready: false, reason: 'database_unreachable' })) : { ready: true };
  send(response, readiness.ready ? 200 : 503, readiness.ready ? { status: 'ready' } : { status: 'not_ready', reason: readiness.reason });
  return true;
}

function send(response: ServerResponse, status: number, body: Record<string, string>, extra: Record<string, string> = {}): void {
  const text = `${JSON.stringify(body)}\n`;
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...extra,
  });
  response.end(response.req.method === 'HEAD' ? undefined : text);
}
