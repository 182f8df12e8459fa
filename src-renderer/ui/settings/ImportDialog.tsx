// Import MCP servers from another client's config (Claude Desktop, Cursor, VS Code): paste,
// check what will be added, decide for each value that looks like a secret whether it moves
// to the OS keychain (the default) or stays in plain text, choose each stdio server's sandbox
// grant from what its config proposes (ImportGrantChoice), then import.
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ApiOutput } from '../../../src-main/shared/api-contract';
import { useApi } from '../../api/api-context';
import { userMessage } from '../../api/client';
import { i18n } from '../../i18n';
import { consentWords } from '../consent-line';
import { Dialog } from '../Dialog';
import { toast } from '../toasts';
import { ImportFolderField, relativePathsIn } from './ImportFolderField';
import { ImportGrantChoice } from './ImportGrantChoice';
import { chosenGrant, initialChoice, type GrantChoice } from './import-grant-choice';

type Preview = ApiOutput<'mcp.importPreview'>['servers'];
type PreviewField = Preview[number]['fields'][number];

/** An example of a pasted config (JSON: the same in every language). */
const EXAMPLE_CONFIG = '{ "mcpServers": { "memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] } } }';

function fieldSource(t: TFunction<'settings'>, f: PreviewField): string {
  if (f.reference) return 'secret' in f.reference ? t('import.fieldSecret', { name: f.reference.secret }) : t('import.fieldEnv', { name: f.reference.env });
  return f.value !== undefined ? JSON.stringify(f.value) : t('import.fieldHidden');
}

const keyOf = (server: string, name: string) => `${server}\u0000${name}`;

export function ImportDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation('settings');
  const api = useApi();
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [plain, setPlain] = useState<Set<string>>(new Set());
  /** The sandbox grant ticked per server; a server not in it has its proposal's defaults. */
  const [grantChoices, setGrantChoices] = useState<Record<string, GrantChoice>>({});
  const [error, setError] = useState<string | null>(null);
  /** The folder the pasted paths are relative to, once the owner named it. */
  const [folder, setFolder] = useState<string | undefined>(undefined);

  const check = async (inFolder = folder) => {
    setError(null);
    try {
      setPreview((await api.call('mcp.importPreview', { text, ...(inFolder ? { folder: inFolder } : {}) })).servers);
      setFolder(inFolder);
      setPlain(new Set());
      setGrantChoices({});
    } catch (e) {
      setPreview(null);
      setError(userMessage(e));
    }
  };

  const run = async () => {
    if (!preview) return;
    const secretFields = preview.flatMap((s) => s.fields.filter((f) => f.looksSecret && !f.reference).map((f) => ({ server: s.name, name: f.name })));
    const keepPlain = secretFields.filter((f) => plain.has(keyOf(f.server, f.name)));
    const moveToKeychain = secretFields.filter((f) => !plain.has(keyOf(f.server, f.name)));
    const grants = preview.filter((s) => s.proposedGrant).map((s) => ({ server: s.name, grant: chosenGrant(s, grantChoices[s.name] ?? initialChoice(s)) }));
    try {
      const out = await api.call('mcp.import', { text, moveToKeychain, keepPlain, grants, ...(folder ? { folder } : {}) });
      const added = new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(out.added);
      toast({
        message: out.secretsStored ? t('import.addedWithSecrets', { servers: added, count: out.secretsStored }) : t('import.added', { servers: added }),
        tone: 'success',
      });
      onClose();
    } catch (e) {
      setError(userMessage(e));
    }
  };

  const clashes = preview?.filter((s) => s.clash) ?? [];

  return (
    <Dialog title={t('import.title')} onClose={onClose}>
      <div className="form import-form" data-testid="import-dialog">
        <label className="field">
          <span className="field-label">{t('import.paste')}</span>
          <textarea
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setPreview(null);
              setFolder(undefined);
            }}
            rows={8}
            spellCheck={false}
            placeholder={EXAMPLE_CONFIG}
            data-testid="import-text"
          />
          <span className="field-hint">{t('import.where')}</span>
        </label>
        {error && (
          <p className="field-error" role="alert" data-testid="import-error">
            {error}
          </p>
        )}
        {preview && (
          <div className="import-preview" data-testid="import-preview">
            <h3>{t('import.willBeAdded')}</h3>
            <ul>
              {preview.map((s) => (
                <li key={s.name} className={s.clash ? 'is-clash' : ''} data-testid={`import-server-${s.name}`}>
                  <strong>{s.name}</strong> <code className="command">{consentWords(s.commandText, s.command)}</code>
                  {s.clash && <p className="field-error">{t('import.clash', { name: s.name })}</p>}
                  {s.fields.length > 0 && (
                    <div className="import-fields" data-testid={`import-fields-${s.name}`}>
                      <p className="muted small">{s.fields[0]!.kind === 'env' ? t('import.envHeading') : t('import.headersHeading')}</p>
                      <ul>
                        {s.fields.map((f) => (
                          <li key={f.name} className={f.changesCode ? 'field-error' : undefined}>
                            <code>{f.name}</code> = <code>{fieldSource(t, f)}</code>
                            {f.changesCode && <strong> ⚠ {t('import.changesCode')}</strong>}
                          </li>
                        ))}
                      </ul>
                    </div>
                  )}
                  {s.notes.map((n) => (
                    <p key={n} className="muted small">
                      {t('import.note', { note: n })}
                    </p>
                  ))}
                  {s.fields.filter((f) => f.looksSecret && !f.reference).map((f) => {
                    const k = keyOf(s.name, f.name);
                    return (
                      <fieldset key={f.name} className="secret-choice" data-testid={`import-secret-${s.name}-${f.name}`}>
                        <legend>
                          <Trans t={t} i18nKey="import.looksSecret" values={{ name: f.name }} components={{ name: <code /> }} />
                        </legend>
                        <label>
                          <input type="radio" checked={!plain.has(k)} onChange={() => setPlain((p) => new Set([...p].filter((x) => x !== k)))} /> {t('import.moveToKeychain')}
                        </label>
                        <label>
                          <input type="radio" checked={plain.has(k)} onChange={() => setPlain((p) => new Set([...p, k]))} /> {t('import.keepPlain')}
                        </label>
                      </fieldset>
                    );
                  })}
                  {s.proposedGrant && (
                    <ImportGrantChoice
                      server={s.name}
                      proposal={s}
                      choice={grantChoices[s.name] ?? initialChoice(s)}
                      onChange={(next) => setGrantChoices((c) => ({ ...c, [s.name]: next }))}
                    />
                  )}
                </li>
              ))}
            </ul>
            <ImportFolderField preview={preview} onFolder={(f) => void check(f)} />
          </div>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t('common:actions.cancel')}
          </button>
          {preview ? (
            <button type="button" className="btn btn-primary" disabled={clashes.length > 0 || relativePathsIn(preview).length > 0} onClick={() => void run()} data-testid="import-run">
              {t('import.run', { count: preview.length })}
            </button>
          ) : (
            <button type="button" className="btn btn-primary" disabled={!text.trim()} onClick={() => void check(undefined)} data-testid="import-check">
              {t('import.check')}
            </button>
          )}
        </div>
      </div>
    </Dialog>
  );
}
