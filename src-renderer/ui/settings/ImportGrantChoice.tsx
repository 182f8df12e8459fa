// The sandbox grant of one pasted stdio server in the import dialog (issue 19): the folders and
// hosts its config names, ticked (read or read and write shown; a home folder or more unticked and
// flagged); the whole network and Docker
// unticked and flagged; the package registry of its first download as a note with a checkbox,
// unticked. The import sends what is ticked as the server's `sandbox`.
import { useTranslation } from 'react-i18next';
import { Icon } from '../icons';
import { proposedHosts, toggled, type GrantChoice, type GrantProposal } from './import-grant-choice';

interface Props {
  server: string;
  proposal: GrantProposal;
  choice: GrantChoice;
  onChange(next: GrantChoice): void;
}

export function ImportGrantChoice({ server, proposal, choice, onChange }: Props) {
  const { t } = useTranslation('settings');
  const set = (patch: Partial<GrantChoice>) => onChange({ ...choice, ...patch });
  const grant = proposal.proposedGrant ?? {};
  const folders = grant.folders ?? [];
  const hosts = proposedHosts(proposal);
  const registry = proposal.packageRegistry ?? [];
  const nothing = folders.length === 0 && hosts.length === 0 && grant.network !== 'all' && !grant.docker;
  return (
    <fieldset className="grant-choice" data-testid={`import-grant-${server}`}>
      <legend>{t('importGrant.title')}</legend>
      {nothing ? (
        <p className="muted small" data-testid={`import-grant-nothing-${server}`}>
          {t('importGrant.nothing')}
        </p>
      ) : (
        <p className="muted small">{t('importGrant.hint')}</p>
      )}
      {folders.map((f, i) => (
        <label key={f.path} className="check">
          <input type="checkbox" checked={choice.folders.includes(f.path)} onChange={(e) => set({ folders: toggled(choice.folders, f.path, e.target.checked) })} data-testid={`import-grant-folder-${server}-${i}`} />{' '}
          {t(f.access === 'write' ? 'importGrant.folderWrite' : 'importGrant.folderRead', { path: f.path })}
          {proposal.wideFolders?.includes(f.path) && (
            <span className="grant-flag" data-testid={`import-grant-wide-${server}-${i}`}>
              <Icon name="warning" /> {t('importGrant.wideFlag')}
            </span>
          )}
        </label>
      ))}
      {hosts.map((host) => (
        <label key={host} className="check">
          <input type="checkbox" checked={choice.hosts.includes(host)} onChange={(e) => set({ hosts: toggled(choice.hosts, host, e.target.checked) })} data-testid={`import-grant-host-${server}-${host}`} />{' '}
          {t('importGrant.host', { host })}
        </label>
      ))}
      {grant.network === 'all' && (
        <label className="check">
          <input type="checkbox" checked={choice.allNetwork} onChange={(e) => set({ allNetwork: e.target.checked })} data-testid={`import-grant-network-all-${server}`} /> {t('importGrant.networkAll')}
          <span className="grant-flag">
            <Icon name="warning" /> {t('importGrant.networkAllFlag')}
          </span>
        </label>
      )}
      {grant.docker && (
        <label className="check">
          <input type="checkbox" checked={choice.docker} onChange={(e) => set({ docker: e.target.checked })} data-testid={`import-grant-docker-${server}`} /> {t('importGrant.docker')}
          <span className="grant-flag">
            <Icon name="warning" /> {t('importGrant.dockerFlag')}
          </span>
        </label>
      )}
      {registry.length > 0 && (
        <div className="grant-registry" data-testid={`import-grant-registry-note-${server}`}>
          <p className="muted small">{t('importGrant.registryNote', { hosts: registry.join(', ') })}</p>
          <label className="check">
            <input type="checkbox" checked={choice.registry} onChange={(e) => set({ registry: e.target.checked })} data-testid={`import-grant-registry-${server}`} /> {t('importGrant.registryAllow')}
          </label>
        </div>
      )}
    </fieldset>
  );
}
