// Says plainly when the OS keychain cannot be used: one sentence and what to do first, the
// technical explanation folded under "Details". Secrets cannot be stored or read then, and
// Flowbot never falls back to keeping them on disk.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiOutput } from '../../../src-main/shared/api-contract';
import { useApi } from '../../api/api-context';

type KeychainState = ApiOutput<'secrets.status'>['keychain'];

export function KeychainNotice() {
  const { t } = useTranslation('settings');
  const api = useApi();
  const [state, setState] = useState<KeychainState | null>(null);
  const check = useCallback(
    () =>
      api.call('secrets.status', {}).then(
        (out) => out.keychain,
        () => null,
      ),
    [api],
  );
  useEffect(() => {
    let live = true;
    void check().then((keychain) => live && setState(keychain));
    return () => {
      live = false;
    };
  }, [check]);
  if (!state || state.available) return null;
  const locked = state.problem === 'locked';
  return (
    <div className="callout callout-error keychain-problem" role="alert" data-testid="keychain-problem">
      <p data-testid="keychain-headline">
        <strong>{locked ? t('keychain.locked') : t('keychain.unavailable')}</strong> {locked ? t('keychain.actionLocked') : t('keychain.actionUnavailable')}{' '}
        <button type="button" className="btn btn-small" onClick={() => void check().then(setState)} data-testid="keychain-retry">
          {t('keychain.retry')}
        </button>
      </p>
      <details className="problem-details" data-testid="keychain-details">
        <summary>{t('keychain.details')}</summary>
        <p className="small">
          {state.message ?? t('keychain.fallback')} {t('keychain.noDisk')}
        </p>
      </details>
    </div>
  );
}
