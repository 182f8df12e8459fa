// One OAuth2 token source per server that declares `auth`, kept for the workspace's life so a
// token survives reconnects. The client secret is read from the keychain on first use only,
// and every token handed out is added to the redactor so it never reaches logs or the audit.
import type { WorkspaceConfig } from '../shared/workspace-config';
import type { Redactor } from '../core/redact';
import type { TokenSource, ValueResolver } from '../runtime/ports';
import { tokenSourceForConfig } from '../adapters/oauth/client-credentials';

export function createTokenSources(
  config: WorkspaceConfig,
  resolveValue: ValueResolver,
  redactor: Redactor,
): (server: string) => TokenSource | undefined {
  const sources = new Map<string, TokenSource>();
  return (server) => {
    const found = Object.hasOwn(config.mcpServers, server) ? config.mcpServers[server]! : undefined;
    const auth = found?.auth;
    if (!found || !auth) return undefined;
    let source = sources.get(server);
    if (!source) {
      // A remote server without tokenUrl: its token endpoint is found from its URL's metadata.
      const serverUrl = 'url' in found ? { serverUrl: found.url } : {};
      source = lazyTokenSource(() => tokenSourceForConfig(server, auth, resolveValue, serverUrl), redactor);
      sources.set(server, source);
    }
    return source;
  };
}

function lazyTokenSource(create: () => Promise<TokenSource>, redactor: Redactor): TokenSource {
  let inner: Promise<TokenSource> | undefined;
  const source = () => {
    inner ??= create();
    inner.catch(() => (inner = undefined)); // a missing secret can be fixed and retried
    return inner;
  };
  return {
    async getToken(opts) {
      const token = await (await source()).getToken(opts);
      redactor.add(token.accessToken);
      return token;
    },
    invalidate() {
      void inner?.then((s) => s.invalidate(), () => undefined);
    },
  };
}
