// One MCP server: what it runs (approved or awaiting approval), what it says about itself,
// its tools (the server's words, marked as such; suggested, yours and effective class;
// approve, re-approve after a change), and its status with recent stderr. A failure leads with
// one plain sentence (ServerProblem); the technical account and stderr are folded under "Details".
import { useCallback, useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ApiOutput } from '../../../src-main/shared/api-contract';
import type { ServerStatus } from '../../../src-main/shared/api/settings';
import type { McpServerConfig, ToolClass } from '../../../src-main/shared/workspace-config';
import { useApi } from '../../api/api-context';
import { ownerText } from '../../i18n/owner-text';
import { consentWords } from '../consent-line';
import { Dialog } from '../Dialog';
import { Icon } from '../icons';
import { toast } from '../toasts';
import { attempt } from './use-settings';
import { SandboxNote } from './SandboxNote';
import { SignInSection, useSignIn } from './SignIn';

type CatalogEntry = ApiOutput<'mcp.catalog'>['servers'][number];
type CatalogTool = CatalogEntry['tools'][number];

/** The tone of each state's chip (its words: settings:server.state.<state>). */
const STATE_TONES: Record<ServerStatus['state'], string> = {
  idle: 'muted',
  starting: 'muted',
  ready: 'ok',
  restarting: 'warning',
  circuit_open: 'error',
  failed: 'error',
  stopped: 'muted',
};

/** "code 1" or "signal SIGKILL". */
const exitWords = (t: TFunction<'settings'>, exit: NonNullable<ServerStatus['lastExit']>) => (exit.code !== null ? t('server.exitCode', { code: exit.code }) : t('server.exitSignal', { signal: exit.signal }));

