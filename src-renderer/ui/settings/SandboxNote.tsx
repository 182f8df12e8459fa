// The server's OS sandbox on its card (issue 19): what it may touch beyond its own folders (the
// grants the owner consented to, Docker flagged), a plain warning where this computer cannot
// sandbox it, and, when the sandbox refused it something, what and a "Grant it" action (saving
// the grant changes what the owner approved: the card asks again). The hosts its URL variables
// name that it may not reach are offered the same way.
import { useTranslation } from 'react-i18next';
import type { ServerStatus } from '../../../src-main/shared/api/settings';
import type { SandboxGrant, StdioServerConfig } from '../../../src-main/shared/workspace-config';
import { suggestedHosts } from '../../../src-main/shared/sandbox-hosts';
import { useApi } from '../../api/api-context';
import { consentWords } from '../consent-line';
import { Icon } from '../icons';
import { attempt } from './use-settings';

type Denied = NonNullable<NonNullable<ServerStatus['sandbox']>['denied']>;

/** The grant that lets the server do what was denied. */
export function grantFor(grant: SandboxGrant | undefined, denied: Denied): SandboxGrant {
  const next: SandboxGrant = { ...grant };
  if (denied.action === 'reach') {
    const hosts = typeof next.network === 'object' ? next.network.hosts : [];
    if (next.network !== 'all') next.network = { hosts: [...new Set([...hosts, denied.host])] };
  } else {
    // A file: its folder is granted (a server reads its neighbours too).
    const folder = denied.path.replace(/\/[^/]*$/, '') || '/';
    next.folders = [...(next.folders ?? []).filter((f) => f.path !== folder), { path: folder, access: denied.action === 'write' ? 'write' : 'read' }];
  }
  return next;
}

export function SandboxNote(props: { name: string; server: StdioServerConfig; status: ServerStatus | null; onChanged(): void }) {
  const { name, server, status, onChanged } = props;
  const { t } = useTranslation('sandbox');
  const api = useApi();
  const sandbox = status?.sandbox;
  if (!sandbox) return null;
  if (!sandbox.on) {
    return (
      <p className="callout callout-warning small" data-testid="sandbox-off">
        <Icon name="warning" /> {t('off', { reason: consentWords(sandbox.reasonText, sandbox.reason ?? '') })}
      </p>
    );
  }
  const grant = server.sandbox;
  const network = grant?.network ?? 'none';
  const save = (next: SandboxGrant) =>
    attempt(async () => {
      await api.call('mcp.saveServer', { name, previousName: name, server: { ...server, sandbox: next } });
      onChanged();
    });
  const grantIt = (denied: Denied) => save(grantFor(grant, denied));
  const unreachable = network === 'all' ? [] : suggestedHosts(server.env).filter((h) => typeof network !== 'object' || !network.hosts.includes(h));
  const grantHosts = () => save(unreachable.reduce<SandboxGrant>((g, host) => grantFor(g, { action: 'reach', host }), grant ?? {}));
  return (
    <div className="sandbox-note small" data-testid="sandbox-on">
      <p className="muted">
        <Icon name="check" /> {t('on')}
      </p>
      <ul className="muted">
        {(grant?.folders ?? []).map((f) => (
          <li key={`${f.access}:${f.path}`}>{t(f.access === 'write' ? 'folderWrite' : 'folderRead', { path: f.path })}</li>
        ))}
        <li>{network === 'all' ? t('networkAll') : network === 'none' ? t('networkNone') : t('networkHosts', { hosts: network.hosts.join(', ') })}</li>
        {grant?.docker && <li className="warning">{t('docker')}</li>}
      </ul>
      {unreachable.length > 0 && (
        <p className="muted" data-testid="sandbox-suggested-hosts">
          {t('suggestedHosts', { hosts: unreachable.join(', ') })}{' '}
          <button type="button" className="btn btn-small" onClick={() => void grantHosts()} data-testid="sandbox-grant-hosts">
            {t('grantHosts')}
          </button>
        </p>
      )}
      {sandbox.denied && (
        <p className="callout callout-error" data-testid="sandbox-denied">
          {sandbox.denied.action === 'reach' ? t('deniedReach', { host: sandbox.denied.host }) : t(sandbox.denied.action === 'read' ? 'deniedRead' : 'deniedWrite', { path: sandbox.denied.path })}{' '}
          <button type="button" className="btn btn-small" onClick={() => void grantIt(sandbox.denied!)} data-testid="sandbox-grant">
            {t('grantIt')}
          </button>
        </p>
      )}
    </div>
  );
}
