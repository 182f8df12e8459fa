// One MCP server: what it runs (approved or awaiting approval), what it says about itself,
// its tools (the server's words, marked as such; suggested, yours and effective class;
// approve, re-approve after a change), and its status with recent stderr. A failure leads with
// one plain sentence (ServerProblem); the technical account and stderr are folded under "Details".
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiOutput } from '../../../src-main/shared/api-contract';
import type { ServerStatus } from '../../../src-main/shared/api/settings';
import type { McpServerConfig, ToolClass } from '../../../src-main/shared/workspace-config';
import { useApi } from '../../api/api-context';
import { Dialog } from '../Dialog';
import { Icon } from '../icons';
import { toast } from '../toasts';
import { attempt } from './use-settings';
import { SignInSection, useSignIn } from './SignIn';

type CatalogEntry = ApiOutput<'mcp.catalog'>['servers'][number];
type CatalogTool = CatalogEntry['tools'][number];

const STATE_WORDS: Record<ServerStatus['state'], [string, string]> = {
  idle: ['Not started', 'muted'],
  starting: ['Starting', 'muted'],
  ready: ['Running', 'ok'],
  restarting: ['Crashed, restarting', 'warning'],
  circuit_open: ['Keeps crashing: stopped', 'error'],
  failed: ['Could not start', 'error'],
  stopped: ['Stopped', 'muted'],
};