export function McpServerCard(props: { name: string; server: McpServerConfig; entry: CatalogEntry | undefined; onChanged(): void; onEdit(): void }) {
  const { name, server, entry, onChanged } = props;
  const { t } = useTranslation('settings');
  const api = useApi();
  const [status, setStatus] = useState<ServerStatus | null>(null);
  const [removing, setRemoving] = useState(false);
  const signIn = useSignIn(name, 'url' in server, status, onChanged);
  const { t: tSignIn } = useTranslation('signin');

  const reloadStatus = useCallback(async () => {
    try {
      setStatus(await api.call('mcp.serverStatus', { server: name }));
    } catch {
      setStatus(null);
    }
  }, [api, name]);

  useEffect(() => {
    void reloadStatus();
    return api.on('mcp.serverChanged', (e) => {
      if (e.server === name) void reloadStatus();
    });
  }, [api, name, reloadStatus, entry]);

  const approveServer = (command: string) =>
    attempt(async () => {
      await api.call('mcp.approveServer', { server: name, command });
      onChanged();
    });
  // Each tool goes with the hash of the definition shown here: the server cannot swap it in between.
  const approveTools = (tools: CatalogTool[]) =>
    attempt(async () => {
      const out = await api.call('mcp.approveTools', { server: name, tools: tools.map((tool) => ({ name: tool.name, definitionHash: tool.definitionHash })) });
      toast({ message: out.approved.length === 1 ? t('server.approvedOne', { tool: out.approved[0] }) : t('server.approvedMany', { count: out.approved.length }), tone: 'success' });
      onChanged();
    });
  const setClass = (tool: string, toolClass: ToolClass) => attempt(() => api.call('mcp.setToolClass', { server: name, tool, class: toolClass }));
  const connect = () =>
    attempt(async () => {
      setStatus(await api.call('mcp.connect', { server: name }));
      onChanged();
    });

  // A server that waits for the owner's sign-in is not a failed one.
  const [stateWord, stateTone] = signIn.needsOwner
    ? [tSignIn('chip'), 'warning']
    : status
      ? [t(`server.state.${status.state}`), STATE_TONES[status.state]]
      : ['…', 'muted'];
  const pending = entry?.tools.filter((tool) => tool.status !== 'approved') ?? [];
  const owner = server.tools ?? {};

  return (
    <article className="server-card" data-testid={`server-${name}`} aria-label={t('server.label', { name })}>
      <header className="server-head">
        <h3>{name}</h3>
        <span className="chip chip-muted">{'url' in server ? t('server.remote') : t('server.program')}</span>
        <span className={`chip chip-${stateTone}`} data-testid="server-state">
          {stateWord}
        </span>
        <span className="row app-bar-end">
          <button type="button" className="btn btn-small" onClick={props.onEdit} data-testid="edit-server">
            <Icon name="edit" /> {t('server.edit')}
          </button>
          <button type="button" className="btn btn-small btn-danger-soft" onClick={() => setRemoving(true)} data-testid="remove-server">
            <Icon name="trash" /> {t('server.remove')}
          </button>
        </span>
      </header>

      {entry?.status === 'consent_required' && (
        <div className="consent" data-testid="consent">
          <p>
            <Icon name="warning" />{' '}
            {entry.consent === 'changed' ? <strong>{t('server.consentChanged')}</strong> : <strong>{t('server.consentNew')}</strong>} {t('server.consentCheck')}
          </p>
          <pre className="command" data-testid="consent-command">
            {consentWords(entry.commandText, entry.command ?? '')}
          </pre>
          <button type="button" className="btn btn-primary" onClick={() => entry.command !== undefined && void approveServer(entry.command)} data-testid="approve-server">
            <Icon name="play" /> {t('server.allow')}
          </button>
        </div>
      )}
      <SignInSection view={signIn} />
      {entry?.status === 'error' && !signIn.needsOwner && !(status && failureOf(status)) && (
        <div className="callout callout-error" role="alert" data-testid="server-error">
          {entry.error}
        </div>
      )}
      {entry?.status === 'ok' && entry.command && (
        <p className="muted small">
          <Trans t={t} i18nKey="server.runs" values={{ command: consentWords(entry.commandText, entry.command) }} components={{ command: <code className="command" data-testid="server-command-line" /> }} />
        </p>
      )}

      {status?.serverInfo && (
        <div className="server-about" data-testid="server-about">
          <span className="from-server">{t('server.aboutItself')}</span>
          <p>
            <strong>{status.serverInfo.title ?? status.serverInfo.name}</strong> <span className="muted small">{status.serverInfo.name} {status.serverInfo.version}</span>
          </p>
          {status.instructions && <p className="server-instructions">{status.instructions}</p>}
        </div>
      )}

      {entry?.status === 'ok' && (
        <div className="tools">
          <div className="tools-head">
            <h4>{t('server.tools', { count: entry.tools.length })}</h4>
            {pending.length > 0 && (
              <button type="button" className="btn btn-small btn-primary" onClick={() => void approveTools(pending)} data-testid="approve-all">
                <Icon name="check" /> {t('server.approveCount', { count: pending.length })}
              </button>
            )}
          </div>
          <table className="tools-table">
            <thead>
              <tr>
                <th>{t('server.columns.tool')}</th>
                <th>{t('server.columns.suggests')}</th>
                <th>{t('server.columns.decision')}</th>
                <th>{t('server.columns.countsAs')}</th>
                <th>{t('server.columns.approval')}</th>
              </tr>
            </thead>
            <tbody>
              {entry.tools.map((tool) => (
                <ToolRow key={tool.name} tool={tool} ownerClass={Object.hasOwn(owner, tool.name) ? owner[tool.name] : undefined} onClass={(c) => void setClass(tool.name, c)} onApprove={() => void approveTools([tool])} />
              ))}
            </tbody>
          </table>
        </div>
      )}

      {status && !signIn.needsOwner && <ServerProblem status={status} onStart={() => void connect()} />}
      {!('url' in server) && <SandboxNote name={name} server={server} status={status} onChanged={onChanged} />}

      <details className="server-status" data-testid="server-status">
        <summary>
          {t('server.statusAndOutput')}
          {status?.pid !== undefined && ` · ${t('server.process', { pid: status.pid })}`}
          {status && status.restarts > 0 && ` · ${t('server.restarts', { count: status.restarts })}`}
        </summary>
        {status?.lastExit && (
          <p className="muted small">{t('server.lastExit', { exit: exitWords(t, status.lastExit) })}</p>
        )}
        <pre className="stderr" data-testid="server-stderr">
          {status?.stderr || t('server.nothingPrinted')}
        </pre>
        <div className="row">
          <button type="button" className="btn btn-small" onClick={() => void reloadStatus()} data-testid="refresh-status">
            <Icon name="refresh" /> {t('server.refresh')}
          </button>
          {status?.consent === 'approved' && (
            <button type="button" className="btn btn-small" onClick={() => void connect()} data-testid="connect-server">
              <Icon name="play" /> {status.state === 'ready' ? t('server.checkConnection') : t('server.startNow')}
            </button>
          )}
        </div>
      </details>

      {removing && <RemoveServerDialog name={name} onClose={() => setRemoving(false)} />}
    </article>
  );
}

const FAILING: ServerStatus['state'][] = ['failed', 'circuit_open', 'restarting'];

/** The failure that explains why the server is not running now (also while it restarts after a crash). */
function failureOf(status: ServerStatus): ServerStatus['lastError'] {
  const failing = FAILING.includes(status.state) || (status.state === 'starting' && status.restarts > 0);
  return failing ? status.lastError : undefined;
}

