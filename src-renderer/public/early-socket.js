// @ts-check
// Loaded on its own, before the app bundle (index.html; plain JS in public/ so Vite does not
// merge it into the bundle): in a browser it first takes the web host's access token out of the
// address (#token=... or #/flow/<id>&token=..., see src-renderer/api/access-token.ts) into this tab's sessionStorage,
// then opens the API WebSocket at once (the token offered as a subprotocol) and, on an editor
// address (#/flow/<id>), already asks for that flow, so the host reads and checks the file while
// the app's code is still starting. The client adopts the socket and the answer
// (src-renderer/api/early-socket-handoff.ts). In the desktop app (the preload's
// `window.flowbot` exists) it does nothing.
(() => {
  /** Where the socket waits for the client: EARLY_SOCKET_KEY in early-socket-handoff.ts. */
  const KEY = '__flowbotEarlySocket';
  /** ACCESS_TOKEN_KEY in access-token.ts; the protocols are API_WS_PROTOCOL / API_WS_TOKEN_PROTOCOL_PREFIX in the contract. */
  const TOKEN_KEY = 'flowbot-access-token';
  const PROTOCOL = 'flowbot-api';
  const TOKEN_PROTOCOL_PREFIX = 'flowbot-token.';
  /** The prefetch's request id: negative, so it never collides with the client's own (1, 2, …). */
  const PREFETCH_ID = -1;
  if (Reflect.get(window, 'flowbot') !== undefined || typeof WebSocket !== 'function') return;
  /** @type {string | null} */
  let token = null;
  try {
    // "#token=T" (the printed address) or a page's address with it at the end: "#/flow/x&token=T".
    const given = /(?:^#|&)token=([A-Za-z0-9_-]+)$/.exec(location.hash);
    if (given) {
      sessionStorage.setItem(TOKEN_KEY, given[1] ?? '');
      // Off the address bar (and out of the history): a copied or bookmarked address carries no token.
      const rest = location.hash.slice(0, given.index);
      history.replaceState(null, '', location.pathname + location.search + rest);
    }
    token = sessionStorage.getItem(TOKEN_KEY);
  } catch {
    // sessionStorage disabled: no token; the host refuses the API.
  }
  const protocols = token ? [PROTOCOL, TOKEN_PROTOCOL_PREFIX + token] : [PROTOCOL];
  const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api`, protocols);
  /** @type {string[]} */
  const buffered = [];
  /** @param {MessageEvent} e */
  const keep = (e) => {
    if (typeof e.data === 'string') buffered.push(e.data);
  };
  socket.addEventListener('message', keep);
  const route = /^#\/flow\/([a-z0-9][a-z0-9-]*)$/.exec(location.hash);
  const prefetch = route ? { id: PREFETCH_ID, method: 'flows.get', input: { id: route[1] } } : undefined;
  if (prefetch) socket.addEventListener('open', () => socket.send(JSON.stringify(prefetch)), { once: true });
  Reflect.set(window, KEY, { socket, buffered, ...(prefetch ? { prefetch } : {}), adopt: () => socket.removeEventListener('message', keep) });
})();