export function McpServerCard(props: { name: string; server: McpServerConfig; entry: CatalogEntry | undefined; onChanged(): void; onEdit(): void }) {
  const { name, server, entry, onChanged } = props;
  const api = useApi();
  const [status, setStatus] = useState<ServerStatus | null>(null);
  const [removing, setRemoving] = useState(false);
  const signIn = useSignIn(name, 'url' in server, onChanged);
  const { t } = useTranslation('signin');

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
      const out = await api.call('mcp.approveTools', { server: name, tools: tools.map((t) => ({ name: t.name, definitionHash: t.definitionHash })) });
      toast({ message: `Approved ${out.approved.length === 1 ? `“${out.approved[0]}”` : `${out.approved.length} tools`}.`, tone: 'success' });
      onChanged();
    });
  const setClass = (tool: string, toolClass: ToolClass) => attempt(() => api.call('mcp.setToolClass', { server: name, tool, class: toolClass }));
  const connect = () =>
    attempt(async () => {
      setStatus(await api.call('mcp.connect', { server: name }));
      onChanged();
    });

  // A server that waits for the owner's sign-in is not a failed one.
  const [stateWord, stateTone] = signIn.needsOwner ? [t('chip'), 'warning'] : status ? STATE_WORDS[status.state] : ['…', 'muted'];
  const pending = entry?.tools.filter((t) => t.status !== 'approved') ?? [];
  const owner = server.tools ?? {};

  return (
    <article className="server-card" data-testid={`server-${name}`} aria-label={`MCP server ${name}`}>
      <header className="server-head">
        <h3>{name}</h3>
        <span className="chip chip-muted">{'url' in server ? 'Remote' : 'Program'}</span>
        <span className={`chip chip-${stateTone}`} data-testid="server-state">
          {stateWord}
        </span>
        <span className="row app-bar-end">
          <button type="button" className="btn btn-small" onClick={props.onEdit} data-testid="edit-server">
            <Icon name="edit" /> Edit
          </button>
          <button type="button" className="btn btn-small btn-danger-soft" onClick={() => setRemoving(true)} data-testid="remove-server">
            <Icon name="trash" /> Remove
          </button>
        </span>
      </header>

      {entry?.status === 'consent_required' && (
        <div className="consent" data-testid="consent">
          <p>
            <Icon name="warning" />{' '}
            {entry.consent === 'changed' ? <strong>What this server runs changed since you approved it.</strong> : <strong>This server has not run yet.</strong>} Before it starts,
            check exactly what it will run:
          </p>
          <pre className="command" data-testid="consent-command">
            {entry.command}
          </pre>
          <button type="button" className="btn btn-primary" onClick={() => entry.command !== undefined && void approveServer(entry.command)} data-testid="approve-server">
            <Icon name="play" /> Allow and start it
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
          Runs <code className="command" data-testid="server-command-line">{entry.command}</code>
        </p>
      )}

      {status?.serverInfo && (
        <div className="server-about" data-testid="server-about">
          <span className="from-server">The server says about itself</span>
          <p>
            <strong>{status.serverInfo.title ?? status.serverInfo.name}</strong> <span className="muted small">{status.serverInfo.name} {status.serverInfo.version}</span>
          </p>
          {status.instructions && <p className="server-instructions">{status.instructions}</p>}
        </div>
      )}

      {entry?.status === 'ok' && (
        <div className="tools">
          <div className="tools-head">
            <h4>Tools ({entry.tools.length})</h4>
            {pending.length > 0 && (
              <button type="button" className="btn btn-small btn-primary" onClick={() => void approveTools(pending)} data-testid="approve-all">
                <Icon name="check" /> Approve {pending.length} tool{pending.length === 1 ? '' : 's'}
              </button>
            )}
          </div>
          <table className="tools-table">
            <thead>
              <tr>
                <th>Tool</th>
                <th>Server suggests</th>
                <th>Your decision</th>
                <th>Counts as</th>
                <th>Approval</th>
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

      <details className="server-status" data-testid="server-status">
        <summary>
          Status and recent output{status?.pid !== undefined ? ` · process ${status.pid}` : ''}
          {status && status.restarts > 0 ? ` · ${status.restarts} restart${status.restarts === 1 ? '' : 's'}` : ''}
        </summary>
        {status?.lastExit && (
          <p className="muted small">
            Last exit: {status.lastExit.code !== null ? `code ${status.lastExit.code}` : `signal ${status.lastExit.signal}`}
          </p>
        )}
        <pre className="stderr" data-testid="server-stderr">
          {status?.stderr || 'Nothing printed yet.'}
        </pre>
        <div className="row">
          <button type="button" className="btn btn-small" onClick={() => void reloadStatus()} data-testid="refresh-status">
            <Icon name="refresh" /> Refresh
          </button>
          {status?.consent === 'approved' && (
            <button type="button" className="btn btn-small" onClick={() => void connect()} data-testid="connect-server">
              <Icon name="play" /> {status.state === 'ready' ? 'Check connection' : 'Start now'}
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
  const error = failureOf(status);
  if (!error) return null;
  return (
    <div className="callout callout-error server-problem" role="alert" data-testid="server-problem">
      <p className="server-problem-headline" data-testid="server-problem-headline">
        <Icon name="warning" /> {error.summary}
      </p>
      {status.consent === 'approved' && status.state !== 'restarting' && (
        <button type="button" className="btn btn-small" onClick={onStart} data-testid="server-problem-start">
          <Icon name="play" /> Start now
        </button>
      )}
      <details className="problem-details" data-testid="server-problem-details">
        <summary>Details</summary>
        <p className="small" data-testid="server-last-error">
          {error.message}
        </p>
        {status.lastExit && (
          <p className="muted small">Last exit: {status.lastExit.code !== null ? `code ${status.lastExit.code}` : `signal ${status.lastExit.signal}`}</p>
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
  const mine = ownerClass ?? 'write';
  return (
    <tr data-testid={`tool-${tool.name}`} className={tool.status === 'changed' ? 'is-changed' : ''}>
      <td>
        <strong>{tool.title ?? tool.name}</strong> {tool.title && <code className="small">{tool.name}</code>}
        {tool.description && (
          <p className="tool-description">
            <span className="from-server">From the server:</span> {tool.description}
          </p>
        )}
        {tool.flags?.map((f) => (
          <p key={f.code} className="tool-flag small">
            <Icon name="warning" /> {f.message}
          </p>
        ))}
      </td>
      <td>
        <span className={`chip chip-${tool.suggestedClass}`}>{tool.suggestedClass === 'read' ? 'Read' : 'Write'}</span>
      </td>
      <td>
        <div className="segmented" role="group" aria-label={`Your class for ${tool.name}`}>
          {(['read', 'write'] as const).map((c) => (
            <button key={c} type="button" className={mine === c ? 'is-on' : ''} aria-pressed={mine === c} onClick={() => mine !== c && onClass(c)} data-testid={`class-${tool.name}-${c}`}>
              {c === 'read' ? 'Read' : 'Write'}
            </button>
          ))}
        </div>
        {ownerClass === undefined && <span className="muted small"> (not decided: write)</span>}
      </td>
      <td>
        <span className={`chip chip-${tool.effectiveClass}`} data-testid={`effective-${tool.name}`}>
          {tool.effectiveClass === 'read' ? 'Read' : 'Write: asks the customer'}
        </span>
      </td>
      <td>
        {tool.status === 'approved' && (
          <span className="chip chip-ok" data-testid={`status-${tool.name}`}>
            <Icon name="check" /> Approved
          </span>
        )}
        {tool.status === 'unapproved' && (
          <button type="button" className="btn btn-small" onClick={onApprove} data-testid={`approve-${tool.name}`}>
            Approve
          </button>
        )}
        {tool.status === 'changed' && (
          <div className="changed" data-testid={`status-${tool.name}`}>
            <span className="chip chip-error">Changed since you approved it: disabled</span>
            <button type="button" className="btn btn-small" onClick={onApprove} data-testid={`reapprove-${tool.name}`}>
              Review and re-approve
            </button>
          </div>
        )}
      </td>
    </tr>
  );
}

function RemoveServerDialog({ name, onClose }: { name: string; onClose(): void }) {
  const api = useApi();
  const [deleteSecrets, setDeleteSecrets] = useState(true);
  const remove = () =>
    attempt(async () => {
      const out = await api.call('mcp.removeServer', { name, deleteSecrets });
      toast({ message: `Removed “${name}”${out.secretsDeleted ? ` and ${out.secretsDeleted} secret${out.secretsDeleted === 1 ? '' : 's'}` : ''}.`, tone: 'info' });
      onClose();
    });
  return (
    <Dialog title={`Remove “${name}”?`} onClose={onClose}>
      <div className="form">
        <p>Flows that use its tools will show a problem until you add a server of this name again.</p>
        <label className="check">
          <input type="checkbox" checked={deleteSecrets} onChange={(e) => setDeleteSecrets(e.target.checked)} /> Also delete its secrets from the OS keychain
        </label>
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn-primary btn-danger-solid" onClick={() => void remove()} data-testid="remove-server-confirm">
            Remove
          </button>
        </div>
      </div>
    </Dialog>
  );
}
