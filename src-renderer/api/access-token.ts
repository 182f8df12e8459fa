// The web host's access token in the browser: it arrives in the address's fragment
// (#token=..., never sent to a server), public/early-socket.js moves it into this tab's
// sessionStorage (separate per origin, so per port, and per tab; a reload keeps it) and off the
// address bar; every API WebSocket offers it as a subprotocol. Never a cookie: cookies reach
// every port of the machine. Keep ACCESS_TOKEN_KEY equal to TOKEN_KEY in early-socket.js.
import { API_WS_PROTOCOL, API_WS_TOKEN_PROTOCOL_PREFIX } from '../../src-main/shared/api-contract';

export const ACCESS_TOKEN_KEY = 'flowbot-access-token';

/** The token this tab was opened with, if any. */
export function accessToken(storage: Pick<Storage, 'getItem'> | undefined = globalThis.sessionStorage): string | undefined {
  try {
    return storage?.getItem(ACCESS_TOKEN_KEY) ?? undefined;
  } catch {
    return undefined; // storage disabled: no token, the host refuses the API and says how to open it
  }
}

/** The subprotocols an API WebSocket offers: the API's own and the token. */
export function apiProtocols(token: string | undefined): string[] {
  return token ? [API_WS_PROTOCOL, `${API_WS_TOKEN_PROTOCOL_PREFIX}${token}`] : [API_WS_PROTOCOL];
}
