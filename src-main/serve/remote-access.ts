// How `flowbot serve` offers the studio beyond this machine: the option object handed to the
// web host's off-loopback access (TLS, the sign-in page, sessions: src-main/web/, the
// web-access work). Until that lands, serve listens on 127.0.0.1 only and refuses every
// off-loopback option with the reason, so no one serves the studio unprotected by mistake.
import { InputError } from '../app/input-error';
import { LOOPBACK_HOST } from '../web/access';

export interface RemoteAccessOptions {
  /** The address to listen on (default 127.0.0.1). */
  host: string;
  /** TLS terminated here: PEM certificate chain and private key files. */
  tls?: { certFile: string; keyFile: string };
  /** TLS terminated by a reverse proxy in front (it forwards to `host`). */
  behindProxy: boolean;
}

/** Whether the web host of this build can serve with these options: loopback plain HTTP only, for now. */
export function checkRemoteAccess(options: RemoteAccessOptions): void {
  if (options.host === LOOPBACK_HOST && !options.tls && !options.behindProxy) return;
  const asked = options.tls ? '--tls-cert/--tls-key' : options.behindProxy ? '--behind-proxy' : `--host ${options.host}`;
  throw new InputError(
    `${asked}: this version of flowbot serve offers the studio on ${LOOPBACK_HOST} only (TLS and the sign-in page for access from other machines are not in it yet). ` +
      `Leave out ${asked}, and reach the studio from another machine through an SSH tunnel: ssh -L 8080:${LOOPBACK_HOST}:PORT you@server.`,
  );
}
