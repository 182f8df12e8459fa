// A secret of the active bot: typed here, stored in the OS keychain at once, never shown or
// read back (only whether it is there). The settings keep just { "secret": name }.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/api-context';
import { Icon } from '../icons';
import { toast } from '../toasts';
import { attempt } from './use-settings';

export interface SecretFieldProps {
  scope: string;
  name: string;
  label: string;
  hint?: string;
  testId: string;
  /** Told whether the secret is in the keychain (after loading, storing or removing). */
  onPresence?(present: boolean): void;
}

export function SecretField({ scope, name, label, hint, testId, onPresence }: SecretFieldProps) {
  const { t } = useTranslation('settings');
  const api = useApi();
  const [present, setPresent] = useState<boolean | undefined>(undefined);
  const [value, setValue] = useState('');

  const refresh = useCallback(async () => {
    const out = await api.call('secrets.status', { secrets: [{ scope, name }] });
    const found = out.secrets.find((s) => s.scope === scope && s.name === name)?.present;
    setPresent(found);
    if (found !== undefined) onPresence?.(found);
  }, [api, scope, name, onPresence]);

  useEffect(() => {
    void refresh().catch(() => undefined);
  }, [refresh]);

  const store = () =>
    attempt(async () => {
      await api.call('secrets.set', { scope, name, value });
      setValue('');
      toast({ message: t('secret.stored', { name }), tone: 'success' });
      await refresh();
    });

  const remove = () =>
    attempt(async () => {
      await api.call('secrets.delete', { scope, name });
      await refresh();
    });

  return (
    <div className="field secret-field" data-testid={testId}>
      <span className="field-label">
        <Icon name="key" /> {label}
      </span>
      <div className="row">
        <input
          type="password"
          autoComplete="off"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          placeholder={present ? t('secret.replacePlaceholder') : t('secret.pastePlaceholder')}
          aria-label={label}
          data-testid={`${testId}-input`}
        />
        <button type="button" className="btn" disabled={!value} onClick={() => void store()} data-testid={`${testId}-store`}>
          {t('secret.store')}
        </button>
        {present && (
          <button type="button" className="btn btn-ghost btn-danger-soft" onClick={() => void remove()} data-testid={`${testId}-remove`}>
            {t('secret.remove')}
          </button>
        )}
      </div>
      <span className="field-hint" data-testid={`${testId}-state`}>
        {present === true && <span className="chip chip-ok">{t('secret.present')}</span>}
        {present === false && <span className="chip chip-muted">{t('secret.absent')}</span>}
        {present === undefined && <span className="chip chip-muted">{t('secret.unknown')}</span>} {hint ?? t('secret.hint', { name })}
      </span>
    </div>
  );
}
