// The command-line flags that serve the studio to other machines (`flowbot serve`), shared by
// whichever command offers them: --public-host NAME (repeatable), --tls-cert FILE --tls-key FILE,
// or --behind-proxy [--trusted-proxy IP]... See docs/remote-access.md.
import type { RemoteAccessOptions } from '../web/remote/remote-options';
import { UsageError } from './usage';

export const remoteFlags = {
  'public-host': { type: 'string', multiple: true },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'behind-proxy': { type: 'boolean' },
  'trusted-proxy': { type: 'string', multiple: true },
} as const;

export interface RemoteFlagValues {
  'public-host'?: string[];
  'tls-cert'?: string;
  'tls-key'?: string;
  'behind-proxy'?: boolean;
  'trusted-proxy'?: string[];
}

/**
 * The web host's `remote` option from the flags, or undefined when none was given (the studio
 * is then not served to other machines). The checks that need more than the flags (a readable
 * certificate, host name syntax, plain HTTP refused) are startWebHost's.
 */
export function remoteAccessFromFlags(values: RemoteFlagValues): RemoteAccessOptions | undefined {
  const hosts = values['public-host'] ?? [];
  const cert = values['tls-cert'];
  const key = values['tls-key'];
  const proxy = values['behind-proxy'] === true;
  const anyGiven = hosts.length > 0 || cert !== undefined || key !== undefined || proxy || (values['trusted-proxy'] ?? []).length > 0;
  if (!anyGiven) return undefined;
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('--tls-cert and --tls-key go together: the certificate (chain) and its private key, both PEM files');
  if (values['trusted-proxy'] !== undefined && !proxy) throw new UsageError('--trusted-proxy needs --behind-proxy');
  if (hosts.length === 0) throw new UsageError('serving the studio to other machines needs --public-host NAME: the name the browser uses (others are refused)');
  return {
    publicHosts: hosts,
    ...(cert !== undefined && key !== undefined ? { tls: { certFile: cert, keyFile: key } } : {}),
    ...(proxy ? { behindProxy: true } : {}),
    ...(values['trusted-proxy'] ? { trustedProxies: values['trusted-proxy'] } : {}),
  };
}
