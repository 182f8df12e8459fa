// Add or edit an MCP server: a program on this computer (command, arguments, environment, what
// its sandbox grants) or a remote server (URL, headers), optionally with OAuth2 client
// credentials. Values marked "secret" go to the OS keychain; nothing starts until you approve
// the exact command line (and the grants).
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { McpServerConfig } from '../../../src-main/shared/workspace-config';
import { useApi } from '../../api/api-context';
import { userMessage } from '../../api/client';
import { Dialog } from '../Dialog';
import { Icon } from '../icons';
import { SandboxFields } from './SandboxFields';
import { configOf, emptyForm, formOf, newRow, type ServerForm, type ValueMode, type ValueRow } from './server-form';

const modeOf = (value: string): ValueMode => (value === 'secret' || value === 'env' ? value : 'plain');

export function ServerDialog({ name, server, onClose }: { name?: string; server?: McpServerConfig; onClose(saved?: string): void }) {
  const { t } = useTranslation('settings');
  const api = useApi();
  const { t: tSignIn } = useTranslation('signin');
  const [form, setForm] = useState<ServerForm>(() => (name && server ? formOf(name, server) : emptyForm()));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<ServerForm>) => setForm((f) => ({ ...f, ...patch }));
  const setRow = (id: number, patch: Partial<ValueRow>) => set({ rows: form.rows.map((r) => (r.id === id ? { ...r, ...patch } : r)) });
  const rowsLabel = form.kind === 'url' ? t('serverForm.headers') : t('serverForm.envVariables');

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
    <Dialog title={name ? t('serverForm.editTitle', { name }) : t('serverForm.addTitle')} onClose={() => onClose()}>
      <form className="form server-form" onSubmit={(e) => void submit(e)} data-testid="server-form">
        <label className="field">
          <span className="field-label">{t('serverForm.name')}</span>
          <input autoFocus value={form.name} onChange={(e) => set({ name: e.target.value })} placeholder={t('serverForm.nameExample')} data-testid="server-name" />
          <span className="field-hint">{t('serverForm.nameHint')}</span>
        </label>
        <fieldset className="choice-row">
          <legend className="field-label">{t('serverForm.kind')}</legend>
          <label className={`choice ${form.kind === 'stdio' ? 'is-chosen' : ''}`}>
            <input type="radio" checked={form.kind === 'stdio'} onChange={() => set({ kind: 'stdio' })} data-testid="server-kind-stdio" /> {t('serverForm.kindStdio')}
          </label>
          <label className={`choice ${form.kind === 'url' ? 'is-chosen' : ''}`}>
            <input type="radio" checked={form.kind === 'url'} onChange={() => set({ kind: 'url' })} data-testid="server-kind-url" /> {t('serverForm.kindUrl')}
          </label>
        </fieldset>

        {form.kind === 'stdio' ? (
          <>
            <label className="field">
              <span className="field-label">{t('serverForm.command')}</span>
              <input value={form.command} onChange={(e) => set({ command: e.target.value })} placeholder={t('serverForm.commandExample')} data-testid="server-command" />
            </label>
            <label className="field">
              <span className="field-label">{t('serverForm.args')}</span>
              <textarea value={form.args} onChange={(e) => set({ args: e.target.value })} rows={3} placeholder={t('serverForm.argsExample')} data-testid="server-args" />
            </label>
          </>
        ) : (
          <label className="field">
            <span className="field-label">{t('serverForm.url')}</span>
            <input value={form.url} onChange={(e) => set({ url: e.target.value })} placeholder={t('serverForm.urlExample')} data-testid="server-url" />
            <span className="field-hint">{tSignIn('urlHint')}</span>
          </label>
        )}

        <div className="field">
          <span className="field-label">{rowsLabel}</span>
          {form.rows.map((row, index) => (
            <div key={row.id} className="value-row" data-testid={`value-row-${index}`}>
              <input value={row.name} onChange={(e) => setRow(row.id, { name: e.target.value })} placeholder={t('serverForm.rowNameExample')} aria-label={t('serverForm.name')} data-testid={`value-name-${index}`} />
              <select value={row.mode} onChange={(e) => setRow(row.id, { mode: modeOf(e.target.value), value: '', existing: false })} aria-label={t('serverForm.valueKind')} data-testid={`value-mode-${index}`}>
                <option value="plain">{t('serverForm.modes.plain')}</option>
                <option value="secret">{t('serverForm.modes.secret')}</option>
                <option value="env">{t('serverForm.modes.env')}</option>
              </select>
              <input
                type={row.mode === 'secret' ? 'password' : 'text'}
                autoComplete="off"
                value={row.value}
                onChange={(e) => setRow(row.id, { value: e.target.value })}
                placeholder={row.mode === 'secret' ? (row.existing ? t('serverForm.storedReplace') : t('serverForm.secretValue')) : row.mode === 'env' ? t('serverForm.variableExample') : t('serverForm.valueExample')}
                aria-label={t('serverForm.value')}
                data-testid={`value-value-${index}`}
              />
              <button type="button" className="btn-icon btn-danger" onClick={() => set({ rows: form.rows.filter((r) => r.id !== row.id) })} aria-label={row.name ? t('serverForm.removeRow', { name: row.name }) : t('serverForm.removeThisRow')}>
                <Icon name="trash" />
              </button>
            </div>
          ))}
          <button type="button" className="btn btn-small" onClick={() => set({ rows: [...form.rows, newRow()] })} data-testid="add-value">
            <Icon name="plus" /> {form.kind === 'url' ? t('serverForm.addHeader') : t('serverForm.addVariable')}
          </button>
          <span className="field-hint">{t('serverForm.secretsHint')}</span>
        </div>

        {form.kind === 'stdio' && <SandboxFields form={form} onChange={setForm} />}

        <label className="check">
          <input type="checkbox" checked={form.oauth} onChange={(e) => set({ oauth: e.target.checked })} data-testid="server-oauth" /> {t('serverForm.oauth')}
        </label>
        {form.oauth && (
          <div className="oauth-fields">
            <label className="field">
              <span className="field-label">{t('serverForm.fields.auth.tokenUrl')}</span>
              <input value={form.tokenUrl} onChange={(e) => set({ tokenUrl: e.target.value })} placeholder={t('serverForm.tokenUrlExample')} data-testid="oauth-token-url" />
            </label>
            <label className="field">
              <span className="field-label">{t('serverForm.fields.auth.clientId')}</span>
              <input value={form.clientId} onChange={(e) => set({ clientId: e.target.value })} data-testid="oauth-client-id" />
            </label>
            <label className="field">
              <span className="field-label">{t('serverForm.clientSecret')}</span>
              <input
                type="password"
                autoComplete="off"
                value={form.clientSecret}
                onChange={(e) => set({ clientSecret: e.target.value })}
                placeholder={form.clientSecretExisting ? t('serverForm.storedReplace') : t('serverForm.secretValue')}
                data-testid="oauth-client-secret"
              />
            </label>
            <label className="field">
              <span className="field-label">{t('serverForm.scope')}</span>
              <input value={form.oauthScope} onChange={(e) => set({ oauthScope: e.target.value })} data-testid="oauth-scope" />
            </label>
            {form.kind === 'stdio' && (
              <label className="field">
                <span className="field-label">{t('serverForm.tokenEnv')}</span>
                <input value={form.tokenEnv} onChange={(e) => set({ tokenEnv: e.target.value })} data-testid="oauth-token-env" />
              </label>
            )}
          </div>
        )}

        <p className="muted small">{t('serverForm.nothingStarts')}</p>
        {error && (
          <p className="field-error" role="alert" data-testid="server-form-error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={() => onClose()}>
            {t('common:actions.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="server-save">
            {t('serverForm.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
