// A server's sandbox grant in the owner's words (part of the consent line), as catalogue keys
// (shared/consent-texts). Pure. The hosts its URL-valued variables suggest granting:
// shared/sandbox-hosts.ts (the studio's form uses them).
import { consentText, type ConsentText } from '../../shared/consent-texts';
import type { SandboxGrant } from '../../shared/workspace-config';

/** The grant as the consent line shows it; undefined for the default (nothing beyond its own folders). */
export function grantText(grant: SandboxGrant | undefined, word: (w: string) => string): ConsentText | undefined {
  if (!grant) return undefined;
  const parts: ConsentText[] = [];
  for (const f of grant.folders ?? []) parts.push(consentText(f.access === 'write' ? 'sandbox.folderWrite' : 'sandbox.folderRead', { path: word(f.path) }));
  const network = grant.network ?? 'none';
  if (network === 'all') parts.push(consentText('sandbox.networkAll'));
  else if (network !== 'none') parts.push(consentText('sandbox.networkHosts', { hosts: network.hosts.map(word) }));
  if (grant.docker) parts.push(consentText('sandbox.docker'));
  return parts.length ? consentText('sandbox.grants', { grants: parts }) : undefined;
}
