// What the owner ticks of a pasted server's proposed sandbox grant (pure, see ImportGrantChoice):
// the proposed folders and hosts start ticked, except a home folder or more (wideFolders); the
// whole network, Docker and the package registry start unticked (each gives much more than a folder does; the registry is needed for the first
// download only, and a start after it runs from the cache).
import type { SandboxGrant } from '../../../src-main/shared/workspace-config';

/** A preview server's proposal (mcp.importPreview). */
export interface GrantProposal {
  proposedGrant?: SandboxGrant;
  packageRegistry?: string[];
  wideFolders?: string[];
}

export interface GrantChoice {
  folders: string[];
  hosts: string[];
  allNetwork: boolean;
  docker: boolean;
  registry: boolean;
}

export const proposedHosts = (p: GrantProposal): string[] => (typeof p.proposedGrant?.network === 'object' ? p.proposedGrant.network.hosts : []);

export function initialChoice(p: GrantProposal): GrantChoice {
  return { folders: (p.proposedGrant?.folders ?? []).map((f) => f.path).filter((f) => !p.wideFolders?.includes(f)), hosts: proposedHosts(p), allNetwork: false, docker: false, registry: false };
}

/** The grant sent with mcp.import: only what is ticked, in the proposal's order. */
export function chosenGrant(p: GrantProposal, c: GrantChoice): SandboxGrant {
  const folders = (p.proposedGrant?.folders ?? []).filter((f) => c.folders.includes(f.path));
  const hosts = [...new Set([...proposedHosts(p).filter((h) => c.hosts.includes(h)), ...(c.registry ? (p.packageRegistry ?? []) : [])])];
  const allNetwork = c.allNetwork && p.proposedGrant?.network === 'all';
  return {
    ...(folders.length ? { folders } : {}),
    ...(allNetwork ? { network: 'all' as const } : hosts.length ? { network: { hosts } } : {}),
    ...(c.docker && p.proposedGrant?.docker ? { docker: true } : {}),
  };
}

/** `list` with `item` in or out. */
export const toggled = (list: readonly string[], item: string, on: boolean): string[] => (on ? [...new Set([...list, item])] : list.filter((x) => x !== item));
