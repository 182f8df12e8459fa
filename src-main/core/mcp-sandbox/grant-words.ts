// A server's sandbox grant in the owner's words (part of the consent line), and the hosts its
// URL-valued variables suggest granting. Pure.
import type { SandboxGrant, StdioServerConfig } from '../../shared/workspace-config';
import { SANDBOX_TEXTS } from './sandbox-texts';

/** The grant as the consent line shows it; '' for the default (nothing beyond its own folders). */
export function describeGrant(grant: SandboxGrant | undefined, word: (w: string) => string): string {
  if (!grant) return '';
  const parts: string[] = [];
  for (const f of grant.folders ?? []) parts.push(f.access === 'write' ? SANDBOX_TEXTS.folderWrite(word(f.path)) : SANDBOX_TEXTS.folderRead(word(f.path)));
  const network = grant.network ?? 'none';
  if (network === 'all') parts.push(SANDBOX_TEXTS.networkAll);
  else if (network !== 'none') parts.push(SANDBOX_TEXTS.networkHosts(network.hosts.map(word)));
  if (grant.docker) parts.push(SANDBOX_TEXTS.docker);
  return parts.length ? `${SANDBOX_TEXTS.grantHead}: ${parts.join(', ')}` : '';
}

/** Hosts of the server's plain URL-valued env variables (suggested as its network grant). */
export function suggestedHosts(config: StdioServerConfig): string[] {
  const hosts = new Set<string>();
  for (const value of Object.values(config.env ?? {})) {
    if (typeof value !== 'string') continue;
    try {
      const url = new URL(value);
      if (url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'ws:' || url.protocol === 'wss:') hosts.add(url.host);
    } catch {
      // not a URL
    }
  }
  return [...hosts].sort();
}
