// Moving a bot to another machine: Export… saves the bot as a bundle file; Import… reads one,
// shows what it brings (flows, MCP servers with their command lines, secrets still to set, tool
// approvals) and imports it only when the owner says so. The bundle never holds a secret value.
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Bot } from '../../../src-main/shared/api/settings';
import type { BundlePreview } from '../../../src-main/shared/api/bundles';
import { useApi } from '../../api/api-context';
import { userMessage } from '../../api/client';
import { downloadText } from '../audit/download';
import { consentWords } from '../consent-line';
import { Dialog } from '../Dialog';
import { Icon } from '../icons';
import { toast } from '../toasts';
import { attempt } from './use-settings';

export function ExportBotButton({ bot }: { bot: Bot }) {
  const { t } = useTranslation('bundles');
  const api = useApi();
  const exportBot = () =>
    attempt(async () => {
      const out = await api.call('bots.export', { id: bot.id });
      downloadText(out.fileName, out.text, 'application/json');
      toast({ message: t('exported', { name: bot.name }), tone: 'success' });
      if (out.skipped.length) toast({ message: t('skipped', { count: out.skipped.length }), tone: 'info' }, 8000);
    });
  return (
    <button type="button" className="btn-icon" onClick={() => void exportBot()} aria-label={t('exportNamed', { name: bot.name })} title={t('export')} data-testid={`export-bot-${bot.id}`}>
      <Icon name="download" />
    </button>
  );
}

export function ImportBotButton() {
  const { t } = useTranslation('bundles');
  const api = useApi();
  const input = useRef<HTMLInputElement>(null);
  const [opened, setOpened] = useState<{ text: string; preview: BundlePreview } | null>(null);
  const read = (file: File) =>
    attempt(async () => {
      const text = await file.text();
      setOpened({ text, preview: await api.call('bots.importPreview', { text }) });
    });
  return (
    <>
      <button type="button" className="btn" onClick={() => input.current?.click()} data-testid="import-bot">
        <Icon name="upload" /> {t('import')}
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="import-bot-input"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (file) void read(file);
        }}
      />
      {opened && <ImportBotDialog text={opened.text} preview={opened.preview} onClose={() => setOpened(null)} />}
    </>
  );
}

function ImportBotDialog({ text, preview: first, onClose }: { text: string; preview: BundlePreview; onClose(): void }) {
  const { t } = useTranslation('bundles');
  const api = useApi();
  const [preview, setPreview] = useState(first);
  const [as, setAs] = useState(first.target.id);
  const [replace, setReplace] = useState(false);
  const [keepToolPins, setKeepToolPins] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const missing = preview.secrets.filter((s) => s.present !== true);

  const changeId = async (id: string) => {
    setAs(id);
    setReplace(false);
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return;
    try {
      setPreview(await api.call('bots.importPreview', { text, as: id }));
      setError(null);
    } catch (err) {
      setError(userMessage(err));
    }
  };
  const submit = async () => {
    try {
      const out = await api.call('bots.import', { text, as, replace, keepToolPins, select: true });
      toast({ message: t('imported', { name: out.bot.name, count: out.serversNeedingConsent.length }), tone: 'success' }, 8000);
      onClose();
    } catch (err) {
      setError(userMessage(err));
    }
  };

  return (
    <Dialog title={t('previewTitle', { name: preview.bot.name })} onClose={onClose}>
      <div className="form" data-testid="bundle-preview">
        <label className="field">
          <span className="field-label">{t('botId')}</span>
          <input value={as} onChange={(e) => void changeId(e.target.value)} maxLength={64} data-testid="bundle-as" />
        </label>
        {preview.target.exists && (
          <label className="check">
            <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} data-testid="bundle-replace" /> {t('replace', { id: preview.target.id })}
          </label>
        )}
        <h3>{t('flows', { count: preview.flows.length })}</h3>
        <ul className="small" data-testid="bundle-flows">
          {preview.flows.map((flow) => (
            <li key={flow.id}>
              <strong>{flow.name}</strong> <code>{flow.importAs}</code> <span className="muted">{t(`flowOutcome.${flow.outcome}`, { id: flow.id, count: flow.testCases })}</span>
            </li>
          ))}
        </ul>
        <h3>{t('servers', { count: preview.servers.length })}</h3>
        {preview.servers.length > 0 && <p className="muted small">{t('serversConsent')}</p>}
        <ul className="small" data-testid="bundle-servers">
          {preview.servers.map((server) => (
            <li key={server.name}>
              <strong>{server.name}</strong> <code className="command-line">{consentWords(server.commandText, server.command)}</code>
            </li>
          ))}
        </ul>
        <h3>{t('secrets', { count: missing.length })}</h3>
        <ul className="small" data-testid="bundle-secrets">
          {missing.map((secret) => (
            <li key={`${secret.scope}/${secret.name}`}>
              <code>{secret.name}</code> <span className="muted">{t(secret.present === undefined ? 'secretUnknown' : 'secretMissing', { field: secret.field })}</span>
            </li>
          ))}
        </ul>
        {preview.toolPins.length > 0 && (
          <label className="check">
            <input type="checkbox" checked={keepToolPins} onChange={(e) => setKeepToolPins(e.target.checked)} data-testid="bundle-keep-pins" />{' '}
            {t('keepPins', { tools: preview.toolPins.flatMap((p) => p.tools.map((tool) => `${p.server}/${tool}`)).join(', ') })}
          </label>
        )}
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t('common:actions.cancel')}
          </button>
          <button type="button" className="btn btn-primary" onClick={() => void submit()} disabled={preview.target.exists && !replace} data-testid="bundle-import">
            {t('importConfirm')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
