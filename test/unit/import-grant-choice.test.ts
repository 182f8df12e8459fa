// The import dialog's sandbox choice (pure): proposed folders and hosts ticked, the whole network,
// Docker and the package registry unticked; the grant sent is what is ticked.
import { describe, expect, it } from 'vitest';
import { chosenGrant, initialChoice, toggled } from '../../src-renderer/ui/settings/import-grant-choice';

const proposal = {
  proposedGrant: { folders: [{ path: '/home/me/docs', access: 'write' as const }, { path: '/srv/a', access: 'read' as const }], network: { hosts: ['api.example.com'] }, docker: true },
  packageRegistry: ['registry.npmjs.org'],
};

describe('the import grant choice', () => {
  it('leaves a home folder or more unticked (wideFolders)', () => {
    const home = { proposedGrant: { folders: [{ path: '/home/me', access: 'write' as const }, { path: '/srv/a', access: 'read' as const }] }, wideFolders: ['/home/me'] };
    expect(initialChoice(home).folders).toEqual(['/srv/a']);
    expect(chosenGrant(home, initialChoice(home))).toEqual({ folders: [{ path: '/srv/a', access: 'read' }] });
  });

  it('ticks the proposed folders and hosts, not Docker nor the registry', () => {
    const choice = initialChoice(proposal);
    expect(choice).toEqual({ folders: ['/home/me/docs', '/srv/a'], hosts: ['api.example.com'], allNetwork: false, docker: false, registry: false });
    expect(chosenGrant(proposal, choice)).toEqual({ folders: proposal.proposedGrant.folders, network: { hosts: ['api.example.com'] } });
  });

  it('sends only what is ticked: the registry added to the hosts, Docker and the whole network when ticked', () => {
    const choice = { ...initialChoice(proposal), folders: toggled(['/home/me/docs', '/srv/a'], '/srv/a', false), hosts: [], registry: true, docker: true };
    expect(chosenGrant(proposal, choice)).toEqual({ folders: [{ path: '/home/me/docs', access: 'write' }], network: { hosts: ['registry.npmjs.org'] }, docker: true });
    const all = { proposedGrant: { network: 'all' as const } };
    expect(chosenGrant(all, initialChoice(all))).toEqual({});
    expect(chosenGrant(all, { ...initialChoice(all), allNetwork: true })).toEqual({ network: 'all' });
    // Nothing ticked: the default sandbox.
    expect(chosenGrant(proposal, { folders: [], hosts: [], allNetwork: false, docker: false, registry: false })).toEqual({});
  });
});
