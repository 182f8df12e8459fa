// Add or edit an MCP server: a program on this computer (command, arguments, environment) or
// a remote server (URL, headers), optionally with OAuth2 client credentials. Values marked
// "secret" go to the OS keychain; nothing starts until you approve the exact command line.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { McpServerConfig } from '../../../src-main/shared/workspace-config';
import { useApi } from '../../api/api-context';
import { userMessage } from '../../api/client';
import { Dialog } from '../Dialog';
import { Icon } from '../icons';
import { configOf, emptyForm, formOf, newRow, type ServerForm, type ValueMode, type ValueRow } from './server-form';

const modeOf = (value: string): ValueMode => (value === 'secret' || value === 'env' ? value : 'plain');

export function ServerDialog({ name, server, onClose }: { name?: string; server?: McpServerConfig; onClose(saved?: string): void }) {
  const api = useApi();
  const { t } = useTranslation('signin');
  const [form, setForm] = useState<ServerForm>(() => (name && server ? formOf(name, server) : emptyForm()));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<ServerForm>) => setForm((f) => ({ ...f, ...patch }));
  const setRow = (id: number, patch: Partial<ValueRow>) => set({ rows: form.rows.map((r) => (r.id === id ? { ...r, ...patch } : r)) });
  const rowsLabel = form.kind === 'url' ? 'Headers' : 'Environment variables';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = configOf(form, server);
    if ('problem' in result) return setError(result.problem);
    const target = form.name.trim();
    setBusy(true);
    try {
      await api.call('mcp.saveServer', { name: target, server: result.server, ...(name ? { previousName: name } : {}) });
      for (const secret of result.secrets) await api.call('secrets.set', { scope: target, name: secret.name, value: secret.value });
      onClose(target);
    } catch (err) {
      setError(userMessage(err));
      setBusy(false);
    }
  };

  return (
    <Dialog title={name ? `Edit “${name}”` : 'Add an MCP server'} onClose={() => onClose()}>
      <form className="form server-form" onSubmit={(e) => void submit(e)} data-testid="server-form">
        <label className="field">
          <span className="field-label">Name</span>
          <input autoFocus value={form.name} onChange={(e) => set({ name: e.target.value })} placeholder="For example: crm" data-testid="server-name" />
          <span className="field-hint">Letters, digits, _ and -. Flows refer to the server by this name.</span>
        </label>
        <fieldset className="choice-row">
          <legend className="field-label">Kind</legend>
          <label className={`choice ${form.kind === 'stdio' ? 'is-chosen' : ''}`}>
            <input type="radio" checked={form.kind === 'stdio'} onChange={() => set({ kind: 'stdio' })} data-testid="server-kind-stdio" /> A program on this computer
          </label>
          <label className={`choice ${form.kind === 'url' ? 'is-chosen' : ''}`}>
            <input type="radio" checked={form.kind === 'url'} onChange={() => set({ kind: 'url' })} data-testid="server-kind-url" /> A remote server (URL)
          </label>
        </fieldset>

        {form.kind === 'stdio' ? (
          <>
            <label className="field">
              <span className="field-label">Command</span>
              <input value={form.command} onChange={(e) => set({ command: e.target.value })} placeholder="node, npx, uvx, docker, or a path" data-testid="server-command" />
            </label>
            <label className="field">
              <span className="field-label">Arguments (one per line)</span>
              <textarea value={form.args} onChange={(e) => set({ args: e.target.value })} rows={3} placeholder={'-y\n@modelcontextprotocol/server-memory'} data-testid="server-args" />
            </label>
          </>
        ) : (
          <label className="field">
            <span className="field-label">Address (URL)</span>
            <input value={form.url} onChange={(e) => set({ url: e.target.value })} placeholder="https://mcp.example.com/mcp" data-testid="server-url" />
            <span className="field-hint">{t('urlHint')}</span>
          </label>
        )}

        <div className="field">
          <span className="field-label">{rowsLabel}</span>
          {form.rows.map((row, index) => (
            <div key={row.id} className="value-row" data-testid={`value-row-${index}`}>
              <input value={row.name} onChange={(e) => setRow(row.id, { name: e.target.value })} placeholder="NAME" aria-label="Name" data-testid={`value-name-${index}`} />
              <select value={row.mode} onChange={(e) => setRow(row.id, { mode: modeOf(e.target.value), value: '', existing: false })} aria-label="Kind of value" data-testid={`value-mode-${index}`}>
                <option value="plain">Plain value</option>
                <option value="secret">Secret (keychain)</option>
                <option value="env">From an environment variable</option>
              </select>
              <input
                type={row.mode === 'secret' ? 'password' : 'text'}
                autoComplete="off"
                value={row.value}
                onChange={(e) => setRow(row.id, { value: e.target.value })}
                placeholder={row.mode === 'secret' ? (row.existing ? 'Stored. Type to replace' : 'Secret value') : row.mode === 'env' ? 'VARIABLE' : 'value'}
                aria-label="Value"
                data-testid={`value-value-${index}`}
              />
              <button type="button" className="btn-icon btn-danger" onClick={() => set({ rows: form.rows.filter((r) => r.id !== row.id) })} aria-label={`Remove ${row.name || 'this row'}`}>
                <Icon name="trash" />
              </button>
            </div>
          ))}
          <button type="button" className="btn btn-small" onClick={() => set({ rows: [...form.rows, newRow()] })} data-testid="add-value">
            <Icon name="plus" /> Add {form.kind === 'url' ? 'a header' : 'a variable'}
          </button>
          <span className="field-hint">Secret values go to the OS keychain (as secrets of this server); the settings only name them.</span>
        </div>

        <label className="check">
          <input type="checkbox" checked={form.oauth} onChange={(e) => set({ oauth: e.target.checked })} data-testid="server-oauth" /> Sign in with OAuth2 client credentials
        </label>
        {form.oauth && (
          <div className="oauth-fields">
            <label className="field">
              <span className="field-label">Token URL</span>
              <input value={form.tokenUrl} onChange={(e) => set({ tokenUrl: e.target.value })} placeholder="https://auth.example.com/oauth/token" data-testid="oauth-token-url" />
            </label>
            <label className="field">
              <span className="field-label">Client id</span>
              <input value={form.clientId} onChange={(e) => set({ clientId: e.target.value })} data-testid="oauth-client-id" />
            </label>
            <label className="field">
              <span className="field-label">Client secret (keychain)</span>
              <input
                type="password"
                autoComplete="off"
                value={form.clientSecret}
                onChange={(e) => set({ clientSecret: e.target.value })}
                placeholder={form.clientSecretExisting ? 'Stored. Type to replace' : 'Secret value'}
                data-testid="oauth-client-secret"
              />
            </label>
            <label className="field">
              <span className="field-label">Scope (optional)</span>
              <input value={form.oauthScope} onChange={(e) => set({ oauthScope: e.target.value })} data-testid="oauth-scope" />
            </label>
            {form.kind === 'stdio' && (
              <label className="field">
                <span className="field-label">Give the access token to the program in</span>
                <input value={form.tokenEnv} onChange={(e) => set({ tokenEnv: e.target.value })} data-testid="oauth-token-env" />
              </label>
            )}
          </div>
        )}

        <p className="muted small">Nothing starts yet: you will see the exact command line and approve it first.</p>
        {error && (
          <p className="field-error" role="alert" data-testid="server-form-error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={() => onClose()}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="server-save">
            Save server
          </button>
        </div>
      </form>
    </Dialog>
  );
}
