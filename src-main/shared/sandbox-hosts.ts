// The hosts a stdio server's URL-valued variables name: suggested as its network grant (in the
// server form and the consent docs). Pure; shared by the studio's form and the core.
import type { ConfigValue } from './workspace-config';

/** Hosts (with a port when one is given) of the plain http(s)/ws(s) URL values, sorted. */
export function suggestedHosts(env: Record<string, ConfigValue> | undefined): string[] {
  const hosts = new Set<string>();
  for (const value of Object.values(env ?? {})) {
    if (typeof value !== 'string') continue;
    try {
      const url = new URL(value.trim());
      if (['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) && url.host) hosts.add(url.host);
    } catch {
      // not a URL
    }
  }
  return [...hosts].sort();
}
