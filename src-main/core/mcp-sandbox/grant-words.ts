// A server's sandbox grant in the owner's words (part of the consent line). Pure. The hosts its
// URL-valued variables suggest granting: shared/sandbox-hosts.ts (the studio's form uses them).
import type { SandboxGrant } from '../../shared/workspace-config';
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
