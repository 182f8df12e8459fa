// The sandbox part of a stdio server's form (issue 19): folders it may use (read or read and
// write), its network (none, only some hosts, all; the hosts its URL variables name are offered
// with one click) and Docker (flagged: control of the computer). Saved as the server's `sandbox`
// grant, part of what the owner approves.
import { useTranslation } from 'react-i18next';
import { Icon } from '../icons';
import { formSuggestedHosts, newFolder, withHost, type FolderRow, type NetworkChoice, type ServerForm } from './server-form';

const accessOf = (value: string): FolderRow['access'] => (value === 'write' ? 'write' : 'read');
const NETWORKS: { value: NetworkChoice; key: string }[] = [
  { value: 'none', key: 'form.networkNone' },
  { value: 'hosts', key: 'form.networkHosts' },
  { value: 'all', key: 'form.networkAll' },
];

export function SandboxFields({ form, onChange }: { form: ServerForm; onChange(next: ServerForm): void }) {
  const { t } = useTranslation('sandbox');
  const set = (patch: Partial<ServerForm>) => onChange({ ...form, ...patch });
  const setFolder = (id: number, patch: Partial<FolderRow>) => set({ folders: form.folders.map((f) => (f.id === id ? { ...f, ...patch } : f)) });
  const suggested = formSuggestedHosts(form);
  return (
    <fieldset className="field sandbox-fields" data-testid="sandbox-fields">
      <legend className="field-label">{t('form.title')}</legend>
      <span className="field-hint">{t('form.hint')}</span>

      <span className="field-label">{t('form.folders')}</span>
      {form.folders.map((folder, index) => (
        <div key={folder.id} className="value-row" data-testid={`sandbox-folder-${index}`}>
          <input value={folder.path} onChange={(e) => setFolder(folder.id, { path: e.target.value })} placeholder={t('form.folderExample')} aria-label={t('form.folderPath')} data-testid={`sandbox-folder-path-${index}`} />
          <select value={folder.access} onChange={(e) => setFolder(folder.id, { access: accessOf(e.target.value) })} aria-label={t('form.folderAccess')} data-testid={`sandbox-folder-access-${index}`}>
            <option value="read">{t('form.accessRead')}</option>
            <option value="write">{t('form.accessWrite')}</option>
          </select>
          <button type="button" className="btn-icon btn-danger" onClick={() => set({ folders: form.folders.filter((f) => f.id !== folder.id) })} aria-label={folder.path ? t('form.removeFolder', { path: folder.path }) : t('form.removeThisFolder')}>
            <Icon name="trash" />
          </button>
        </div>
      ))}
      <button type="button" className="btn btn-small" onClick={() => set({ folders: [...form.folders, newFolder()] })} data-testid="sandbox-add-folder">
        <Icon name="plus" /> {t('form.addFolder')}
      </button>

      <span className="field-label">{t('form.network')}</span>
      <div className="choice-row">
        {NETWORKS.map((n) => (
          <label key={n.value} className={`choice ${form.network === n.value ? 'is-chosen' : ''}`}>
            <input type="radio" checked={form.network === n.value} onChange={() => set({ network: n.value })} data-testid={`sandbox-network-${n.value}`} /> {t(n.key)}
          </label>
        ))}
      </div>
      {form.network === 'hosts' && (
        <label className="field">
          <span className="field-label">{t('form.hostsLabel')}</span>
          <textarea value={form.hosts} onChange={(e) => set({ hosts: e.target.value })} rows={3} placeholder={t('form.hostsExample')} data-testid="sandbox-hosts" />
        </label>
      )}
      {suggested.length > 0 && (
        <p className="small" data-testid="sandbox-suggested">
          {t('form.suggested')}{' '}
          {suggested.map((host) => (
            <button key={host} type="button" className="btn btn-small" onClick={() => onChange(withHost(form, host))} data-testid={`sandbox-suggest-${host}`}>
              <Icon name="plus" /> {t('form.addHost', { host })}
            </button>
          ))}
        </p>
      )}

      <label className="check">
        <input type="checkbox" checked={form.docker} onChange={(e) => set({ docker: e.target.checked })} data-testid="sandbox-docker" /> {t('form.docker')}
      </label>
      {form.docker && (
        <p className="callout callout-warning small" data-testid="sandbox-docker-warning">
          <Icon name="warning" /> {t('form.dockerWarning')}
        </p>
      )}
    </fieldset>
  );
}