/** Why the server is not running, in plain words first; its own technical words under "Details". */
function ServerProblem({ status, onStart }: { status: ServerStatus; onStart(): void }) {
  const { t } = useTranslation('settings');
  const error = failureOf(status);
  if (!error) return null;
  return (
    <div className="callout callout-error server-problem" role="alert" data-testid="server-problem">
      <p className="server-problem-headline" data-testid="server-problem-headline">
        <Icon name="warning" /> {ownerText(error.summaryText, error.summary)}
      </p>
      {status.consent === 'approved' && status.state !== 'restarting' && (
        <button type="button" className="btn btn-small" onClick={onStart} data-testid="server-problem-start">
          <Icon name="play" /> {t('server.startNow')}
        </button>
      )}
      <details className="problem-details" data-testid="server-problem-details">
        <summary>{t('server.details')}</summary>
        <p className="small" data-testid="server-last-error">
          {error.message}
        </p>
        {status.lastExit && (
          <p className="muted small">{t('server.lastExit', { exit: exitWords(t, status.lastExit) })}</p>
        )}
        {status.stderr && (
          <pre className="stderr" data-testid="server-problem-stderr">
            {status.stderr}
          </pre>
        )}
      </details>
    </div>
  );
}

function ToolRow({ tool, ownerClass, onClass, onApprove }: { tool: CatalogTool; ownerClass: ToolClass | undefined; onClass(c: ToolClass): void; onApprove(): void }) {
  const { t } = useTranslation('settings');
  const mine = ownerClass ?? 'write';
  return (
    <tr data-testid={`tool-${tool.name}`} className={tool.status === 'changed' ? 'is-changed' : ''}>
      <td>
        <strong>{tool.title ?? tool.name}</strong> {tool.title && <code className="small">{tool.name}</code>}
        {tool.description && (
          <p className="tool-description">
            <span className="from-server">{t('server.fromServer')}</span> {tool.description}
          </p>
        )}
        {tool.flags?.map((f) => (
          <p key={f.code} className="tool-flag small">
            <Icon name="warning" /> {ownerText(f.text, f.message)}
          </p>
        ))}
      </td>
      <td>
        <span className={`chip chip-${tool.suggestedClass}`}>{tool.suggestedClass === 'read' ? t('server.read') : t('server.write')}</span>
      </td>
      <td>
        <div className="segmented" role="group" aria-label={t('server.yourClassFor', { tool: tool.name })}>
          {(['read', 'write'] as const).map((c) => (
            <button key={c} type="button" className={mine === c ? 'is-on' : ''} aria-pressed={mine === c} onClick={() => mine !== c && onClass(c)} data-testid={`class-${tool.name}-${c}`}>
              {c === 'read' ? t('server.read') : t('server.write')}
            </button>
          ))}
        </div>
        {ownerClass === undefined && <span className="muted small"> {t('server.notDecided')}</span>}
      </td>
      <td>
        <span className={`chip chip-${tool.effectiveClass}`} data-testid={`effective-${tool.name}`}>
          {tool.effectiveClass === 'read' ? t('server.read') : t('server.writeAsks')}
        </span>
      </td>
      <td>
        {tool.status === 'approved' && (
          <span className="chip chip-ok" data-testid={`status-${tool.name}`}>
            <Icon name="check" /> {t('server.approved')}
          </span>
        )}
        {tool.status === 'unapproved' && (
          <button type="button" className="btn btn-small" onClick={onApprove} data-testid={`approve-${tool.name}`}>
            {t('server.approve')}
          </button>
        )}
        {tool.status === 'changed' && (
          <div className="changed" data-testid={`status-${tool.name}`}>
            <span className="chip chip-error">{t('server.changedDisabled')}</span>
            <button type="button" className="btn btn-small" onClick={onApprove} data-testid={`reapprove-${tool.name}`}>
              {t('server.reapprove')}
            </button>
          </div>
        )}
      </td>
    </tr>
  );
}

function RemoveServerDialog({ name, onClose }: { name: string; onClose(): void }) {
  const { t } = useTranslation('settings');
  const api = useApi();
  const [deleteSecrets, setDeleteSecrets] = useState(true);
  const remove = () =>
    attempt(async () => {
      const out = await api.call('mcp.removeServer', { name, deleteSecrets });
      toast({ message: out.secretsDeleted ? t('server.removedWithSecrets', { name, count: out.secretsDeleted }) : t('server.removed', { name }), tone: 'info' });
      onClose();
    });
  return (
    <Dialog title={t('server.removeTitle', { name })} onClose={onClose}>
      <div className="form">
        <p>{t('server.removeExplain')}</p>
        <label className="check">
          <input type="checkbox" checked={deleteSecrets} onChange={(e) => setDeleteSecrets(e.target.checked)} /> {t('server.removeSecrets')}
        </label>
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t('common:actions.cancel')}
          </button>
          <button type="button" className="btn btn-primary btn-danger-solid" onClick={() => void remove()} data-testid="remove-server-confirm">
            {t('server.remove')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
