// One tool call in full: who, where, what it was called with and what came back, why it was
// blocked or failed, the confirmation it ran against, and its place in the hash chain. The
// arguments and result are the escaped JSON the studio prepared (hidden characters visible).
import { useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { AuditDetails as Details } from '../../../src-main/shared/api/audit';
import { useApi } from '../../api/api-context';
import { userMessage } from '../../api/client';
import { Icon } from '../icons';
import { duration, fullTime, namesOf, statusLook } from './audit-view';
import { StatusChip } from './StatusChip';

interface Props {
  seq: number;
  /** Set when verify found this record bad: said at the top of the panel. */
  broken?: string | undefined;
  onClose(): void;
  onFilterConversation(conversationId: string): void;
}

export function AuditDetails({ seq, broken, onClose, onFilterConversation }: Props) {
  const { t } = useTranslation('audit');
  const api = useApi();
  const [details, setDetails] = useState<Details | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setDetails(null);
    setError(null);
    api.call('audit.get', { seq }).then(
      (d) => live && setDetails(d),
      (e: unknown) => live && setError(userMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [api, seq]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const r = details?.record;
  const names = r && details ? namesOf({ ...r, names: details.names }) : undefined;
  return (
    <aside className="audit-details" aria-labelledby="audit-details-title" data-testid="audit-details">
      <header className="audit-details-head">
        <h2 id="audit-details-title">{t('details.record', { seq })}</h2>
        {r && <StatusChip status={r.status} />}
        <div className="bar-spacer" />
        <button type="button" className="btn-icon" onClick={onClose} aria-label={t('details.close')} data-testid="audit-details-close">
          <Icon name="close" />
        </button>
      </header>
      {broken && (
        <div className="callout callout-error audit-broken-here" role="alert">
          <Icon name="alert" /> {broken}
        </div>
      )}
      {error && (
        <div className="callout callout-error" role="alert">
          {error}
        </div>
      )}
      {!r && !error && <p className="muted">{t('common:loading')}</p>}
      {r && details && (
        <div className="audit-details-body">
          <p className="muted small">{statusLook(r.status).meaning}</p>
          {r.reason !== undefined && (
            <section className={`audit-reason audit-reason-${r.status}`} data-testid="audit-reason">
              <h3>{r.status === 'blocked' ? t('details.whyBlocked') : r.status === 'declined' ? t('details.whyDeclined') : t('details.whatWentWrong')}</h3>
              <p>{r.reason}</p>
            </section>
          )}
          {details.shown.customerReply !== undefined && (
            <section className="audit-reply" data-testid="audit-customer-reply">
              <h3>{r.status === 'declined' ? t('details.replyNo') : t('details.replyYes')}</h3>
              <pre className="audit-json">{details.shown.customerReply}</pre>
            </section>
          )}
          <dl className="audit-facts">
            <dt>{t('columns.time')}</dt>
            <dd>{fullTime(r.time)}</dd>
            <dt>{t('columns.bot')}</dt>
            <dd data-testid="audit-bot">
              {r.bot === undefined ? (
                <span className="muted">{t('details.botNotRecorded')}</span>
              ) : (
                <>
                  {names?.bot} {names?.bot !== r.bot && <code className="muted">{r.bot}</code>}
                </>
              )}
            </dd>
            <dt>{t('columns.conversation')}</dt>
            <dd>
              <code data-testid="audit-conversation">{r.conversationId}</code>{' '}
              <button type="button" className="link small" onClick={() => onFilterConversation(r.conversationId)} data-testid="filter-this-conversation">
                {t('details.onlyThisConversation')}
              </button>
            </dd>
            <dt>{t('columns.flowStep')}</dt>
            <dd data-testid="audit-where">
              {names?.flow} › {names?.step}
              <br />
              <code className="muted small" data-testid="audit-ids">
                {r.flowId} › {r.nodeId}
              </code>
            </dd>
            <dt>{t('columns.tool')}</dt>
            <dd>
              <Trans t={t} i18nKey="details.toolOn" values={{ tool: r.tool, server: r.server }} components={{ tool: <code />, server: <strong /> }} />
            </dd>
            <dt>{t('columns.duration')}</dt>
            <dd>{duration(r.durationMs)}</dd>
            <dt>{t('details.confirmation')}</dt>
            <dd data-testid="audit-confirmation">
              {r.confirmationId ? <code>{r.confirmationId}</code> : <span className="muted">{t('details.noConfirmation')}</span>}
            </dd>
          </dl>
          <h3>{t('details.arguments')}</h3>
          <pre className="audit-json" data-testid="audit-args">
            {details.shown.args}
          </pre>
          <h3>{t('details.result')}</h3>
          {details.shown.result !== undefined ? (
            <pre className="audit-json" data-testid="audit-result">
              {details.shown.result}
            </pre>
          ) : (
            <p className="muted" data-testid="audit-result">
              {r.status === 'error' ? t('details.noResultFailed') : t('details.noResultNotRun')}
            </p>
          )}
          <h3>{t('details.hashChain')}</h3>
          <dl className="audit-facts audit-hashes">
            <dt>{t('details.hash')}</dt>
            <dd>
              <code data-testid="audit-hash">{r.hash}</code>
            </dd>
            <dt>{t('details.previous')}</dt>
            <dd>
              <code>{r.prevHash}</code>
            </dd>
          </dl>
        </div>
      )}
    </aside>
  );
}
