// The outcome of "Verify": the chain is intact (with the count), or exactly which record breaks it and why.
import { Trans, useTranslation } from 'react-i18next';
import type { ApiOutput } from '../../../src-main/shared/api-contract';
import { Icon } from '../icons';
import { keyedWords } from './audit-view';

export type Verification = ApiOutput<'audit.verify'>;

interface Props {
  result: Verification;
  /** Opens the bad record's details (when it still exists). */
  onShow(seq: number): void;
  onDismiss(): void;
}

export function VerifyResult({ result, onShow, onDismiss }: Props) {
  const { t } = useTranslation('audit');
  if (result.ok) {
    return (
      <div className="callout audit-verify audit-verify-ok" role="status" data-testid="verify-result" data-ok="true">
        <Icon name="check" />
        <div>
          <strong>{t('verify.intact', { count: result.count })}</strong>
          <p className="small">{t('verify.intactExplain')}</p>
          {result.count > 0 && (
            <p className="small" data-testid="verify-keyed">
              {keyedWords(result)}
            </p>
          )}
        </div>
        <button type="button" className="btn-icon" onClick={onDismiss} aria-label={t('common:actions.dismiss')}>
          <Icon name="close" />
        </button>
      </div>
    );
  }
  return (
    <div className="callout callout-error audit-verify" role="alert" data-testid="verify-result" data-ok="false" data-seq={result.seq}>
      <Icon name="alert" />
      <div>
        <strong>{t('verify.broken', { seq: result.seq })}</strong>
        <p className="small" data-testid="verify-reason">
          {result.reason}
        </p>
        <p className="small">
          {t('verify.changedOutside')} {result.seq === 2 ? t('verify.firstChecksOut') : result.seq > 2 ? t('verify.someCheckOut', { last: result.seq - 1 }) : ''}{' '}
          <Trans t={t} i18nKey="verify.stopsAtFirst" />
        </p>
      </div>
      <button type="button" className="btn btn-small" onClick={() => onShow(result.seq)} data-testid="verify-show">
        {t('verify.show', { seq: result.seq })}
      </button>
      <button type="button" className="btn-icon" onClick={onDismiss} aria-label={t('common:actions.dismiss')}>
        <Icon name="close" />
      </button>
    </div>
  );
}

