// What the owner decides when the web host is reached from other machines (`flowbot serve`),
// checked before anything listens. Off loopback the host is safe only when the browser talks
// TLS to it: either the host's own (`tls`: a certificate and key in PEM files) or a reverse
// proxy's that terminates TLS in front of it (`behindProxy`). Plain HTTP off loopback is refused.
// `publicHosts` are the names the browser uses; a request for any other Host is refused, so a
// DNS name an attacker points at this machine (DNS rebinding) reaches nothing.
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { isIP } from 'node:net';
import { InputError } from '../../app/input-error';
import type { LoginLimits } from './login-limiter';
import type { SessionPolicy } from './sessions';

export interface RemoteAccessOptions {
  /**
   * The names the browser uses: "studio.example.com", or with a port "studio.example.com:8443"
   * (then only that port). At least one. Other Host headers are refused.
   */
  publicHosts: readonly string[];
  /** Serve HTTPS with this certificate chain and private key (PEM files; TLS 1.2 or newer). */
  tls?: { certFile: string; keyFile: string };
  /**
   * A reverse proxy in front terminates TLS and forwards plain HTTP to this host. Requests are
   * then taken only from `trustedProxies`, and only their X-Forwarded-Proto (must be https) and
   * X-Forwarded-For (its last address: the client the proxy saw) are believed.
   */
  behindProxy?: boolean;
  /** The proxy's addresses (exact IPs; default 127.0.0.1 and ::1: a proxy on the same machine). */
  trustedProxies?: readonly string[];
  /** Session lifetimes (default idle 2 hours, at most 24 hours). */
  session?: Partial<SessionPolicy>;
  /** Failed sign-in limits (default 10 per address and 100 overall per 15 minutes). */
  loginLimits?: Partial<LoginLimits>;
  /** The clock (ms since the epoch; tests move it). */
  now?: () => number;
  /** Every sign-in attempt and sign-out, and refused requests (default: a line to the host's log). */
  onAccessEvent?: (event: AccessEvent) => void;
}

export type AccessEvent =
  | { type: 'sign-in'; outcome: 'success' | 'failure' | 'rate-limited'; address: string; limit?: 'address' | 'overall' | 'busy' }
  | { type: 'sign-in'; outcome: 'refused'; address: string; reason: string }
  | { type: 'sign-out'; address: string }
  | { type: 'refused'; address: string; reason: string };

/** A public host entry: a name (or IP literal) in lower case, and its port when one was given. */
export interface PublicHost {
  name: string;
  port?: number;
}

const DEFAULT_TRUSTED_PROXIES = ['127.0.0.1', '::1'] as const;
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** "name", "name:port", "[v6]" or "[v6]:port" split and lower-cased, or null when not that shape. */
export function splitHost(text: string): PublicHost | null {
  const lower = text.trim().toLowerCase();
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(lower);
  if (!match) return null;
  const name = match[1] as string;
  const bare = name.startsWith('[') ? name.slice(1, -1) : name;
  if (name.startsWith('[') ? isIP(bare) !== 6 : !(HOST_NAME.test(name) || isIP(name) === 4)) return null;
  if (match[2] === undefined) return { name };
  const port = Number(match[2]);
  return port >= 1 && port <= 65535 ? { name, port } : null;
}

/** Whether a Host header names one of the public hosts. */
export function isPublicHost(hostHeader: string | undefined, hosts: readonly PublicHost[]): boolean {
  if (hostHeader === undefined) return false;
  const given = splitHost(hostHeader);
  if (given === null) return false;
  return hosts.some((h) => h.name === given.name && (h.port === undefined || h.port === given.port));
}

/** The IPs a request may come from behind a proxy, IPv4-mapped IPv6 written as IPv4. */
export const normalizeAddress = (address: string | undefined): string => (address ?? '').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1').toLowerCase();

export interface CheckedRemoteOptions {
  publicHosts: PublicHost[];
  tls?: { cert: Buffer; key: Buffer };
  behindProxy: boolean;
  trustedProxies: ReadonlySet<string>;
}

/** Everything checked and the certificate read: each problem an InputError that says what to change. */
export function checkRemoteOptions(options: RemoteAccessOptions): CheckedRemoteOptions {
  if (!Array.isArray(options.publicHosts) || options.publicHosts.length === 0) {
    throw new InputError('Give the name the browser uses to reach the studio (--public-host studio.example.com): requests for any other name are refused.');
  }
  const publicHosts = options.publicHosts.map((text) => {
    const host = splitHost(String(text));
    if (host === null) throw new InputError(`"${String(text)}" is not a host name (like studio.example.com or studio.example.com:8443, without https:// or a path).`);
    return host;
  });
  const behindProxy = options.behindProxy === true;
  if (options.tls && behindProxy) {
    throw new InputError('Choose one: a certificate (--tls-cert/--tls-key) when the studio serves HTTPS itself, or --behind-proxy when a reverse proxy in front of it does.');
  }
  if (!options.tls && !behindProxy) {
    throw new InputError(
      'The studio is not served over plain HTTP to other machines: the password and your settings would cross the network readable. ' +
        'Give a certificate (--tls-cert FILE --tls-key FILE), or --behind-proxy when a reverse proxy (Caddy, nginx) serves HTTPS in front of it.',
    );
  }
  const trustedProxies = new Set((options.trustedProxies ?? DEFAULT_TRUSTED_PROXIES).map((address) => {
    if (isIP(String(address)) === 0) throw new InputError(`The trusted proxy "${String(address)}" is not an IP address.`);
    return normalizeAddress(String(address));
  }));
  return { publicHosts, behindProxy, trustedProxies, ...(options.tls ? { tls: readTls(options.tls) } : {}) };
}

function readTls(files: { certFile: string; keyFile: string }): { cert: Buffer; key: Buffer } {
  const read = (file: string, what: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new InputError(`Cannot read the TLS ${what} ${file}: ${(error as Error).message}`);
    }
  };
  const cert = read(files.certFile, 'certificate');
  const key = read(files.keyFile, 'private key');
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    throw new InputError(`The TLS certificate ${files.certFile} and key ${files.keyFile} cannot be used together: ${(error as Error).message}. Both must be PEM files, the key matching the certificate.`);
  }
  return { cert, key };
}
